"""Situation reports per organization: what a city hall or a ministry would report upward.

During the 2025 Daejeon fire, city halls reported counts like Sejong's (28 Sep, 16:00): "of the
151 central systems we use, 67 normal, 46 unreachable, 38 malfunctioning; of our own 89, 82
normal and 7 malfunctioning through links to central systems". A :class:`SitRep` is that
report, collected from the simulation rather than phoned in, for every organization of the
scenario, with what changed since the previous report.

Categories (one per system):

- **normal**: up, serving fully.
- **unreachable**: not serving because of a problem of its own (its room or site is down, it
  failed, it is being recovered or runs on a manual fallback).
- **malfunctioning**: serving at reduced capacity (degraded), or not serving only because a
  system it depends on is down ("through links").
- **unknown**: (fog of war only) the team knows something is wrong but has no alert for it yet.

This module holds the report and how it reads; :mod:`.sitrep_sources` builds it from what a
view of a run exposes: a drill's :class:`~drillsim.drill.StatusView` (the team's fog of war or
the facilitator's truth, at the drill's current time) or a finished
:class:`~drillsim.engine.RunResult` at any time (its timelines: always the truth). Output forms:
:meth:`SitRep.table` (a Rich renderable), :meth:`SitRep.to_markdown`, :meth:`SitRep.to_dict` /
:meth:`SitRep.to_json`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model.timefmt import fmt_elapsed
from .text import md_escape

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import RenderableType

__all__ = [
    "CATEGORIES",
    "Counts",
    "Change",
    "OrgSitrep",
    "SitRep",
    "classify",
]

CATEGORIES = ("normal", "unreachable", "malfunctioning", "unknown")
"""The categories of a sitrep, in the order they are shown."""

_SERVING = ("up", "degraded")


def classify(status: str, through_links: bool) -> str:
    """The sitrep category of a system from its status (a Status value) and whether only its links hold it down."""
    if status == "up":
        return "normal"
    if status == "unknown":
        return "unknown"
    if status == "degraded":
        return "malfunctioning"
    return "malfunctioning" if through_links else "unreachable"


@dataclass
class Counts:
    """One group of systems (those an organization uses, or owns) by category."""

    systems: dict[str, str] = field(default_factory=dict)
    """System id -> category, in the organization's order."""

    @property
    def total(self) -> int:
        """How many systems the group has."""
        return len(self.systems)

    def count(self, category: str) -> int:
        """How many systems are in ``category``."""
        return sum(1 for c in self.systems.values() if c == category)

    def ids(self, category: str) -> list[str]:
        """The systems in ``category``."""
        return [s for s, c in self.systems.items() if c == category]

    @property
    def normal(self) -> int:
        """Systems up."""
        return self.count("normal")

    @property
    def unreachable(self) -> int:
        """Systems down in themselves."""
        return self.count("unreachable")

    @property
    def malfunctioning(self) -> int:
        """Systems degraded, or down through their links."""
        return self.count("malfunctioning")

    @property
    def unknown(self) -> int:
        """Systems whose state the team does not know yet (fog of war)."""
        return self.count("unknown")

    def sentence(self) -> str:
        """'67 normal, 46 unreachable, 38 malfunctioning' (zero categories left out, except normal)."""
        parts = [f"{self.normal} normal"]
        parts += [f"{self.count(c)} {c}" for c in CATEGORIES[1:] if self.count(c)]
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly form: the counts and the ids per category."""
        out: dict[str, Any] = {"total": self.total}
        for c in CATEGORIES:
            out[c] = self.count(c)
        out["systems"] = {c: self.ids(c) for c in CATEGORIES if self.count(c)}
        return out


@dataclass(frozen=True)
class Change:
    """A system that changed category between two reports."""

    system: str
    name: str
    group: str
    """'uses' or 'owns'."""
    before: str
    after: str

    def sentence(self) -> str:
        """'Government24 (정부24): unreachable -> normal'."""
        return f"{self.name}: {self.before} → {self.after}"


@dataclass
class OrgSitrep:
    """The situation report of one organization."""

    id: str
    name: str
    uses: Counts
    owns: Counts
    changes: list[Change] | None = None
    """Changes since the previous report (None when there was none to compare with)."""

    def sentence(self) -> str:
        """The report as a city hall would phone it in."""
        parts = []
        if self.uses.total:
            what = "the central system" if self.uses.total == 1 else f"the {self.uses.total} central systems"
            parts.append(f"of {what} it uses: {self.uses.sentence()}")
        if self.owns.total:
            parts.append(f"of its own {self.owns.total}: {self.owns.sentence()}")
        return f"{self.name}: " + ("; ".join(parts) if parts else "no systems listed")

    def change_summary(self) -> str:
        """'3 back to normal, 1 now unreachable', 'no change', or 'first report'."""
        return _change_text(self.changes, limit=0)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        return {
            "id": self.id,
            "name": self.name,
            "uses": self.uses.to_dict(),
            "owns": self.owns.to_dict(),
            "changes": None if self.changes is None else [
                {"system": c.system, "name": c.name, "group": c.group, "before": c.before, "after": c.after} for c in self.changes
            ],
        }


@dataclass
class SitRep:
    """Situation reports of every (or some) organization at one moment."""

    scenario: str
    t: float
    """Hours since the scenario start."""
    local_time: str
    """The local date-time, ISO 8601."""
    truth: bool
    """True: the facts; False: what the team knew (fog of war)."""
    source: str
    """'simulation' or 'result'."""
    organizations: list[OrgSitrep]
    previous_t: float | None = None
    """Time of the report compared with, if any."""
    moment: str = ""
    """The moment as people read it: ``2025-09-28 16:00 KST · T+1d 19:45`` (:func:`~drillsim.model.timefmt.fmt_instant`)."""

    def organization(self, org_id: str) -> OrgSitrep:
        """One organization's report by id."""
        for org in self.organizations:
            if org.id == org_id:
                return org
        raise KeyError(org_id)

    @property
    def title(self) -> str:
        """'Situation report 2025-09-28 16:00 KST · T+1d 19:45, as the team knows it' (or '..., facilitator's view (the facts)')."""
        view = "facilitator's view (the facts)" if self.truth else "as the team knows it"
        when = self.moment or f"{self.local_time[:16].replace('T', ' ')} · {fmt_elapsed(self.t)}"
        return f"Situation report {when}, {view}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        return {
            "scenario": self.scenario,
            "t_hours": self.t,
            "local_time": self.local_time,
            "truth": self.truth,
            "source": self.source,
            "previous_t_hours": self.previous_t,
            "categories": list(CATEGORIES),
            "organizations": [o.to_dict() for o in self.organizations],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The JSON document (UTF-8 text, Korean kept as is)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def _show_unknown(self) -> bool:
        return any(o.uses.unknown or o.owns.unknown for o in self.organizations)

    def table(self) -> "RenderableType":
        """A Rich table: per organization a title row, then its central systems used and its own systems, with counts and changes."""
        from rich import box
        from rich.markup import escape
        from rich.table import Table

        unknown = self._show_unknown()
        caption = "used: the central systems it uses; own: its own systems. " + _CAPTION + (" Unknown: not yet reported (fog of war)." if unknown else "")
        table = Table(title=self.title, caption=caption, caption_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("organization / systems", justify="left", ratio=2, min_width=14)
        table.add_column("total", justify="right", no_wrap=True)
        cats = [c for c in CATEGORIES if c != "unknown" or unknown]
        for c in cats:
            table.add_column(f"{_SYMBOLS[c]}\n{_SHORT[c]}", justify="right", style=_STYLES[c], no_wrap=True)
        table.add_column("since last report", justify="left", ratio=1, min_width=10)
        for org in self.organizations:
            table.add_row(f"[bold]{escape(org.name)}[/]", *([""] * (len(cats) + 2)))
            for group_name, group in (("uses", org.uses), ("owns", org.owns)):
                if not group.total and group_name == "owns" and org.uses.total:
                    continue
                changes = None if org.changes is None else [c for c in org.changes if c.group == group_name]
                table.add_row(
                    "  used" if group_name == "uses" else "  own",
                    str(group.total),
                    *[str(group.count(c)) for c in cats],
                    escape(_change_text(changes, limit=0)),
                    end_section=group_name == "owns" or not org.owns.total,
                )
        return table

    def change_lines(self, limit: int = 8) -> list[str]:
        """The changes since the previous report, one line per system (at most ``limit`` per organization)."""
        out = []
        for org in self.organizations:
            changes = org.changes or []
            if not changes:
                continue
            out.append(f"{org.name}: {org.change_summary()}")
            for change in changes[:limit]:
                out.append(f"  {'used' if change.group == 'uses' else 'own'}: {change.sentence()}")
            if len(changes) > limit:
                out.append(f"  ... and {len(changes) - limit} more")
        return out

    def to_markdown(self, heading: str = "##") -> str:
        """The reports as Markdown: a table (two rows per organization), then each organization's sentence and changes."""
        unknown = self._show_unknown()
        cats = [c for c in CATEGORIES if c != "unknown" or unknown]
        lines = [f"{heading} {md_escape(self.title)}", ""]
        head = ["Organization", "Systems", "Total", *[f"{_SYMBOLS[c]} {c}" for c in cats], "Since last report"]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("| --- | --- | " + " | ".join(["---:"] * (len(cats) + 1)) + " | --- |")
        for org in self.organizations:
            for group_name, group in (("uses", org.uses), ("owns", org.owns)):
                if not group.total and group_name == "owns" and org.uses.total:
                    continue
                changes = None if org.changes is None else [c for c in org.changes if c.group == group_name]
                cells = [
                    md_escape(org.name) if group_name == "uses" or not org.uses.total else "",
                    "used" if group_name == "uses" else "own",
                    str(group.total),
                    *[str(group.count(c)) for c in cats],
                    md_escape(_change_text(changes, limit=0) if changes else _change_text(changes)),
                ]
                lines.append("| " + " | ".join(cells) + " |")
        lines += ["", _CAPTION + (" Unknown: not yet reported (fog of war)." if unknown else ""), ""]
        for org in self.organizations:
            lines.append(f"- {md_escape(org.sentence())}.")
            for change in org.changes or []:
                lines.append(f"  - {md_escape(change.sentence())}")
        return "\n".join(lines) + "\n"


_SYMBOLS = {"normal": "●", "unreachable": "✖", "malfunctioning": "◐", "unknown": "?"}
_SHORT = {"normal": "normal", "unreachable": "unreach.", "malfunctioning": "malfunc.", "unknown": "unknown"}
_STYLES = {"normal": "green", "unreachable": "red", "malfunctioning": "yellow", "unknown": "dim"}


def _change_text(changes: list[Change] | None, limit: int = 3) -> str:
    if changes is None:
        return "first report"
    if not changes:
        return "no change"
    counts: dict[str, int] = {}
    for change in changes:
        key = "back to normal" if change.after == "normal" else f"now {change.after}"
        counts[key] = counts.get(key, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    if limit <= 0:
        return summary
    detail = "; ".join(c.sentence() for c in changes[:limit]) + (f"; {len(changes) - limit} more" if len(changes) > limit else "")
    return f"{summary} ({detail})"


_CAPTION = "Unreachable: down in itself. Malfunctioning: degraded, or down only through a system it depends on."
"""The legend of the categories."""

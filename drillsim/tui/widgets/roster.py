"""The team roster: staff free and busy, work in progress with its expected end, work queued."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ..style import fit, fmt_elapsed

__all__ = ["Roster"]


class Roster(Widget):
    """Teams with work first (a national model has hundreds of teams: idle ones are summed up)."""

    DEFAULT_CSS = "Roster { height: auto; }"

    def __init__(self, limit: int = 12, **kwargs) -> None:
        super().__init__(**kwargs)
        self.limit = limit
        self.teams: list[dict] = []
        self._lines = -1

    def show(self, teams: list[dict]) -> None:
        """Redraw from ``Simulation.teams()``."""
        self.teams = teams
        lines = self._lines
        self._lines = self.line_count(teams)
        self.refresh(layout=self._lines != lines)

    def line_count(self, teams: list[dict]) -> int:
        """Lines :meth:`render` will take (a change of height needs a new layout; a redraw does not)."""
        busy = [t for t in teams if t["running"] or t["queued"] or t["free"] < t["staff"]]
        shown = teams[: self.limit] if len(teams) <= self.limit else busy[: self.limit]
        n = len(shown) + sum(min(3, len(t["running"])) + (1 if t["queued"] else 0) for t in shown)
        return n + (1 if len(shown) < len(teams) else 0) + (0 if teams else 1)

    def render(self) -> Text:
        teams = self.teams
        width = max(30, self.size.width or 60)
        busy = [t for t in teams if t["running"] or t["queued"] or t["free"] < t["staff"]]
        busy_ids = {id(t) for t in busy}
        idle = [t for t in teams if id(t) not in busy_ids]
        shown = (busy + idle)[: self.limit] if len(teams) <= self.limit else busy[: self.limit]
        text = Text(no_wrap=True, overflow="ellipsis")
        lines = 0
        for team in shown:
            if lines:
                text.append("\n")
            staff, free = team["staff"], team["free"]
            bar = "●" * min(staff - free, 12) + "○" * min(free, max(0, 12 - (staff - free)))
            text.append(fit(team["label"], max(10, width - 34)), style="bold")
            text.append(f" {bar:<12}", style="cyan")
            text.append(f" {free}/{staff} free", style="green" if free else "yellow")
            text.append("" if team["on_site"] else " off-site", style="dim")
            lines += 1
            for run in team["running"][:3]:
                end = f", ends {fmt_elapsed(run['expected_end'])}" if run.get("expected_end") is not None else ""
                text.append("\n")
                text.append(fit(f"  ↻ {run['label']} ({run['staff']} staff{end})", width), style="cyan")
                lines += 1
            if team["queued"]:
                text.append("\n")
                first = team["queued"][0]
                more = f" and {len(team['queued']) - 1} more" if len(team["queued"]) > 1 else ""
                text.append(fit(f"  … queued: {first['label']} ({first['staff']} staff){more}", width), style="yellow")
                lines += 1
        shown_ids = {id(t) for t in shown}
        hidden = [t for t in teams if id(t) not in shown_ids]
        if hidden:
            idle_hidden = sum(1 for t in hidden if id(t) not in busy_ids)
            text.append("\n")
            if idle_hidden == len(hidden):
                text.append(f"+{len(hidden)} idle team{'s' if len(hidden) > 1 else ''}", style="dim")
            else:
                text.append(f"+{len(hidden)} more teams ({idle_hidden} idle)", style="dim")
        if not teams:
            text.append("no teams in this scenario", style="dim")
        return text

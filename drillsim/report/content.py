"""What an after-action report says: :class:`ReportContent`, the numbers and sentences of a report.

Built by :func:`drillsim.report.build_report` from the team's :class:`~drillsim.engine.RunResult`
and the baselines (the same seed played by the runbook and by doing nothing, made by
:func:`drillsim.drill.run_baselines`); rendered by :mod:`.markdown` and :mod:`.html` (which read
this class only), and written by :class:`drillsim.report.Report`, which adds the rendering
methods.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..model.scenario import Scenario
from ..model.timefmt import fmt_duration
from . import plots
from .analysis import DEFAULT_DUE_DAYS, Finding
from .sitrep import SitRep
from .summary import RunSummary
from .text import fmt_num

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.results import RunResult

__all__ = ["ReportContent", "TimelineEntry", "SystemRow", "RUN_LABELS"]

RUN_LABELS = {"team": "Team", "auto": "Runbook (auto)", "none": "Do nothing"}
"""How the three runs are called in the report."""


@dataclass
class TimelineEntry:
    """One line of the timeline."""

    t: float
    local: str
    kind: str
    who: str
    text: str
    seen: bool
    """Whether the team saw it when it happened (fog of war)."""


@dataclass
class SystemRow:
    """One affected system in the systems table: the team's outcome beside the runbook's."""

    id: str
    name: str
    grade: int
    team: str
    first_down: float | None
    time_to_restore: float | None
    restored: bool
    rto: float
    rto_met: bool | None
    auto_time_to_restore: float | None
    auto_restored: bool | None
    data_loss: float | None
    data_lost_permanently: bool
    rpo: float
    rpo_met: bool | None
    unserved: float
    fallback_served: float
    final_status: str

    @property
    def rto_ratio(self) -> float:
        """Time to restore as a multiple of the RTO."""
        return (self.time_to_restore or 0.0) / self.rto if self.rto else math.inf


@dataclass
class ReportContent:
    """An after-action report's content: the runs, their summaries, the plan, systems, timeline, sitreps."""

    scenario: Scenario
    result: "RunResult"
    baselines: dict[str, "RunResult"]
    summaries: dict[str, RunSummary]
    findings: list[Finding]
    systems: list[SystemRow]
    timeline: list[TimelineEntry]
    sitreps: list[SitRep]
    decisions: list[dict[str, Any]]
    report_date: date
    journal_meta: dict[str, Any] | None = None
    due_days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_DUE_DAYS))
    notes: list[str] = field(default_factory=list)
    """Caveats about this report (e.g. no journal: the team is played by the runbook)."""
    with_plots: bool = True
    spof_min: int = 3
    _plots: dict[str, bytes | None] | None = field(default=None, repr=False)

    # ------------------------------------------------------------------------------------
    # Data
    # ------------------------------------------------------------------------------------
    @property
    def title(self) -> str:
        """'After-action report: <scenario>'."""
        return f"After-action report: {self.scenario.label}"

    @property
    def runs(self) -> dict[str, "RunResult"]:
        """The team's run and the baselines, team first."""
        return {"team": self.result, **self.baselines}

    @property
    def labels(self) -> dict[str, str]:
        """Display names of the runs."""
        labels = dict(RUN_LABELS)
        team = (self.journal_meta or {}).get("team")
        if team:
            labels["team"] = f"Team ({team})"
        return labels

    def plots(self) -> dict[str, bytes | None]:
        """PNG bytes of each plot (drawn once, on first use); empty without matplotlib or with plots off."""
        if self._plots is None:
            self._plots = {}
            if self.with_plots and plots.available():
                self._plots["recovery"] = plots.recovery_curves(self.runs, self.labels)
                self._plots["restore"] = plots.restore_vs_rto(self.scenario, self.result, self.baselines.get("auto"))
                if len(self.runs) > 1:
                    self._plots["unserved"] = plots.unserved_by_grade(self.runs, self.labels)
        return self._plots

    def worth(self) -> list[str]:
        """Sentences: what the team's decisions were worth against doing nothing and against the runbook."""
        team = self.summaries["team"]
        out = []
        none = self.summaries.get("none")
        if none is not None:
            spared = none.unserved - team.unserved
            hours = none.downtime_hours - team.downtime_hours
            pct = f" ({spared / none.unserved:.0%} of what doing nothing would have left unserved)" if none.unserved > 0 else ""
            if spared >= 0:
                out.append(
                    f"Compared with doing nothing, the team's actions spared citizens {fmt_num(spared)} requests that would have gone "
                    f"unserved{pct}, and {fmt_num(hours)} system-hours of downtime."
                )
            else:
                out.append(f"The team left {fmt_num(-spared)} more requests unserved than doing nothing would have.")
        auto = self.summaries.get("auto")
        if auto is not None and self.result.policy != "auto":
            diff = team.unserved - auto.unserved
            hours = team.downtime_hours - auto.downtime_hours
            if abs(diff) < 0.5 and abs(hours) < 0.05:
                out.append("The team did exactly as well as the runbook (auto policy) on this seed.")
            else:
                better = diff < 0
                pct = f" ({diff / auto.unserved:+.0%})" if auto.unserved > 0 else ""
                out.append(
                    f"Compared with the runbook (auto policy), the team left {fmt_num(abs(diff))} {'fewer' if better else 'more'} requests "
                    f"unserved{pct}, and its systems were down {fmt_num(abs(hours))} system-hours {'less' if hours < 0 else 'longer'}"
                    + (f"; 90 % of the affected systems serving again: {_reached(team.t90)} (runbook: {_reached(auto.t90)})." if team.t90 or auto.t90 else ".")
                )
        elif auto is not None:
            out.append("No drill journal: the team's run is the runbook (auto policy) itself, so the two columns agree by construction.")
        return out

    def headline(self) -> list[str]:
        """The bottom line, a few sentences."""
        t = self.summaries["team"]
        m = self.result.metrics
        out = [
            f"{t.systems_affected} of {m.systems_total} systems stopped serving at some point; {t.down_at_end} "
            f"{'was' if t.down_at_end == 1 else 'were'} still down at the end ({fmt_duration(self.result.ended_hours)} after the start).",
            (f"{t.rto_breaches} RTO breach{'es' if t.rto_breaches != 1 else ''}, {t.grade1_rto_breaches} of them grade 1; " if t.rto_breaches else "No RTO breach; ")
            + (f"{t.rpo_breaches} RPO breach{'es' if t.rpo_breaches != 1 else ''}." if t.rpo_breaches else "no RPO breach."),
            f"{fmt_num(t.unserved)} citizens' requests not served ({fmt_num(t.fallback_served)} served by hand on manual fallbacks).",
            "Recovery of the affected systems: " + ", ".join(
                f"{label} after {fmt_duration(v)}" if v is not None else f"{label} not reached"
                for label, v in (("50 %", t.t50), ("90 %", t.t90), ("100 %", t.t100))
            ) + "." if t.systems_affected else "Nothing to recover: no system stopped serving.",
        ]
        if m.data_lost_permanently:
            names = ", ".join(self.result.systems[s].name for s in m.data_lost_permanently)
            out.insert(0, f"DATA LOST FOR GOOD: {names}.")
        if t.score is not None:
            runbook = self.summaries.get("auto")
            versus = f" (runbook {runbook.score:.1f})" if runbook is not None and runbook.score is not None else ""
            out.append(f"Score {t.score:.1f} / 100{versus}.")
        auto = self.summaries.get("auto")
        if auto is not None and self.result.policy != "auto" and auto.weighted_unserved > 0:
            # The score is measured against doing nothing, which can be so bad that every sensible
            # team scores near 100: the ratio to the runbook tells teams apart.
            ratio = t.weighted_unserved / auto.weighted_unserved
            out.append(
                f"Against the runbook: {ratio:.2f}× its grade-weighted unserved demand "
                + ("(better than the runbook)." if ratio < 0.995 else "(as good as the runbook)." if ratio <= 1.005 else "(worse than the runbook).")
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly form of the report's content (no plots)."""
        return {
            "title": self.title,
            "scenario": self.scenario.id,
            "scenario_hash": self.result.scenario_hash,
            "seed": self.result.seed,
            "report_date": self.report_date.isoformat(),
            "journal": self.journal_meta,
            "summaries": {k: v.as_dict() for k, v in self.summaries.items()},
            "worth": self.worth(),
            "findings": [f.as_dict() for f in self.findings],
            "systems": [dict(r.__dict__) for r in self.systems],
            "decisions": self.decisions,
            "timeline": [dict(e.__dict__) for e in self.timeline],
            "sitreps": [s.to_dict() for s in self.sitreps],
            "notes": self.notes,
        }

    def data_uri(self, name: str) -> str | None:
        """A plot as a data: URI (for HTML), or None."""
        png = self.plots().get(name)
        return "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else None


def _reached(hours: float | None) -> str:
    return f"after {fmt_duration(hours)}" if hours is not None else "not reached"

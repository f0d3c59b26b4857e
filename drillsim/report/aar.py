"""The after-action report of a drill: what happened, how well the team did, and what to fix.

:func:`build_report` takes the scenario, the team's :class:`~drillsim.engine.RunResult` and the
same seed played by the runbook (``auto`` policy) and by doing nothing (``none``), see
:func:`run_baselines`, and returns a :class:`Report` that renders as Markdown
(:meth:`Report.to_markdown`) or as one self-contained HTML page (:meth:`Report.to_html`: CSS
inline, plots embedded as base64 PNG, nothing fetched from anywhere).

Sections: summary; score and comparison with the runbook and doing nothing (in hours and in
citizens' unserved requests, with the recovery curves); the improvement plan (finding,
recommendation, owner, due date); systems (time to restore against RTO, data lost against RPO);
organizations' situation reports; the timeline of events and decisions; method and definitions
(the scoring formula).
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ..model.diagnostics import DrillsimError
from ..model.loading import LoadedScenario
from ..model.scenario import Scenario
from . import analysis, plots
from .analysis import DEFAULT_DUE_DAYS, SEVERITIES, Finding, RunSummary
from .sitrep import SitRep, sitrep_from_result
from .text import fmt_clock, fmt_hours, fmt_num, h, md_escape

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.results import RunResult, SystemResult

__all__ = ["Report", "TimelineEntry", "SystemRow", "build_report", "run_baselines", "RUN_LABELS", "TIMELINE_KINDS"]

RUN_LABELS = {"team": "Team", "auto": "Runbook (auto)", "none": "Do nothing"}
"""How the three runs are called in the report."""

TIMELINE_KINDS = frozenset(
    {
        "inject", "message", "decision", "decided", "action", "domain_down", "domain_destroyed", "domain_up",
        "data_lost", "data_loss", "switchover", "fallback_on", "fallback_off", "collapse", "staff_arrived", "task_failed",
    }
)
"""Event kinds the timeline always shows; system up/down events are shown for grade-1 systems only."""

_WHO = {
    "inject": "scenario", "message": "scenario", "decision": "scenario", "domain_down": "world", "domain_destroyed": "world",
    "domain_up": "world", "staff_arrived": "scenario",
}


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
class Report:
    """An after-action report, ready to render (see the module docstring)."""

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
            f"{'was' if t.down_at_end == 1 else 'were'} still down at the end ({fmt_clock(self.result.ended_hours)} after the start).",
            (f"{t.rto_breaches} RTO breach{'es' if t.rto_breaches != 1 else ''}, {t.grade1_rto_breaches} of them grade 1; " if t.rto_breaches else "No RTO breach; ")
            + (f"{t.rpo_breaches} RPO breach{'es' if t.rpo_breaches != 1 else ''}." if t.rpo_breaches else "no RPO breach."),
            f"{fmt_num(t.unserved)} citizens' requests not served ({fmt_num(t.fallback_served)} served by hand on manual fallbacks).",
            "Recovery of the affected systems: " + ", ".join(
                f"{label} after {fmt_hours(v)}" if v is not None else f"{label} not reached"
                for label, v in (("50 %", t.t50), ("90 %", t.t90), ("100 %", t.t100))
            ) + "." if t.systems_affected else "Nothing to recover: no system stopped serving.",
        ]
        if m.data_lost_permanently:
            names = ", ".join(self.result.systems[s].name for s in m.data_lost_permanently)
            out.insert(0, f"DATA LOST FOR GOOD: {names}.")
        if t.score is not None:
            out.append(f"Score {t.score:.1f} / 100" + (f" (runbook {self.summaries['auto'].score:.1f})" if "auto" in self.summaries and self.summaries["auto"].score is not None else "") + ".")
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

    # ------------------------------------------------------------------------------------
    # Rendering
    # ------------------------------------------------------------------------------------
    def to_markdown(self, images: dict[str, str] | None = None) -> str:
        """The report as Markdown; ``images`` maps plot names (recovery, restore, unserved) to file links."""
        from .markdown import render_markdown

        return render_markdown(self, images)

    def to_html(self) -> str:
        """The report as one self-contained HTML page (UTF-8; CSS inline; plots as base64 PNG)."""
        from .html import render_html

        return render_html(self)

    def write(self, out_dir: str | Path, formats: Iterable[str] = ("md", "html"), stem: str | None = None) -> list[Path]:
        """Write the report into ``out_dir`` (Markdown with PNG files beside it, and/or HTML); return the paths."""
        out = Path(out_dir)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DrillsimError(f"{out}: cannot create the output folder: {exc.strerror}") from None
        stem = stem or f"aar-{self.scenario.id}-seed{self.result.seed}"
        written = []
        formats = list(formats)
        try:
            if "md" in formats:
                images = {}
                for name, png in self.plots().items():
                    if png:
                        path = out / f"{stem}-{name}.png"
                        path.write_bytes(png)
                        written.append(path)
                        images[name] = path.name
                path = out / f"{stem}.md"
                path.write_text(self.to_markdown(images), encoding="utf-8")
                written.append(path)
            if "html" in formats:
                path = out / f"{stem}.html"
                path.write_text(self.to_html(), encoding="utf-8")
                written.append(path)
        except OSError as exc:
            raise DrillsimError(f"{out}: cannot write the report: {exc.strerror}") from None
        return written

    def data_uri(self, name: str) -> str | None:
        """A plot as a data: URI (for HTML), or None."""
        png = self.plots().get(name)
        return "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else None


# ----------------------------------------------------------------------------------------
# Building
# ----------------------------------------------------------------------------------------
def _count(n: int, what: str) -> str:
    return f", {n} {what}{'s' if n != 1 else ''}" if n else ""


def _reached(hours: float | None) -> str:
    return f"after {fmt_hours(hours)}" if hours is not None else "not reached"


def _scenario(source: Scenario | LoadedScenario) -> Scenario:
    return source.scenario if isinstance(source, LoadedScenario) else source


def run_baselines(
    scenario: Scenario | LoadedScenario, seed: int, until: float | None = None, policies: Iterable[str] = ("auto", "none")
) -> dict[str, "RunResult"]:
    """The same seed played by the runbook (``auto``) and by doing nothing (``none``), to ``until`` (default: the horizon)."""
    from ..engine import run_scenario

    return {p: run_scenario(scenario, seed=seed, policy=p, until=until) for p in policies}


def _timeline(scenario: Scenario, result: "RunResult") -> list[TimelineEntry]:
    grade1 = {s.id for s in scenario.systems if s.grade == 1}
    out = []
    for e in result.events:
        keep = e.kind in TIMELINE_KINDS or (e.kind in ("system_down", "system_up") and e.subject in grade1)
        if not keep:
            continue
        if e.kind == "data_lost" and not e.visible:
            continue  # the visible twin is logged when the team learns of it
        if e.kind in ("decided", "action"):
            who = str(e.data.get("by", "team"))
        else:
            who = _WHO.get(e.kind, "world")
        out.append(TimelineEntry(e.t, scenario.local_time(e.t).strftime("%Y-%m-%d %H:%M"), e.kind, who, e.text, e.visible))
    # Milestones of the recovery curve.
    m = result.metrics
    for key, label in (("p50", "50 %"), ("p90", "90 %"), ("p100", "100 %")):
        t = m.time_to_recover_hours.get(key)
        if t is not None:
            out.append(TimelineEntry(t, scenario.local_time(t).strftime("%Y-%m-%d %H:%M"), "milestone", "result",
                                     f"{label} of the affected systems serving again (and from then on)", True))
    out.sort(key=lambda x: x.t)
    return out


def _system_rows(scenario: Scenario, result: "RunResult", auto: "RunResult | None") -> list[SystemRow]:
    rows = []
    for s in result.systems.values():
        if not (s.outages or s.data_loss_hours or s.data_lost_permanently):
            continue
        system = scenario.system_index.get(s.id)
        team = analysis._team_label(scenario, system.team) if system is not None else "-"
        a: "SystemResult | None" = auto.systems.get(s.id) if auto is not None else None
        rows.append(
            SystemRow(
                id=s.id, name=s.name, grade=s.grade, team=team, first_down=s.first_down_hours,
                time_to_restore=s.time_to_restore_hours, restored=s.restored, rto=s.rto_hours, rto_met=s.rto_met,
                auto_time_to_restore=a.time_to_restore_hours if a is not None else None,
                auto_restored=a.restored if a is not None else None,
                data_loss=s.data_loss_hours, data_lost_permanently=s.data_lost_permanently, rpo=s.rpo_hours, rpo_met=s.rpo_met,
                unserved=s.unserved_demand, fallback_served=s.fallback_served_demand, final_status=s.final_status,
            )
        )
    rows.sort(key=lambda r: (not r.data_lost_permanently, r.rto_met is not False, r.grade, -r.rto_ratio, r.id))
    return rows


def _decisions(scenario: Scenario, result: "RunResult", auto: "RunResult | None") -> list[dict[str, Any]]:
    out = []
    auto_choice = {d["decision"]: d["option"] for d in (auto.decisions if auto is not None else [])}
    for d in result.decisions:
        decision = scenario.decision_index.get(d["decision"])
        if decision is None:
            continue
        labels = {o.id: o.label for o in decision.options}
        out.append(
            {
                "t": d["t"],
                "decision": d["decision"],
                "prompt": " ".join(decision.prompt.split()),
                "option": d["option"],
                "label": labels.get(d["option"], d["option"]),
                "by": d.get("by", "team"),
                "default": decision.default_option.id,
                "default_label": decision.default_option.label,
                "runbook": auto_choice.get(d["decision"]),
            }
        )
    return out


def _worst_moment(result: "RunResult") -> float | None:
    curve = result.metrics.recovery_curve
    if not curve:
        return None
    worst = min(curve, key=lambda p: (p.systems, p.t))
    return worst.t


def build_report(
    scenario: Scenario | LoadedScenario,
    result: "RunResult",
    baselines: dict[str, "RunResult"] | None = None,
    journal_meta: dict[str, Any] | None = None,
    report_date: date | None = None,
    due_days: dict[str, int] | None = None,
    spof_min: int = 3,
    with_plots: bool = True,
) -> Report:
    """Build the after-action report of ``result`` (the team's run).

    ``baselines``: ``{"auto": RunResult, "none": RunResult}`` of the same scenario and seed, to
    the same end (see :func:`run_baselines`); either may be missing, and then its comparison is
    left out (the score needs ``none``). ``journal_meta``: what the drill journal says about the
    drill (team, facilitator, journal path, started...), shown in the header. ``report_date``
    (default today) and ``due_days`` (by severity) set the due dates of the improvement plan.
    """
    sc = _scenario(scenario)
    baselines = dict(baselines or {})
    if result.scenario != sc.id:
        raise DrillsimError(f"the run is of scenario {result.scenario!r}, not {sc.id!r}")
    notes: list[str] = []
    for key, base in baselines.items():
        if base.scenario != result.scenario:
            raise DrillsimError(f"the {key!r} baseline is of scenario {base.scenario!r}, not {result.scenario!r}")
        if result.scenario_hash and base.scenario_hash and base.scenario_hash != result.scenario_hash:
            raise DrillsimError(f"the {key!r} baseline was run on another version of the scenario (hash {base.scenario_hash}, the team's {result.scenario_hash})")
        if base.seed != result.seed:
            raise DrillsimError(f"the {key!r} baseline used seed {base.seed}, the team seed {result.seed}: compare runs of the same seed")
        if abs(base.ended_hours - result.ended_hours) > 1e-6:
            notes.append(
                f"The {RUN_LABELS.get(key, key)} run ends at {fmt_clock(base.ended_hours)}, the team's at {fmt_clock(result.ended_hours)}: "
                "totals cover different periods (run the baselines with until= the team's end)."
            )
    if journal_meta is None and result.policy == "auto":
        notes.append("No drill journal: the team's run is the runbook (auto policy) on this seed.")
    summaries = {"team": analysis.run_summary(RUN_LABELS["team"], result)}
    for key in ("auto", "none"):
        if key in baselines:
            summaries[key] = analysis.run_summary(RUN_LABELS[key], baselines[key])
    for key, base in list(baselines.items()):
        if key not in summaries:
            summaries[key] = analysis.run_summary(key, base)
    if "none" in summaries:
        nothing = summaries["none"].weighted_unserved
        for s in summaries.values():
            s.score = analysis.score(s.weighted_unserved, nothing)
    auto = baselines.get("auto")
    report_date = report_date or date.today()
    plan = analysis.findings(sc, result, auto, report_date, due_days, spof_min)
    sitreps: list[SitRep] = []
    if sc.organizations:
        worst = _worst_moment(result)
        first = None
        if worst is not None:
            first = sitrep_from_result(sc, result, worst)
            sitreps.append(first)
        sitreps.append(sitrep_from_result(sc, result, result.ended_hours, previous=first))
    return Report(
        scenario=sc,
        result=result,
        baselines=baselines,
        summaries=summaries,
        findings=plan,
        systems=_system_rows(sc, result, auto),
        timeline=_timeline(sc, result),
        sitreps=sitreps,
        decisions=_decisions(sc, result, auto),
        report_date=report_date,
        journal_meta=journal_meta,
        due_days={**DEFAULT_DUE_DAYS, **(due_days or {})},
        notes=notes,
        with_plots=with_plots,
        spof_min=spof_min,
    )


# ----------------------------------------------------------------------------------------
# Shared by the renderers
# ----------------------------------------------------------------------------------------
COMPARISON_ROWS: list[tuple[str, str, str, bool]] = [
    # (label, RunSummary attribute, unit: "h" hours, "n" count, "s" score; lower is better?)
    ("Score (0-100, higher is better)", "score", "s", False),
    ("Requests not served", "unserved", "n", True),
    ("Grade-weighted requests not served", "weighted_unserved", "n", True),
    ("Requests served by hand (fallbacks)", "fallback_served", "n", False),
    ("Downtime, all systems (system-hours)", "downtime_hours", "n", True),
    ("Downtime, grade-1 systems (system-hours)", "grade1_downtime_hours", "n", True),
    ("Time to 50 % of affected systems serving", "t50", "h", True),
    ("Time to 90 %", "t90", "h", True),
    ("Time to 100 %", "t100", "h", True),
    ("RTO breaches", "rto_breaches", "n", True),
    ("Grade-1 RTO breaches", "grade1_rto_breaches", "n", True),
    ("RPO breaches", "rpo_breaches", "n", True),
    ("Systems whose data is lost for good", "data_lost", "n", True),
    ("Systems still down at the end", "down_at_end", "n", True),
]
"""The rows of the comparison table."""


def cell(summary: RunSummary, attr: str, unit: str) -> str:
    """One value of the comparison table."""
    value = getattr(summary, attr)
    if value is None:
        return "not reached" if unit == "h" else "-"
    if unit == "h":
        return fmt_hours(value)
    if unit == "s":
        return f"{value:.1f}"
    return fmt_num(value)


def delta(team: RunSummary, other: RunSummary, attr: str, unit: str) -> str:
    """Team minus other, signed (hours formatted as hours)."""
    a = getattr(team, attr)
    b = getattr(other, attr)
    if a is None or b is None:
        return "-"
    d = a - b
    if abs(d) < 1e-9:
        return "±0"
    sign = "+" if d > 0 else "−"
    if unit == "h":
        return sign + fmt_hours(abs(d))
    if unit == "s":
        return f"{sign}{abs(d):.1f}"
    return sign + fmt_num(abs(d))


def meta_items(report: Report) -> list[tuple[str, str]]:
    """(label, value) pairs for the report header."""
    r = report.result
    sc = report.scenario
    items = [
        ("Scenario", f"{sc.label} [{sc.id}]"),
        ("Scenario version (hash)", r.scenario_hash or "-"),
        ("Seed", str(r.seed)),
        ("Simulated", f"{sc.local_time(0).strftime('%Y-%m-%d %H:%M')} to {sc.local_time(r.ended_hours).strftime('%Y-%m-%d %H:%M')} "
                      f"({fmt_clock(r.ended_hours)}; times are local, {sc.timezone or sc.start.tzname()})"),
        ("Team's run", f"policy {r.policy}" + _count(len(r.actions), "action") + _count(len(report.decisions), "decision")),
        ("Report date", report.report_date.isoformat()),
    ]
    for key, value in (report.journal_meta or {}).items():
        if value is None or value == "":
            continue
        label = key.replace("_", " ").capitalize()
        if isinstance(value, (dict, list)):
            value = json.dumps(value, ensure_ascii=False, default=str)
        elif isinstance(value, datetime):
            value = value.isoformat(timespec="minutes")
        items.append((f"Drill: {label}", str(value)))
    return items


SCORE_TEXT = (
    "Score = 100 × (W_nothing − W_run) / W_nothing, where W is the grade-weighted number of requests not served "
    "(Σ over systems of grade weight × requests served neither by the system nor by its manual fallback) and "
    "W_nothing is W of the do-nothing run on the same seed. 100: no request went unserved; 0: no better than "
    "doing nothing; below 0: worse than doing nothing. The runbook (auto policy) is scored the same way as the benchmark."
)
"""The scoring formula, as the report states it."""


def definitions(report: Report) -> list[tuple[str, str]]:
    """(term, definition) pairs for the method section."""
    weights = ", ".join(f"grade {g}: {w:g}" for g, w in sorted(report.scenario.grade_weights.items()))
    days = ", ".join(f"{s}: {report.due_days[s]} days" for s in SEVERITIES)
    return [
        ("Score", SCORE_TEXT),
        ("Grade weights", weights + "."),
        ("Time to restore", "The longest outage of the system: from the moment it stopped serving (below its threshold) to the moment it served again, whatever brought it back; an outage still open at the end counts up to the end."),
        ("RTO / RPO met", "Every outage no longer than the RTO; data lost (replication lag, or the age of the backup restored) no more than the RPO. Data lost for good: no copy survived."),
        ("Requests not served", "Demand (requests per day × daily and weekly profile × surges) neither served by the system nor by its manual fallback."),
        ("Recovery curve", "Over the systems that stopped serving at least once: the share serving, and the share of their grade-weighted normal demand being served, over time. Time to p %: the first time from which the share stays at or above p % to the end."),
        ("Single point of failure hit", f"A system down in itself that held at least {report.spof_min} other systems (or any grade-1 system) down through their hard dependencies; a failure domain whose loss took at least {report.spof_min} systems with every replica in it."),
        ("Improvement plan", f"One finding per data loss for good, single point of failure hit, failure domain, RTO breach, RPO breach and unused manual fallback. Owner: the team owning the system (or the fallback, or the domain's repair). Due date: the report date plus, by severity, {days}. Severity of an RTO breach follows the grade (1 critical, 2 high, 3 medium, 4 low)."),
        ("Situation reports", "Unreachable: down in itself. Malfunctioning: degraded, or down only through a system it depends on. Reports in this document are the facts (from the run's timelines), not what the team knew at the time."),
    ]


def status_text(row: SystemRow) -> str:
    """RTO verdict in words and symbol: '✖ breached', '✔ met', '… open'."""
    if row.rto_met is False:
        return "✖ breached"
    if row.rto_met:
        return "✔ met"
    return "… open"


def rpo_text(row: SystemRow) -> str:
    """RPO verdict in words and symbol."""
    if row.data_lost_permanently:
        return "✖ LOST FOR GOOD"
    if row.rpo_met is False:
        return "✖ breached"
    if row.rpo_met:
        return "✔ met"
    return ""


def restore_text(hours: float | None, restored: bool | None) -> str:
    """Time to restore, marked when the system was still down at the end."""
    if hours is None:
        return "-"
    return fmt_hours(hours) + ("" if restored or restored is None else " (still down)")


__all__ += ["COMPARISON_ROWS", "SCORE_TEXT", "cell", "delta", "meta_items", "definitions", "status_text", "rpo_text", "restore_text", "h", "md_escape"]

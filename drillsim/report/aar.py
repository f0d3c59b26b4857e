"""The after-action report of a drill: what happened, how well the team did, and what to fix.

:func:`build_report` takes the scenario, the team's :class:`~drillsim.engine.RunResult` and the
same seed played by the runbook (``auto`` policy) and by doing nothing (``none``), made by the
drill layer (:func:`drillsim.drill.run_baselines`: the report runs no simulation itself), and
returns a :class:`Report` that renders as Markdown
(:meth:`Report.to_markdown`) or as one self-contained HTML page (:meth:`Report.to_html`: CSS
inline, plots embedded as base64 PNG, nothing fetched from anywhere).

Sections: summary; score and comparison with the runbook and doing nothing (in hours and in
citizens' unserved requests, with the recovery curves); the improvement plan (finding,
recommendation, owner, due date); systems (time to restore against RTO, data lost against RPO);
organizations' situation reports; the timeline of events and decisions; method and definitions
(the scoring formula).

What the report says is :class:`~drillsim.report.content.ReportContent` (:mod:`.content`); the
renderers (:mod:`.markdown`, :mod:`.html`) read that and share :mod:`.tables`; :class:`Report`
adds the methods that call them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ..model.diagnostics import DrillsimError
from ..model.loading import LoadedScenario
from ..model.scenario import Scenario
from ..model.timefmt import fmt_elapsed, fmt_local
from . import analysis
from .analysis import DEFAULT_DUE_DAYS
from .content import RUN_LABELS, ReportContent, SystemRow, TimelineEntry
from .sitrep import SitRep
from .sitrep_sources import sitrep_from_result
from .summary import run_summary, score

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.results import RunResult, SystemResult

__all__ = ["Report", "TimelineEntry", "SystemRow", "build_report", "RUN_LABELS", "TIMELINE_KINDS"]

TIMELINE_KINDS = frozenset(
    {
        "inject", "message", "decision", "decided", "action", "domain_down", "domain_destroyed", "domain_up",
        "data_lost", "data_loss", "switchover", "fallback_on", "fallback_off", "collapse", "staff_arrived", "task_failed",
    }
)
"""Event kinds the timeline always shows; system up/down events are shown for grade-1 systems only."""

FACILITATOR = "facilitator"
"""Who a facilitator's inject is marked as (the source the drill gives it: :mod:`drillsim.drill.facilitator`)."""

_WHO = {
    "inject": "scenario", "message": "scenario", "decision": "scenario", "domain_down": "world", "domain_destroyed": "world",
    "domain_up": "world", "staff_arrived": "scenario",
}


@dataclass
class Report(ReportContent):
    """An after-action report, ready to render and write (see the module docstring)."""

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


# ----------------------------------------------------------------------------------------
# Building
# ----------------------------------------------------------------------------------------
def _scenario(source: Scenario | LoadedScenario) -> Scenario:
    return source.scenario if isinstance(source, LoadedScenario) else source


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
        elif e.kind in ("inject", "message") and e.subject == FACILITATOR:
            who = FACILITATOR  # an inject the facilitator gave while the drill played
        else:
            who = _WHO.get(e.kind, "world")
        out.append(TimelineEntry(e.t, fmt_local(scenario.local_time(e.t)), e.kind, who, e.text, e.visible))
    # Milestones of the recovery curve.
    m = result.metrics
    for key, label in (("p50", "50 %"), ("p90", "90 %"), ("p100", "100 %")):
        t = m.time_to_recover_hours.get(key)
        if t is not None:
            out.append(TimelineEntry(t, fmt_local(scenario.local_time(t)), "milestone", "result",
                                     f"{label} of the affected systems serving again (and from then on)", True))
    out.sort(key=lambda x: x.t)
    return out


def _system_rows(scenario: Scenario, result: "RunResult", auto: "RunResult | None") -> list[SystemRow]:
    rows = []
    for s in result.systems.values():
        if not (s.outages or s.data_loss_hours or s.data_lost_permanently):
            continue
        system = scenario.system_index.get(s.id)
        team = analysis.team_label(scenario, system.team) if system is not None else "-"
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
    read = {e.subject: e.text for e in result.events if e.kind == "decision"}  # as the team read it (live figures)
    for d in result.decisions:
        decision = scenario.decision_index.get(d["decision"])
        if decision is None:
            continue
        labels = {o.id: o.label for o in decision.options}
        out.append(
            {
                "t": d["t"],
                "decision": d["decision"],
                "prompt": " ".join(read.get(d["decision"], decision.prompt).split()),
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
    the same end (see :func:`drillsim.drill.run_baselines`); either may be missing, and then its comparison is
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
                f"The {RUN_LABELS.get(key, key)} run ends at {fmt_elapsed(base.ended_hours)}, the team's at {fmt_elapsed(result.ended_hours)}: "
                "totals cover different periods (run the baselines with until= the team's end)."
            )
    if journal_meta is None and result.policy == "auto":
        notes.append("No drill journal: the team's run is the runbook (auto policy) on this seed.")
    summaries = {"team": run_summary(RUN_LABELS["team"], result)}
    for key in ("auto", "none"):
        if key in baselines:
            summaries[key] = run_summary(RUN_LABELS[key], baselines[key])
    for key, base in list(baselines.items()):
        if key not in summaries:
            summaries[key] = run_summary(key, base)
    if "none" in summaries:
        nothing = summaries["none"].weighted_unserved
        for s in summaries.values():
            s.score = score(s.weighted_unserved, nothing)
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

"""Reports: the after-action report of a drill, situation reports per organization.

Interface for the drill app and the CLI (nothing here imports Textual; matplotlib is imported
only when a plot is drawn)::

    from drillsim.drill import run_baselines
    from drillsim.report import build_report, sitrep_from_view, sitrep_from_result

    # After-action report of the team's run (a RunResult: session.result() at the end of a drill),
    # against the same seed played by the runbook and by doing nothing (run by the drill layer:
    # the report itself runs no simulation).
    baselines = run_baselines(loaded, seed=result.seed, until=result.ended_hours)   # {"auto": ..., "none": ...}
    report = build_report(loaded, result, baselines=baselines, journal_meta={"team": "Blue", "journal": "drill.jsonl"})
    report.to_markdown()        # str (pass images={"recovery": "file.png", ...} to link plot files)
    report.to_html()            # str: one self-contained page (CSS inline, plots as base64 PNG)
    report.write("out/", formats=("md", "html"))   # files; returns their paths
    report.findings             # the improvement plan: Finding(number, severity, category, finding, recommendation, owner, due)
    report.summaries["team"].score, report.worth(), report.to_dict()

    # Situation reports, at any moment of a live drill (fog of war unless truth=True) ...
    first = sitrep_from_view(session.status_view())
    later = sitrep_from_view(session.status_view(), previous=first)   # .organizations[k].changes: what changed since
    later.table()               # a Rich renderable; later.to_markdown(); later.to_json()
    # ... or at time ``at`` (hours) of a finished run (the facts, from the timelines).
    sitrep_from_result(loaded, result, at=43.75)

``build_report`` and the sitrep functions accept a :class:`~drillsim.model.Scenario` or a
:class:`~drillsim.model.LoadedScenario`. Errors caused by the input raise
:class:`~drillsim.model.DrillsimError`. The score and every definition are stated in the report
itself (section "Method and definitions") and in :mod:`drillsim.report.analysis`.

``run_baselines`` and ``sitrep_from_simulation`` (a sitrep of a bare
:class:`~drillsim.engine.Simulation`) are kept here for callers that used them; both are the
drill layer's (:func:`drillsim.drill.run_baselines`, :class:`drillsim.drill.StatusView`).

Modules: :mod:`.aar` (:class:`Report` and :func:`build_report`), :mod:`.content` (what a report
says), :mod:`.summary` (headline numbers and the score), :mod:`.outages` (when systems were down,
single points of failure hit), :mod:`.analysis` (the improvement plan), :mod:`.plots`
(matplotlib), :mod:`.tables`, :mod:`.markdown` and :mod:`.html` (renderers), :mod:`.sitrep`
(situation reports) and :mod:`.sitrep_sources` (building them from a view or a result),
:mod:`.text` (numbers and escaping). The inject list (CSV master scenario events list) lives in
:mod:`drillsim.model.msel`.
"""

from ..drill.baselines import run_baselines
from .aar import Report, SystemRow, TimelineEntry, build_report
from .analysis import DEFAULT_DUE_DAYS, SEVERITIES, Finding
from .sitrep import CATEGORIES, Change, Counts, OrgSitrep, SitRep, classify
from .sitrep_sources import ResultStatus, StatusSource, sitrep_from_result, sitrep_from_simulation, sitrep_from_view
from .summary import RunSummary, score

__all__ = [
    "CATEGORIES",
    "Change",
    "Counts",
    "DEFAULT_DUE_DAYS",
    "Finding",
    "OrgSitrep",
    "Report",
    "ResultStatus",
    "RunSummary",
    "SEVERITIES",
    "SitRep",
    "StatusSource",
    "SystemRow",
    "TimelineEntry",
    "build_report",
    "classify",
    "run_baselines",
    "score",
    "sitrep_from_result",
    "sitrep_from_simulation",
    "sitrep_from_view",
]

"""What the report's renderers share: the comparison table's rows and cells, the header, the definitions.

:mod:`.markdown` and :mod:`.html` draw the same tables from the same values, so the two forms of
a report always agree; times and durations read as everywhere in drillsim
(:mod:`drillsim.model.timefmt`).
"""

from __future__ import annotations

import json
from datetime import datetime

from ..model.timefmt import fmt_duration, fmt_local, fmt_signed_duration, fmt_system_hours
from .analysis import SEVERITIES
from .content import ReportContent, SystemRow
from .summary import RunSummary
from .text import fmt_num

__all__ = ["COMPARISON_ROWS", "SCORE_TEXT", "cell", "delta", "meta_items", "definitions", "status_text", "rpo_text", "restore_text"]


def _count(n: int, what: str) -> str:
    return f", {n} {what}{'s' if n != 1 else ''}" if n else ""


COMPARISON_ROWS: list[tuple[str, str, str, bool]] = [
    # (label, RunSummary attribute, unit: "h" a duration, "sh" system-hours, "n" a count, "s" the score; lower is better?)
    ("Score (0-100, higher is better)", "score", "s", False),
    ("Requests not served", "unserved", "n", True),
    ("Grade-weighted requests not served", "weighted_unserved", "n", True),
    ("Requests served by hand (fallbacks)", "fallback_served", "n", False),
    ("Downtime, all systems (system-hours)", "downtime_hours", "sh", True),
    ("Downtime, grade-1 systems (system-hours)", "grade1_downtime_hours", "sh", True),
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
        return fmt_duration(value)
    if unit == "sh":
        return fmt_system_hours(value)
    if unit == "s":
        return f"{value:.1f}"
    return fmt_num(value)


def delta(team: RunSummary, other: RunSummary, attr: str, unit: str) -> str:
    """Team minus other, signed (durations as durations, system-hours as hours)."""
    a = getattr(team, attr)
    b = getattr(other, attr)
    if a is None or b is None:
        return "-"
    d = a - b
    if abs(d) < 1e-9:
        return "±0"
    sign = "+" if d > 0 else "−"
    if unit == "h":
        return fmt_signed_duration(d)
    if unit == "sh":
        return sign + fmt_system_hours(abs(d))
    if unit == "s":
        return f"{sign}{abs(d):.1f}"
    return sign + fmt_num(abs(d))


def meta_items(report: ReportContent) -> list[tuple[str, str]]:
    """(label, value) pairs for the report header."""
    r = report.result
    sc = report.scenario
    items = [
        ("Scenario", f"{sc.label} [{sc.id}]"),
        ("Scenario version (hash)", r.scenario_hash or "-"),
        ("Seed", str(r.seed)),
        ("Simulated", f"{fmt_local(sc.local_time(0))} to {fmt_local(sc.local_time(r.ended_hours))} "
                      f"({fmt_duration(r.ended_hours)}; times are local, {sc.timezone or sc.start.tzname()})"),
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


def definitions(report: ReportContent) -> list[tuple[str, str]]:
    """(term, definition) pairs for the method section."""
    weights = ", ".join(f"grade {g}: {w:g}" for g, w in sorted(report.scenario.grade_weights.items()))
    days = ", ".join(f"{s}: {report.due_days[s]} days" for s in SEVERITIES)
    return [
        ("Score", SCORE_TEXT),
        ("Grade weights", weights + "."),
        ("Time to restore", "The longest outage of the system: from the moment it stopped serving (below its threshold) to the moment it served again, whatever brought it "
                            "back; an outage still open at the end counts up to the end."),
        ("RTO / RPO met", "Every outage no longer than the RTO; data lost (replication lag, or the age of the backup restored) no more than the RPO. Data lost for good: no"
                          " copy survived."),
        ("Requests not served", "Demand (requests per day × daily and weekly profile × surges) neither served by the system nor by its manual fallback."),
        ("Recovery curve", "Over the systems that stopped serving at least once: the share serving, and the share of their grade-weighted normal demand being served, over "
                           "time. Time to p %: the first time from which the share stays at or above p % to the end."),
        ("Single point of failure hit", f"A system down in itself that held at least {report.spof_min} other systems (or any grade-1 system) down through their hard "
                                        f"dependencies; a failure domain whose loss took at least {report.spof_min} systems with every replica in it."),
        ("Improvement plan", "One finding per data loss for good, single point of failure hit, failure domain, RTO breach, RPO breach and unused manual fallback. Owner: "
                             f"the team owning the system (or the fallback, or the domain's repair). Due date: the report date plus, by severity, {days}. Severity of an RTO"
                             " breach follows the grade (1 critical, 2 high, 3 medium, 4 low)."),
        ("Situation reports", "Unreachable: down in itself. Malfunctioning: degraded, or down only through a system it depends on. Reports in this document are the facts "
                              "(from the run's timelines), not what the team knew at the time."),
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
    return fmt_duration(hours) + ("" if restored or restored is None else " (still down)")

"""The improvement plan of a run, worked out from its :class:`~drillsim.engine.RunResult`.

:func:`findings` pre-fills the plan (finding, recommendation, owner, due date) from RTO breaches,
data lost for good, RPO breaches, single points of failure hit (:mod:`.outages`) and manual
fallbacks not used. Pure functions over a scenario and run results (no plotting, no rendering).
The headline numbers and the score are in :mod:`.summary`; when systems were down and why, in
:mod:`.outages` (both re-exported here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..model.graph import site_of as graph_site_of
from ..model.redundancy import mode_rules
from ..model.scenario import Scenario
from ..model.systems import DependencyKind
from ..model.timefmt import fmt_elapsed
from .outages import DomainHit, SystemIntervals, blast_radius, domain_hits, intervals, site_of
from .plan_groups import Raw, group_findings, system_causes
from .summary import RunSummary, run_summary, score
from .text import fmt_hours, fmt_num

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.results import RunResult, SystemResult

__all__ = [
    "SEVERITIES",
    "DEFAULT_DUE_DAYS",
    "GRADE_SEVERITY",
    "Finding",
    "findings",
    "team_label",
    # re-exported from .summary and .outages
    "RunSummary",
    "SystemIntervals",
    "DomainHit",
    "run_summary",
    "score",
    "intervals",
    "blast_radius",
    "domain_hits",
    "site_of",
]

SEVERITIES = ("critical", "high", "medium", "low")
"""Severity of a finding, most urgent first."""

DEFAULT_DUE_DAYS = {"critical": 14, "high": 30, "medium": 60, "low": 90}
"""Days from the report date to the due date of an action, by severity."""

GRADE_SEVERITY = {1: "critical", 2: "high", 3: "medium", 4: "low"}
"""Severity of an RTO breach by the system's grade."""

_CATEGORY_ORDER = {
    "data lost": 0, "failure domain": 1, "dependencies": 2, "own failures": 3, "single point of failure": 4, "RTO breach": 5, "RPO breach": 6,
    "fallback not used": 7,
}


# ----------------------------------------------------------------------------------------
# Improvement plan
# ----------------------------------------------------------------------------------------
@dataclass
class Finding:
    """One line of the improvement plan (after-action format: finding, recommendation, owner, due date)."""

    number: str
    severity: str
    category: str
    subject: str
    """The system or domain id the finding is about."""
    subject_name: str
    finding: str
    recommendation: str
    owner: str
    due: date
    grade: int | None = None
    systems: list[str] = field(default_factory=list)
    """The systems it covers (one, or a group with one cause and one owner)."""
    cause: str = ""
    """What caused it: the domain that failed or was destroyed, or what the systems depend on, or their own failures."""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        out = dict(self.__dict__)
        out["due"] = self.due.isoformat()
        return out


def team_label(scenario: Scenario, team_id: str | None) -> str:
    """The display name of a team (``unassigned`` for none)."""
    if team_id is None:
        return "unassigned"
    team = scenario.team_index.get(team_id)
    if team is None:
        return team_id
    base = team.name or team.id
    return f"{base} ({team.name_local})" if team.name_local else base


def _names(scenario: Scenario, ids: list[str], limit: int = 4) -> str:
    index = scenario.system_index
    names = [index[s].label if s in index else s for s in ids[:limit]]
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return ", ".join(names) + more


def findings(
    scenario: Scenario,
    result: "RunResult",
    auto: "RunResult | None" = None,
    report_date: date | None = None,
    due_days: dict[str, int] | None = None,
    spof_min: int = 3,
    group_min: int = 3,
) -> list[Finding]:
    """The improvement plan pre-filled from what went wrong in ``result`` (see the module docstring).

    A finding per system that lost its data for good, per RTO breach, per RPO breach, per
    system with a manual fallback that was never switched on while it was down, per system down
    in itself that held ``spof_min`` or more systems (or any grade-1 system) down through their
    links, and per failed domain that took ``spof_min`` or more systems down with it.

    Findings of one category, one owner, one cause and one severity band are merged into one when
    there are ``group_min`` or more of them (:mod:`.plan_groups`: a fire breaches hundreds of RTOs,
    and the plan names each owner's task once per cause, with counts), so the plan stays readable.
    "Critical" is kept for grade-1 RTO breaches and data lost for good.
    """
    report_date = report_date or date.today()
    days = {**DEFAULT_DUE_DAYS, **(due_days or {})}
    index = scenario.system_index
    spans = intervals(result)
    blast = blast_radius(scenario, result, spans)
    hits = domain_hits(scenario, result, spans, blast)
    causes = system_causes(scenario, spans, blast, hits)
    raw: list[Raw] = []

    def add(severity: str, category: str, subject: str, name: str, finding: str, recommendation: str, owner: str, grade: int | None,
            held: set[str] | None = None) -> None:
        cause, cause_text = causes.get(subject, ("", ""))
        raw.append(Raw(severity, category, subject, name, finding, recommendation, owner, grade, cause, cause_text,
                       [subject] if subject in index else [], sorted(held or ())))

    for sid, r in result.systems.items():
        system = index.get(sid)
        if system is None:
            continue
        owner = team_label(scenario, system.team)
        name = r.name
        site = site_of(scenario, sid)
        # Data lost for good.
        if r.data_lost_permanently:
            size = f" ({system.data.size:,.0f} GB)" if system.data.size else ""
            where = f" in {site}" if site else ""
            add(
                "critical", "data lost", sid, name,
                f"{name}: every copy of its data{size} was{where}, and it was lost for good.",
                f"Keep a backup copy outside {(site or 'its site').split(' (')[0]} (another site, an off-site vault) and test a restore "
                "from it; tell the users what was lost.",
                owner, r.grade,
            )
        # RTO breach.
        if r.rto_met is False:
            restored = fmt_hours(r.time_to_restore_hours)
            ratio = (r.time_to_restore_hours or 0.0) / r.rto_hours if r.rto_hours else math.inf
            ratio = round(ratio, 2 if ratio < 10 else 0)
            if r.restored:
                text = f"{name} (grade {r.grade}) was restored after {restored} against an RTO of {fmt_hours(r.rto_hours)} ({ratio:g}× the RTO)."
            else:
                text = (f"{name} (grade {r.grade}) was still down at the end of the drill, {restored} after it stopped serving, "
                        f"against an RTO of {fmt_hours(r.rto_hours)} ({ratio:g}× the RTO so far).")
            add(GRADE_SEVERITY.get(r.grade, "low"), "RTO breach", sid, name, text, _rto_recommendation(scenario, sid, r, spans.get(sid), auto, site), owner, r.grade)
        # RPO breach (data lost but not for good).
        if r.rpo_met is False and not r.data_lost_permanently and r.data_loss_hours is not None:
            backups = system.data.backups
            every = min((b.every for b in backups), default=None)
            now = f" (now every {fmt_hours(every)})" if every is not None else ""
            severity = {1: "high", 2: "high", 3: "medium"}.get(r.grade, "low")
            add(
                severity, "RPO breach", sid, name,
                f"{name} lost the last {fmt_hours(r.data_loss_hours)} of data against an RPO of {fmt_hours(r.rpo_hours)}.",
                f"Back up at least every {fmt_hours(r.rpo_hours)}{now}, or replicate continuously to a standby outside {site or 'its site'}.",
                owner, r.grade,
            )
        # Manual fallback not used.
        fb = system.fallback
        if fb is not None and r.fallback_served_demand <= 0 and r.downtime_hours > fb.activation + 1e-9 and r.unserved_demand > 0:
            what = fb.label or "manual processing"
            fb_owner = team_label(scenario, fb.team) if fb.team else owner
            severity = {1: "high", 2: "high", 3: "medium"}.get(r.grade, "low")
            add(
                severity, "fallback not used", sid, name,
                f"{name} was down for {fmt_hours(r.downtime_hours)} and its manual fallback ({what}, {fb.share:.0%} of demand) "
                f"was never switched on: {fmt_num(r.unserved_demand)} requests went unserved.",
                f"Put the switch to {what} in the first-hour checklist for {name}: it takes {fmt_hours(fb.activation)} and "
                f"{fb.staff} staff; rehearse it, and plan the re-entry of the paper backlog.",
                fb_owner, r.grade,
            )
    # Single points of failure hit: shared dependencies.
    for root, held in sorted(blast.items(), key=lambda kv: -len(kv[1])):
        grade1 = sorted(s for s in held if index[s].grade == 1)
        if len(held) < spof_min and not grade1:
            continue
        r = result.systems[root]
        system = index[root]
        held_sorted = sorted(held, key=lambda s: (index[s].grade, s))
        text = (
            f"{r.name} (grade {r.grade}) was down for {fmt_hours(r.downtime_hours)} and took {len(held)} other system"
            f"{'s' if len(held) != 1 else ''} down through their links" + (f", {len(grade1)} of them grade 1" if grade1 else "")
            + f" (e.g. {_names(scenario, held_sorted)})."
        )
        rec = (
            f"Remove the single point of failure: a second, independent {r.name} at another site (or an active-active pair), "
            "and for the grade-1 systems that need it an alternative means (an any_of dependency: a second authentication means, "
            "a cached copy), as was done for GPKI after the 2023 outage."
        )
        top = min(index[s].grade for s in held)
        if top < r.grade:
            rec = (
                f"Grade-{top} systems ({_names(scenario, [s for s in held_sorted if index[s].grade == top], 3)}) depend on {r.name}, "
                f"a grade-{r.grade} system: grade it with what depends on it and protect it accordingly (GPKI was raised from "
                "grade 3 to grade 1 after the 2023 outage), or give them an alternative that does not need it. " + rec
            )
        add("high", "single point of failure", root, r.name, text, rec, team_label(scenario, system.team), r.grade, held)
    # Failure domains that took many systems down.
    for hit in hits:
        if len(hit.hosted) < spof_min:
            continue
        grade1 = [s for s in hit.hosted if index[s].grade == 1]
        domain = scenario.domain_index[hit.domain]
        verb = "was destroyed" if hit.destroyed else "failed"
        extra = f", {len(hit.through_links)} more through their links" if hit.through_links else ""
        text = (
            f"{hit.label} {verb} at {fmt_elapsed(hit.t)}: {len(hit.hosted)} systems had every replica there"
            + (f" ({len(grade1)} of grade 1)" if grade1 else "") + extra + "."
        )
        rec = (
            f"Review the protection of {hit.label.split(' (')[0]} itself (power, batteries, cooling, fire suppression); give the grade-1 "
            "and grade-2 systems hosted only there a replica or a tested restore target in another failure domain."
        )
        if domain.repair is not None:
            owner = team_label(scenario, domain.repair.team)
        else:
            teams: dict[str, int] = {}
            for s in hit.hosted:
                teams[index[s].team] = teams.get(index[s].team, 0) + 1
            owner = team_label(scenario, max(teams, key=lambda t: teams[t]))
        add("high", "failure domain", hit.domain, hit.label, text, rec, owner, None)
    raw = group_findings(scenario, result, raw, group_min)
    raw.sort(key=lambda f: (SEVERITIES.index(f.severity), _CATEGORY_ORDER.get(f.category, 9), f.grade or 0, -len(f.systems), f.subject))
    out = []
    for k, f in enumerate(raw, start=1):
        out.append(Finding(f"F-{k:02d}", f.severity, f.category, f.subject, f.name, f.finding, f.recommendation, f.owner,
                           report_date + timedelta(days=days[f.severity]), f.grade, list(f.systems), f.cause_text))
    return out


def _rto_recommendation(scenario: Scenario, sid: str, r: "SystemResult", span: SystemIntervals | None, auto: "RunResult | None", site: str | None) -> str:
    system = scenario.system_index[sid]
    parts = []
    links_hours = sum(hi - lo for lo, hi in span.links) if span else 0.0
    own_hours = sum(hi - lo for lo, hi in span.own) if span else 0.0
    hard = [t for d in system.depends_on if d.kind is DependencyKind.hard for t in d.targets]
    if links_hours > own_hours and hard:
        parts.append(
            f"Down mostly because what it depends on was ({_names(scenario, hard)}): give it an alternative "
            "that works without it (a second means, a cache, a degraded mode)."
        )
    else:
        sites = {graph_site_of(scenario, p.domains) for p in system.placements}
        rules = mode_rules(system.redundancy.mode)
        single = not rules.redundant or len(sites) <= 1
        if single:
            parts.append(
                f"It has no replica outside {site or 'its site'}: add a standby at another site, or a tested restore into the "
                f"DR site that fits in the {fmt_hours(r.rto_hours)} RTO."
            )
        elif rules.rto_advice:
            parts.append(rules.rto_advice)
        if not system.recovery:
            parts.append("It has no runbook step: write one and rehearse it.")
    if auto is not None:
        a = auto.systems.get(sid)
        if a is not None and a.time_to_restore_hours is not None and r.time_to_restore_hours is not None:
            if a.time_to_restore_hours < r.time_to_restore_hours - 0.5 and a.restored:
                parts.append(f"The runbook order (auto policy) restored it in {fmt_hours(a.time_to_restore_hours)}: start its recovery earlier.")
    if not parts:
        parts.append(f"Review its runbook and staffing so that it is back within {fmt_hours(r.rto_hours)}, or revisit the RTO with its users.")
    return " ".join(parts)


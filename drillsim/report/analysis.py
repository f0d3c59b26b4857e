"""What went wrong in a run, worked out from its :class:`~drillsim.engine.RunResult`.

Pure functions over a scenario and run results (no plotting, no rendering):

- :func:`run_summary`: the headline numbers of a run and its score.
- :func:`intervals`: when each system was down in itself, and when only through its links.
- :func:`blast_radius`: for each system down in itself, the systems it held down through their
  links (directly or along a chain of dependencies): the single points of failure that were hit.
- :func:`domain_hits`: for each failed or destroyed domain, the systems that had every replica in it.
- :func:`findings`: the improvement plan, pre-filled from RTO breaches, data lost for good, RPO
  breaches, single points of failure hit and manual fallbacks not used.

Score (documented in the report itself)::

    score = 100 x (W_nothing - W_run) / W_nothing

where W is the grade-weighted unserved demand (sum over systems of grade weight x requests not
served, by the system or by its manual fallback). 100 means no citizen request went unserved;
0 means no better than doing nothing; it is negative when the run did worse than doing nothing.
The runbook (``auto`` policy) is scored the same way, as the benchmark.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..model.graph import domain_ancestors
from ..model.graph import site_of as graph_site_of
from ..model.redundancy import mode_rules
from ..model.scenario import Scenario
from ..model.systems import DependencyKind
from .text import fmt_hours, fmt_num

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.results import RunResult, SystemResult

__all__ = [
    "SEVERITIES",
    "DEFAULT_DUE_DAYS",
    "RunSummary",
    "Finding",
    "SystemIntervals",
    "run_summary",
    "score",
    "intervals",
    "blast_radius",
    "domain_hits",
    "findings",
    "site_of",
]

SEVERITIES = ("critical", "high", "medium", "low")
"""Severity of a finding, most urgent first."""

DEFAULT_DUE_DAYS = {"critical": 14, "high": 30, "medium": 60, "low": 90}
"""Days from the report date to the due date of an action, by severity."""

GRADE_SEVERITY = {1: "critical", 2: "high", 3: "medium", 4: "low"}
"""Severity of an RTO breach by the system's grade."""

_SERVING = ("up", "degraded")
_CATEGORY_ORDER = {"data lost": 0, "single point of failure": 1, "failure domain": 2, "RTO breach": 3, "RPO breach": 4, "fallback not used": 5}


# ----------------------------------------------------------------------------------------
# Headline numbers and score
# ----------------------------------------------------------------------------------------
def score(weighted_unserved: float, weighted_unserved_nothing: float) -> float | None:
    """100 x (W_nothing - W) / W_nothing (see the module docstring); None if doing nothing loses nothing."""
    if weighted_unserved_nothing <= 0:
        return None
    return 100.0 * (weighted_unserved_nothing - weighted_unserved) / weighted_unserved_nothing


@dataclass
class RunSummary:
    """The headline numbers of one run."""

    label: str
    policy: str
    seed: int
    ended_hours: float
    systems_affected: int
    downtime_hours: float
    """System-hours not serving, summed over every system."""
    grade1_downtime_hours: float
    unserved: float
    weighted_unserved: float
    fallback_served: float
    rto_breaches: int
    grade1_rto_breaches: int
    rpo_breaches: int
    data_lost: int
    down_at_end: int
    t50: float | None
    t90: float | None
    t100: float | None
    score: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in self.__dict__.items()}


def run_summary(label: str, result: "RunResult") -> RunSummary:
    """The headline numbers of ``result`` (score left unset: it needs the do-nothing run)."""
    m = result.metrics
    systems = result.systems.values()
    return RunSummary(
        label=label,
        policy=result.policy,
        seed=result.seed,
        ended_hours=result.ended_hours,
        systems_affected=m.systems_affected,
        downtime_hours=sum(s.downtime_hours for s in systems),
        grade1_downtime_hours=sum(s.downtime_hours for s in systems if s.grade == 1),
        unserved=m.unserved_demand,
        weighted_unserved=m.weighted_unserved_demand,
        fallback_served=m.fallback_served_demand,
        rto_breaches=m.rto_breaches,
        grade1_rto_breaches=m.grade1_rto_breaches,
        rpo_breaches=m.rpo_breaches,
        data_lost=len(m.data_lost_permanently),
        down_at_end=m.systems_down_at_end,
        t50=m.time_to_recover_hours.get("p50"),
        t90=m.time_to_recover_hours.get("p90"),
        t100=m.time_to_recover_hours.get("p100"),
    )


# ----------------------------------------------------------------------------------------
# Intervals
# ----------------------------------------------------------------------------------------
Interval = tuple[float, float]


@dataclass
class SystemIntervals:
    """When one system was not serving: in itself, and only through its links."""

    down: list[Interval]
    own: list[Interval]
    links: list[Interval]


def _steps_to_intervals(steps: list[tuple[float, bool]], end: float) -> list[Interval]:
    out: list[Interval] = []
    start: float | None = None
    for t, on in steps:
        if on and start is None:
            start = t
        elif not on and start is not None:
            if t > start:
                out.append((start, t))
            start = None
    if start is not None and end > start:
        out.append((start, end))
    return out


def _intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if hi > lo:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _subtract(a: list[Interval], b: list[Interval]) -> list[Interval]:
    out = []
    for lo, hi in a:
        cur = lo
        for blo, bhi in b:
            if bhi <= cur or blo >= hi:
                continue
            if blo > cur:
                out.append((cur, blo))
            cur = max(cur, bhi)
        if cur < hi:
            out.append((cur, hi))
    return out


def _overlaps(a: list[Interval], b: list[Interval]) -> bool:
    return bool(_intersect(a, b))


def intervals(result: "RunResult") -> dict[str, SystemIntervals]:
    """For every system the run touched: when it was down, down in itself, and down only through its links."""
    end = result.ended_hours
    out = {}
    for sid, r in result.systems.items():
        down = _steps_to_intervals([(t, status not in _SERVING) for t, status, _ in r.timeline], end)
        links_on = _steps_to_intervals(list(r.links_timeline), end)
        links = _intersect(down, links_on)
        out[sid] = SystemIntervals(down, _subtract(down, links_on), links)
    return out


def blast_radius(scenario: Scenario, result: "RunResult", spans: dict[str, SystemIntervals] | None = None) -> dict[str, set[str]]:
    """System id -> the systems it held down through their links (only systems that did so).

    A system held down through its links is attributed to the root causes of that: each hard
    dependency (or every member of an ``any_of`` group) that was down in itself at an
    overlapping time, and, for a dependency itself held down through its links, its own roots.
    """
    spans = spans if spans is not None else intervals(result)
    index = scenario.system_index
    memo: dict[str, set[str]] = {}

    def roots(sid: str, stack: frozenset[str]) -> set[str]:
        if sid in memo:
            return memo[sid]
        found: set[str] = set()
        mine = spans[sid].links
        for dep in index[sid].depends_on:
            if dep.kind is not DependencyKind.hard:
                continue
            for target in dep.targets:
                span = spans.get(target)
                if span is None or target in stack:
                    continue
                if _overlaps(span.own, mine):
                    found.add(target)
                if _overlaps(span.links, mine):
                    found |= roots(target, stack | {target})
        memo[sid] = found
        return found

    out: dict[str, set[str]] = {}
    for sid, span in spans.items():
        if not span.links or sid not in index:
            continue
        for root in roots(sid, frozenset({sid})):
            out.setdefault(root, set()).add(sid)
    return out


def site_of(scenario: Scenario, system_id: str) -> str | None:
    """The site (domain of kind site) of a system's first placement, as a label; None if it has none."""
    system = scenario.system_index.get(system_id)
    site = graph_site_of(scenario, system.placements[0].domains) if system is not None else None
    return scenario.domain_index[site].label if site is not None else None


def _placement_closure(scenario: Scenario, domains: list[str]) -> set[str]:
    out: set[str] = set()
    for d in domains:
        out.update(domain_ancestors(scenario, d))
    return out


@dataclass
class DomainHit:
    """A failed or destroyed domain and the systems that had every replica in it."""

    domain: str
    label: str
    t: float
    destroyed: bool
    hosted: list[str]
    through_links: set[str] = field(default_factory=set)


def domain_hits(scenario: Scenario, result: "RunResult", spans: dict[str, SystemIntervals] | None = None, blast: dict[str, set[str]] | None = None) -> list[DomainHit]:
    """Each domain that failed or was destroyed in the run (from its events), with the systems it took down."""
    spans = spans if spans is not None else intervals(result)
    blast = blast if blast is not None else blast_radius(scenario, result, spans)
    hits: dict[str, DomainHit] = {}
    for event in result.events:
        if event.kind not in ("domain_down", "domain_destroyed") or event.subject not in scenario.domain_index:
            continue
        hit = hits.get(event.subject)
        if hit is None:
            hit = DomainHit(event.subject, scenario.domain_index[event.subject].label, event.t, event.kind == "domain_destroyed", [])
            hits[event.subject] = hit
        elif event.kind == "domain_destroyed":
            hit.destroyed = True
    if not hits:
        return []
    closures = {}
    for sid, span in spans.items():
        if not span.own or sid not in scenario.system_index:
            continue
        system = scenario.system_index[sid]
        closures[sid] = [_placement_closure(scenario, p.domains) for p in system.placements]
    out = []
    for hit in hits.values():
        for sid, reps in closures.items():
            if all(hit.domain in closure for closure in reps) and any(lo <= hit.t + 1e-9 and hi > hit.t for lo, hi in spans[sid].own):
                hit.hosted.append(sid)
        for sid in hit.hosted:
            hit.through_links |= blast.get(sid, set())
        hit.through_links -= set(hit.hosted)
        out.append(hit)
    return out


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

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        out = dict(self.__dict__)
        out["due"] = self.due.isoformat()
        return out


def _team_label(scenario: Scenario, team_id: str | None) -> str:
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
    group_min: int = 6,
) -> list[Finding]:
    """The improvement plan pre-filled from what went wrong in ``result`` (see the module docstring).

    One finding per system that lost its data for good, per RTO breach, per RPO breach, per
    system with a manual fallback that was never switched on while it was down, per system down
    in itself that held ``spof_min`` or more systems (or any grade-1 system) down through their
    links, and per failed domain that took ``spof_min`` or more systems down with it.

    Medium and low findings of one category with one owner are merged into one finding when
    there are ``group_min`` or more of them (a fire breaches hundreds of grade-3/4 RTOs: the
    plan names the owner's task once, with the systems it covers), so the plan stays readable.
    """
    report_date = report_date or date.today()
    days = {**DEFAULT_DUE_DAYS, **(due_days or {})}
    index = scenario.system_index
    spans = intervals(result)
    blast = blast_radius(scenario, result, spans)
    raw: list[tuple[str, str, str, str, str, str, str, int | None]] = []

    def add(severity: str, category: str, subject: str, name: str, finding: str, recommendation: str, owner: str, grade: int | None) -> None:
        raw.append((severity, category, subject, name, finding, recommendation, owner, grade))

    for sid, r in result.systems.items():
        system = index.get(sid)
        if system is None:
            continue
        owner = _team_label(scenario, system.team)
        name = r.name
        site = site_of(scenario, sid)
        # Data lost for good.
        if r.data_lost_permanently:
            size = f" ({system.data.size:,.0f} GB)" if system.data.size else ""
            where = f" in {site}" if site else ""
            add(
                "critical", "data lost", sid, name,
                f"{name}: every copy of its data{size} was{where}, and it was lost for good.",
                f"Keep at least one backup copy outside {site or 'its site'} (another site or an off-site vault), test a restore "
                "from it, and tell the users what was lost and what they must re-create.",
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
            fb_owner = _team_label(scenario, fb.team) if fb.team else owner
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
        add("critical" if grade1 else "high", "single point of failure", root, r.name, text, rec, _team_label(scenario, system.team), r.grade)
    # Failure domains that took many systems down.
    for hit in domain_hits(scenario, result, spans, blast):
        if len(hit.hosted) < spof_min:
            continue
        grade1 = [s for s in hit.hosted if index[s].grade == 1]
        domain = scenario.domain_index[hit.domain]
        verb = "was destroyed" if hit.destroyed else "failed"
        extra = f", and {len(hit.through_links)} more went down through their links" if hit.through_links else ""
        text = (
            f"{hit.label} {verb} at T+{fmt_hours(hit.t)}: {len(hit.hosted)} systems had every replica there"
            + (f" ({len(grade1)} of them grade 1)" if grade1 else "") + extra + "."
        )
        rec = (
            f"Give the grade-1 and grade-2 systems hosted only in {hit.label} a replica or a tested restore target in another "
            "failure domain, and review the protection of the domain itself (power, batteries, cooling, fire suppression)."
        )
        if domain.repair is not None:
            owner = _team_label(scenario, domain.repair.team)
        else:
            teams: dict[str, int] = {}
            for s in hit.hosted:
                teams[index[s].team] = teams.get(index[s].team, 0) + 1
            owner = _team_label(scenario, max(teams, key=lambda t: teams[t]))
        add("critical" if grade1 else "high", "failure domain", hit.domain, hit.label, text, rec, owner, None)
    raw = _grouped(scenario, result, raw, group_min)
    raw.sort(key=lambda f: (SEVERITIES.index(f[0]), _CATEGORY_ORDER.get(f[1], 9), f[7] or 0, f[2]))
    out = []
    for k, (severity, category, subject, name, finding, rec, owner, grade) in enumerate(raw, start=1):
        out.append(Finding(f"F-{k:02d}", severity, category, subject, name, finding, rec, owner, report_date + timedelta(days=days[severity]), grade))
    return out


_GROUP_TEXT = {
    "RTO breach": (
        "{n} grade-{grades} systems of {owner} missed their RTO: restored after a median of {median} "
        "(longest {longest}), against RTOs of {rtos} (e.g. {names}).",
        "Agree a restoration order for these systems with their business owners, check that the RTOs are achievable "
        "with the staff and restore targets available (or change them), and prepare restore targets outside the failed site.",
    ),
    "RPO breach": (
        "{n} grade-{grades} systems of {owner} lost more data than their RPO allows (e.g. {names}).",
        "Bring their backup interval within the RPO, or replicate them to another site.",
    ),
    "fallback not used": (
        "{n} grade-{grades} systems of {owner} were down past their fallback's activation time and their manual "
        "fallbacks were never switched on (e.g. {names}).",
        "Put the switch to manual processing in the first-hour checklist for these services and rehearse it.",
    ),
}


def _grouped(scenario: Scenario, result: "RunResult", raw: list[tuple], group_min: int) -> list[tuple]:
    """Merge medium/low findings of one category and owner when there are ``group_min`` or more."""
    groups: dict[tuple[str, str, str], list[tuple]] = {}
    for item in raw:
        severity, category, *_rest = item
        owner = item[6]
        if severity in ("medium", "low") and category in _GROUP_TEXT:
            groups.setdefault((severity, category, owner), []).append(item)
    merged = {id(item) for items in groups.values() if len(items) >= group_min for item in items}
    out = [item for item in raw if id(item) not in merged]
    for (severity, category, owner), items in groups.items():
        if len(items) < group_min:
            continue
        ids = sorted((item[2] for item in items), key=lambda sid: (scenario.system_index[sid].grade, sid))
        grades = "/".join(str(g) for g in sorted({scenario.system_index[sid].grade for sid in ids}))
        restores = sorted(result.systems[sid].time_to_restore_hours or 0.0 for sid in ids)
        rtos = sorted({result.systems[sid].rto_hours for sid in ids})
        text, rec = _GROUP_TEXT[category]
        finding = text.format(
            n=len(ids),
            grades=grades,
            owner=owner,
            median=fmt_hours(restores[len(restores) // 2]),
            longest=fmt_hours(restores[-1]),
            rtos=" to ".join(dict.fromkeys([fmt_hours(rtos[0]), fmt_hours(rtos[-1])])),
            names=_names(scenario, ids, 3),
        )
        grade = min(scenario.system_index[sid].grade for sid in ids)
        out.append((severity, category, f"{len(ids)} systems", f"{len(ids)} systems of {owner}", finding, rec, owner, grade))
    return out


def _rto_recommendation(scenario: Scenario, sid: str, r: "SystemResult", span: SystemIntervals | None, auto: "RunResult | None", site: str | None) -> str:
    system = scenario.system_index[sid]
    parts = []
    links_hours = sum(hi - lo for lo, hi in span.links) if span else 0.0
    own_hours = sum(hi - lo for lo, hi in span.own) if span else 0.0
    hard = [t for d in system.depends_on if d.kind is DependencyKind.hard for t in d.targets]
    if links_hours > own_hours and hard:
        parts.append(
            f"It was down mostly because systems it depends on were ({_names(scenario, hard)}): give it an alternative "
            "(a second means, a cache, or a degraded mode that works without them)."
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


"""When each system was down, why, and what it took down with it, from a :class:`~drillsim.engine.RunResult`.

Pure functions over a scenario and a run's timelines:

- :func:`intervals`: when each system was down in itself, and when only through its links.
- :func:`blast_radius`: for each system down in itself, the systems it held down through their
  links (directly or along a chain of dependencies): the single points of failure that were hit.
- :func:`domain_hits`: for each failed or destroyed domain, the systems that had every replica in it.
- :func:`site_of`: the site of a system's first placement, as a label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model.graph import domain_ancestors
from ..model.graph import site_of as graph_site_of
from ..model.scenario import Scenario
from ..model.systems import DependencyKind

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.results import RunResult

__all__ = ["Interval", "SystemIntervals", "DomainHit", "intervals", "blast_radius", "domain_hits", "site_of"]

_SERVING = ("up", "degraded")


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

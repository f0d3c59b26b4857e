"""The compiled model: a scenario turned into integer-indexed tables, built once, shared by runs.

Compiling costs time proportional to the model's size; it is done once per scenario (a drill, a
batch worker) and cached. A run then touches only the entries it affects: the cost of a run
follows the affected systems, not the model's size.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from ..model.domains import DomainKind
from ..model.redundancy import mode_rules
from ..model.scenario import Scenario
from ..model.systems import (
    BackupFailureScope,
    DependencyKind,
    PlacementRole,
    RecoveryOption,
    RedundancyMode,
    System,
)
from ..model.teams import Team
from .demand import HOURLY, WEEKLY, DemandCurve
from .redundancy import ModeBehaviour, behaviour
from .runbook import runbook

__all__ = ["CompiledModel", "BackupCopy", "compile_scenario"]


@dataclass(frozen=True, slots=True)
class BackupCopy:
    """A backup of a system's data, with the domains whose loss destroys it."""

    interval: float
    closure: tuple[int, ...]
    restore_rate: float | None
    name: str
    failure: float = 0.0
    """Probability that a copy (``per_copy``) or the whole schedule is bad."""
    per_copy: bool = True
    """Whether ``failure`` applies to each copy on its own (else to the schedule)."""
    verified: bool = False
    """Bad copies are known when taken (else only when a restore from them fails)."""
    keep: int | None = None
    """Copies kept, newest first (None: all)."""


class CompiledModel:
    """Integer-indexed, read-only tables of a scenario (systems, replicas, domains, teams)."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        s = scenario
        # Domains ---------------------------------------------------------------------
        self.dom_ids: list[str] = [d.id for d in s.domains]
        self.didx: dict[str, int] = {d: i for i, d in enumerate(self.dom_ids)}
        self._closures: dict[tuple[str, ...], tuple[int, ...]] = {}
        """:meth:`closure_of`'s answers so far (the model does not change)."""
        self._capacity_sites: dict[str | None, int] = {}
        """:meth:`capacity_site`'s answers so far, by first target domain."""
        self.set_members: dict[int, frozenset[int]] = {}
        """The systems each of the scenario's system sets picks (decision openings and figures), by the set's id; filled by
        :class:`~drillsim.engine.openings.OpeningRules` on first use. The sets belong to :attr:`scenario`, which this model
        keeps alive, so their ids are not reused while it exists."""
        self.dom_parent: list[int] = [self.didx[d.parent] if d.parent is not None else -1 for d in s.domains]
        self.dom_detection: list[float] = [d.detection for d in s.domains]
        self.dom_free_capacity: list[int | None] = [d.free_capacity for d in s.domains]
        self.dom_restart: list[bool] = [d.needs_restart for d in s.domains]
        self.dom_closure: list[tuple[int, ...]] = [self._ancestors(i) for i in range(len(self.dom_ids))]
        # The site each domain is in (-1: none), for grouping systems by site.
        self.dom_site: list[int] = [
            next((a for a in closure if s.domains[a].kind is DomainKind.site), -1) for closure in self.dom_closure
        ]
        # Teams -----------------------------------------------------------------------
        self.teams: list[Team] = list(s.teams)
        self.tidx: dict[str, int] = {t.id: i for i, t in enumerate(s.teams)}
        # Systems ---------------------------------------------------------------------
        self.systems: list[System] = list(s.systems)
        self.sys_ids: list[str] = [x.id for x in s.systems]
        self.sidx: dict[str, int] = {x: i for i, x in enumerate(self.sys_ids)}
        self.sys_label: list[str] = [x.label for x in self.systems]
        """Each system's display name (``System.label``, computed once)."""
        n = len(self.systems)
        self.grade = [x.grade for x in self.systems]
        self.weight = [s.grade_weights[x.grade] for x in self.systems]
        self.threshold = [x.threshold for x in self.systems]
        self.headroom = [x.demand.headroom for x in self.systems]
        self.collapse_at = [x.demand.collapse_at for x in self.systems]
        self.per_day = [x.demand.per_day for x in self.systems]
        self.mode: list[RedundancyMode] = [x.redundancy.mode for x in self.systems]
        self.redundancy: list[ModeBehaviour] = [behaviour(m) for m in self.mode]
        """Each system's redundancy behaviour (:mod:`drillsim.engine.redundancy`)."""
        self.auto_switchover: list[bool] = [b.switches_over(x.redundancy) for b, x in zip(self.redundancy, self.systems, strict=True)]
        """Whether detecting a problem of its own starts an automatic switchover (the mode's answer, asked once)."""
        self.dormancy: list[float] = [x.redundancy.dormancy for x in self.systems]
        """Failure-rate factor of each system's standby replicas while they do not serve (1: as when serving)."""
        self.any_dormant: bool = any(f != 1.0 for f in self.dormancy)
        """Whether any standby ages slower while idle (then role changes are announced to background failures)."""
        self.team = [self.tidx.get(x.team, -1) for x in self.systems]
        self.rto = [x.rto for x in self.systems]
        self.rpo = [x.rpo for x in self.systems]
        # Demand curves, shared by all systems with the same profile.
        start_local = s.start.astimezone(s.zone)
        curves: dict[tuple[tuple[float, ...], tuple[float, ...]], int] = {}
        self.curves: list[DemandCurve] = []
        self.curve: list[int] = []
        for x in self.systems:
            profile = x.demand.profile
            name = profile if isinstance(profile, str) else "flat"
            hourly = HOURLY[profile] if isinstance(profile, str) else list(profile)
            weekly = x.demand.weekly or WEEKLY[name]
            key = (tuple(hourly), tuple(weekly))
            if key not in curves:
                curves[key] = len(self.curves)
                self.curves.append(DemandCurve(hourly, weekly, start_local))
            self.curve.append(curves[key])
        self.curve_per_day: list[float] = [0.0] * len(self.curves)
        for i, k in enumerate(self.curve):
            self.curve_per_day[k] += self.per_day[i]
        # Dependencies: (hard, factor, targets) per dependency; reverse index.
        self.deps: list[tuple[tuple[bool, float, tuple[int, ...]], ...]] = []
        self.resync: list[tuple[tuple[int, float], ...]] = []
        """Per system, (dependency number in ``deps``, hours) of the dependencies whose long outage leaves it to restart."""
        dependents: list[list[int]] = [[] for _ in range(n)]
        for i, x in enumerate(self.systems):
            compiled: list[tuple[bool, float, tuple[int, ...]]] = []
            resync: list[tuple[int, float]] = []
            seen: set[int] = set()
            for dep in x.depends_on:
                targets = tuple(self.sidx[t] for t in dep.targets if t in self.sidx)
                if not targets:
                    continue
                hard = dep.kind is DependencyKind.hard
                if dep.restart_if_down is not None:
                    resync.append((len(compiled), dep.restart_if_down))
                compiled.append((hard, 0.0 if hard else dep.factor, targets))
                for t in targets:
                    if t not in seen:
                        seen.add(t)
                        dependents[t].append(i)
            self.deps.append(tuple(compiled))
            self.resync.append(tuple(resync))
        self.dependents: list[tuple[int, ...]] = [tuple(d) for d in dependents]
        self.recovery_grade: list[int] = self._recovery_grades()
        """The grade a system's recovery is queued at: its own, or the best of the systems that hard-depend on it."""
        # Replicas ----------------------------------------------------------------------
        self.rep_sys: list[int] = []
        self.rep_name: list[str] = []
        self.rep_closure: list[tuple[int, ...]] = []
        self.rep_capacity: list[float] = []
        self.sys_reps: list[tuple[int, ...]] = []
        self.sys_active0: list[int] = []
        for i, x in enumerate(self.systems):
            reps = []
            rules = mode_rules(x.redundancy.mode)
            first_active = next((j for j, p in enumerate(x.placements) if p.role is PlacementRole.active), 0)
            for j, p in enumerate(x.placements):
                r = len(self.rep_sys)
                self.rep_sys.append(i)
                self.rep_name.append(p.name or f"r{j + 1}")
                self.rep_closure.append(self.closure_of(p.domains))
                default_cap = rules.default_capacity(len(x.placements))
                self.rep_capacity.append(p.capacity if p.capacity is not None else default_cap)
                reps.append(r)
            self.sys_reps.append(tuple(reps))
            self.sys_active0.append(reps[first_active])
        reps_under: list[list[int]] = [[] for _ in self.dom_ids]
        for r, closure in enumerate(self.rep_closure):
            for d in closure:
                reps_under[d].append(r)
        self.reps_under: list[tuple[int, ...]] = [tuple(x) for x in reps_under]
        # Data copies -------------------------------------------------------------------
        self.backups: list[tuple[BackupCopy, ...]] = []
        self.replication: list[tuple[int, float] | None] = []
        self.has_data: list[bool] = []
        for i, x in enumerate(self.systems):
            data = x.data
            self.backups.append(
                tuple(
                    BackupCopy(
                        b.every, self.closure_of(b.location), b.restore_rate, b.name or f"every {b.every:g}h",
                        b.failure, b.failure_scope is BackupFailureScope.copy, b.verified, b.keep,
                    )
                    for b in data.backups
                )
            )
            rep = None
            if data.replication is not None:
                names = [self.rep_name[r] for r in self.sys_reps[i]]
                if data.replication.to in names:
                    rep = (self.sys_reps[i][names.index(data.replication.to)], data.replication.lag)
            self.replication.append(rep)
            self.has_data.append(data.size is not None or bool(data.backups) or data.replication is not None)
        # Systems simulated request by request (a `queueing` block), found once here so a run
        # does not scan the model for them.
        self.queued_systems: list[int] = [i for i, x in enumerate(self.systems) if getattr(x, "queueing", None) is not None]
        # Runbooks (with the implicit restart), built once.
        self.runbook: list[tuple[RecoveryOption, ...]] = [runbook(x) for x in self.systems]
        # Systems the recovery curve counts (None: every affected one).
        self.curve_scope: set[int] | None = None
        if s.curve_scope:
            scope = {self.didx[d] for d in s.curve_scope if d in self.didx}
            self.curve_scope = {i for i in range(n) if scope.intersection(self.rep_closure[self.sys_active0[i]])}
        # Monitoring.
        monitor = s.monitoring.system
        self.monitor: int = self.sidx.get(monitor, -1) if monitor else -1
        self.report_delay: float = s.monitoring.report_delay
        self.sys_report_delay: list[float] = [
            x.report_delay if x.report_delay is not None else s.monitoring.report_delay for x in self.systems
        ]

    def _recovery_grades(self) -> list[int]:
        """Each system's grade, raised to the best grade of the systems held down without it (hard dependencies, transitively).

        A shared platform that grade-1 systems need is recovered as a grade-1 system. Each grade
        can only improve (at most three times per system), so the work list ends after O(edges).
        """
        best = list(self.grade)
        needs: list[list[int]] = [[] for _ in best]  # system -> the systems it hard-depends on
        for i, deps in enumerate(self.deps):
            for hard, _factor, targets in deps:
                if hard:
                    needs[i].extend(targets)
        work = list(range(len(best)))
        while work:
            i = work.pop()
            for j in needs[i]:
                if best[i] < best[j]:
                    best[j] = best[i]
                    work.append(j)
        return best

    def _ancestors(self, d: int) -> tuple[int, ...]:
        out = []
        while d >= 0 and d not in out:
            out.append(d)
            d = self.dom_parent[d]
        return tuple(out)

    def closure_of(self, domain_ids: list[str]) -> tuple[int, ...]:
        """Indices of the given domains and all their ancestors, each once (computed once per list of names)."""
        key = tuple(domain_ids)
        memo = self._closures
        closure = memo.get(key)
        if closure is None:
            out: list[int] = []
            for name in domain_ids:
                for d in self.dom_closure[self.didx[name]]:
                    if d not in out:
                        out.append(d)
            closure = memo[key] = tuple(out)
        return closure

    def site_of_closure(self, closure: tuple[int, ...]) -> int:
        """The site of a replica with this domain closure: the first domain in it that has one (-1: none)."""
        for d in closure:
            if self.dom_site[d] >= 0:
                return self.dom_site[d]
        return -1

    def capacity_site(self, domain_ids: list[str]) -> int:
        """The domain whose free capacity a restore into ``domain_ids`` uses (-1: unlimited)."""
        key = domain_ids[0] if domain_ids else None
        site = self._capacity_sites.get(key)
        if site is None:
            site = -1
            for d in self.closure_of(domain_ids[:1]):
                if self.dom_free_capacity[d] is not None:
                    site = d
                    break
            self._capacity_sites[key] = site
        return site


_CACHE: dict[int, tuple[weakref.ref[Scenario], CompiledModel]] = {}


def compile_scenario(scenario: Scenario) -> CompiledModel:
    """The compiled model of ``scenario`` (cached while the scenario object lives)."""
    key = id(scenario)
    entry = _CACHE.get(key)
    if entry is not None and entry[0]() is scenario:
        return entry[1]
    # Compiling allocates many small, long-lived objects; a full collection set off meanwhile
    # would walk the whole (large) scenario object graph for nothing.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        compiled = CompiledModel(scenario)
    finally:
        if was_enabled:
            gc.enable()
    _CACHE[key] = (weakref.ref(scenario, _forget(key)), compiled)
    return compiled


def _forget(key: int) -> Callable[[weakref.ref[Scenario]], None]:
    """The callback dropping a scenario's compiled model once the scenario is gone.

    It holds the cache itself: at interpreter exit the module's globals may be gone already.
    """
    cache = _CACHE

    def forget(_ref: weakref.ref[Scenario]) -> None:
        cache.pop(key, None)

    return forget

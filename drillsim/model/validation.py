"""Checks that need the whole scenario: references, duplicates, cycles, and planning traps.

Field-level checks (types, ranges, durations) are done by the pydantic models; this module
checks what only makes sense across entries, and returns :class:`Finding` objects with the path
of the offending value. :mod:`drillsim.model.loading` turns paths into file lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Severity
from .domains import DATA_BEARING_KINDS
from .graph import domain_ancestors, find_cycle, hard_edges
from .inject_kinds import inject_kind
from .injects import Action
from .limits import MAX_ERRORS
from .openings import check_decision
from .redundancy import mode_rules
from .scenario import Scenario
from .suggest import Suggester, did_you_mean
from .systems import Placement, PlacementRole, RecoveryKind, RecoveryOption, System

__all__ = ["Finding", "Findings", "Suggester", "check_scenario", "did_you_mean"]

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    """A problem at a path in the scenario document."""

    severity: Severity
    path: Path
    message: str


class Findings(list[Finding]):
    """The findings of :func:`check_scenario`, and how many errors past :data:`MAX_ERRORS` were only counted."""

    omitted: int = 0


class _Checker:
    def __init__(self, scenario: Scenario):
        self.s = scenario
        self.findings: list[Finding] = []
        self.domains = {d.id for d in scenario.domains}
        self.systems = {s.id for s in scenario.systems}
        self.teams = {t.id for t in scenario.teams}
        self.decisions = {d.id for d in scenario.decisions}
        self._bearing: dict[str, frozenset[str]] = {}
        self._suggesters: dict[int, Suggester] = {}
        self.errors = 0
        """Errors found; past :data:`MAX_ERRORS` they are counted, not kept (nor worded)."""

    @property
    def full(self) -> bool:
        """Whether :data:`MAX_ERRORS` errors are kept already."""
        return self.errors >= MAX_ERRORS

    def error(self, path: Path, message: str) -> None:
        self.errors += 1
        if self.errors <= MAX_ERRORS:
            self.findings.append(Finding(Severity.error, path, message))

    def warn(self, path: Path, message: str) -> None:
        self.findings.append(Finding(Severity.warning, path, message))

    def ref(self, path: Path, value: str | None, known: set[str], what: str) -> bool:
        if value is None or value in known:
            return True
        if self.full:
            self.errors += 1
            return False
        suggest = self._suggesters.get(id(known))
        if suggest is None:
            suggest = self._suggesters[id(known)] = Suggester(known)
        self.error(path, f"unknown {what} {value!r}{suggest(value)}")
        return False

    # -- checks -------------------------------------------------------------------------
    def duplicates(self) -> None:
        for section in ("domains", "teams", "systems", "organizations", "decisions"):
            first: dict[str, int] = {}
            for index, entry in enumerate(getattr(self.s, section)):
                if entry.id in first:
                    self.error((section, index, "id"), f"duplicate id {entry.id!r} (first used at {section}[{first[entry.id]}])")
                else:
                    first[entry.id] = index

    def domains_(self) -> None:
        for i, domain in enumerate(self.s.domains):
            if domain.parent == domain.id:
                self.error(("domains", i, "parent"), f"domain {domain.id!r} is its own parent")
            else:
                self.ref(("domains", i, "parent"), domain.parent, self.domains, "domain")
            if domain.repair is not None:
                self.ref(("domains", i, "repair", "team"), domain.repair.team, self.teams, "team")
                self.staff_fits(("domains", i, "repair", "staff"), domain.repair.team, domain.repair.staff)
        parents = {d.id: [d.parent] if d.parent and d.parent in self.domains else [] for d in self.s.domains}
        cycle = find_cycle(parents)
        if cycle:
            index = next(i for i, d in enumerate(self.s.domains) if d.id == cycle[0])
            self.error(("domains", index, "parent"), f"domain parents form a loop: {' -> '.join(cycle)}")

    def staff_fits(self, path: Path, team_id: str | None, staff: int) -> None:
        team = self.s.team_index.get(team_id or "")
        if team is None:
            return
        most = team.staff + (team.mutual_aid.staff if team.mutual_aid else 0)
        if staff > most:
            self.error(path, f"needs {staff} staff but team {team.id!r} never has more than {most}: the work could never start")

    def systems_(self) -> None:
        for i, system in enumerate(self.s.systems):
            base: Path = ("systems", i)
            self.ref((*base, "team"), system.team, self.teams, "team")
            placements = {p.name for p in system.placements if p.name is not None}  # every one is named by then
            for j, placement in enumerate(system.placements):
                for k, domain in enumerate(placement.domains):
                    self.ref((*base, "placements", j, "domains", k), domain, self.domains, "domain")
            self.redundancy(base, system)
            data = system.data
            if data.replication is not None:
                if data.replication.to == system.placements[0].name:
                    self.error((*base, "data", "replication", "to"), f"replication to {data.replication.to!r} copies the data onto itself")
                else:
                    self.ref((*base, "data", "replication", "to"), data.replication.to, placements, f"placement of {system.id!r}")
            for j, backup in enumerate(data.backups):
                for k, domain in enumerate(backup.location):
                    self.ref((*base, "data", "backups", j, "in", k), domain, self.domains, "domain")
            for j, dep in enumerate(system.depends_on):
                if dep.system is not None:
                    if dep.system == system.id:
                        self.error((*base, "depends_on", j), f"{system.id!r} depends on itself")
                    else:
                        self.ref((*base, "depends_on", j), dep.system, self.systems, "system")
                else:
                    for k, alt in enumerate(dep.any_of or []):
                        if alt == system.id:
                            self.error((*base, "depends_on", j, "any_of", k), f"{system.id!r} depends on itself")
                        else:
                            self.ref((*base, "depends_on", j, "any_of", k), alt, self.systems, "system")
            for j in range(len(system.recovery)):
                self.option(base, j, system, placements)
            if system.fallback is not None and system.fallback.team is not None:
                self.ref((*base, "fallback", "team"), system.fallback.team, self.teams, "team")
                self.staff_fits((*base, "fallback", "staff"), system.fallback.team, system.fallback.staff)
            self.gdrive_trap(base, system)
            self.queueing(base, system)

    def queueing(self, base: Path, system: System) -> None:
        """A per-request block that can never count anyone."""
        q = system.queueing
        if q is None:
            return
        if q.arrivals is None and system.demand.per_day <= 0:
            self.warn((*base, "queueing"), f"{system.id!r} has a queueing block but no callers: set 'arrivals' (e.g. 9/h) or demand.per_day")
        if q.warmup >= self.s.horizon:
            self.warn((*base, "queueing", "warmup"), f"the warmup ({q.warmup:g}h) lasts the whole run ({self.s.horizon:g}h): no caller is counted")

    def redundancy(self, base: Path, system: System) -> None:
        for severity, where, message in mode_rules(system.redundancy.mode).check(system):
            self.findings.append(Finding(severity, (*base, where), message))

    def option(self, base: Path, j: int, system: System, placements: set[str]) -> None:
        option = system.recovery[j]
        path: Path = (*base, "recovery", j)
        team = option.team or system.team
        self.ref((*path, "team"), option.team, self.teams, "team")
        self.staff_fits((*path, "staff"), team, option.staff)
        if self.ref((*path, "escalate"), option.escalate, self.teams, "team to escalate to"):
            self.staff_fits((*path, "staff"), option.escalate, option.staff)
        for k, domain in enumerate(option.target or []):
            self.ref((*path, "target", k), domain, self.domains, "domain")
        if option.source is not None:
            self.ref((*path, "source"), option.source, placements, f"placement of {system.id!r}")
        for k, need in enumerate(option.needs):
            if need == system.id:
                self.error((*path, "needs", k), f"the recovery of {system.id!r} cannot need {system.id!r} itself")
            else:
                self.ref((*path, "needs", k), need, self.systems, "system")
        if option.kind is RecoveryKind.failover and len(system.placements) < 2:
            self.error((*path, "kind"), f"failover needs a second placement to switch to; {system.id!r} has one")

    def gdrive_trap(self, base: Path, system: System) -> None:
        data = system.data
        if data.size is None and not data.backups and data.replication is None:
            return  # stateless, or data not modelled
        primary_domains: set[str] = set()
        for domain in system.placements[0].domains:
            primary_domains.update(self.bearing(domain))
        copies: list[set[str]] = []
        for backup in data.backups:
            where: set[str] = set()
            for domain in backup.location:
                where.update(self.bearing(domain))
            copies.append(where)
        if data.replication is not None:
            target = system.placement(data.replication.to)
            if target is not None:
                where = set()
                for domain in target.domains:
                    where.update(self.bearing(domain))
                copies.append(where)
        if not copies:
            self.warn((*base, "data"), f"{system.id!r} has data but no backup or replica: a loss of its site loses the data for good")
        elif all(copy & primary_domains for copy in copies):
            shared = sorted(set.intersection(*(copy & primary_domains for copy in copies)) or (copies[0] & primary_domains))
            self.warn(
                (*base, "data"),
                f"every copy of the data of {system.id!r} shares a failure domain with the primary ({', '.join(shared)}): "
                "one fire there loses the data for good (the G-Drive trap)",
            )

    def futile_runbooks(self) -> None:
        """Systems the injects destroy whose every runbook step can never succeed afterwards.

        Static and on the safe side: only ``destroy`` injects count (hardware and data copies are
        then gone for good; a destroyed domain stays unusable unless an inject or a decision
        restores it), and only what is destroyed by the time the system itself is.
        """
        self._destroyed: dict[str, float] = {}
        for inject in self.s.injects:
            if inject.destroy in self.domains:
                self._destroyed[inject.destroy] = min(inject.at, self._destroyed.get(inject.destroy, inject.at))
        if not self._destroyed:
            return
        self._restores: dict[str, list[float]] = {}
        for inject in self.s.injects:
            if inject.restore is not None:
                self._restores.setdefault(inject.restore, []).append(inject.at)
        for decision in self.s.decisions:
            for option in decision.options:
                for effect in option.effects:
                    if effect.restore is not None:  # may be chosen at any time: counts as a restore
                        self._restores.setdefault(effect.restore, []).append(float("inf"))
        for i, system in enumerate(self.s.systems):
            if not system.recovery:
                continue
            hits = [(self._destroyed[d], d) for d in self._closure(_active(system).domains) if d in self._destroyed]
            if not hits:
                continue
            t0, hit = min(hits)
            reasons = [self._futile(system, option, t0) for option in system.recovery]
            if all(reasons):
                steps = "; ".join(f"{o.key}: {why}" for o, why in zip(system.recovery, reasons))
                self.warn(
                    ("systems", i, "recovery"),
                    f"{system.id!r} is destroyed at {t0:g}h (with {hit}) and no step of its runbook can ever bring it back ({steps})",
                )

    def _closure(self, domains: list[str]) -> list[str]:
        return [d for domain in domains for d in domain_ancestors(self.s, domain)]

    def _lost_by(self, domains: list[str], t: float) -> str | None:
        """A domain (among these and their ancestors) destroyed at or before ``t``."""
        return next((d for d in self._closure(domains) if self._destroyed.get(d, float("inf")) <= t), None)

    def _unusable_from(self, domains: list[str], t: float) -> str | None:
        """A domain destroyed by ``t`` that no inject or decision ever makes usable again."""
        for d in self._closure(domains):
            when = self._destroyed.get(d, float("inf"))
            if when <= t and not any(r >= when for r in self._restores.get(d, ())):
                return d
        return None

    def _futile(self, system: System, option: RecoveryOption, t0: float) -> str | None:
        """Why ``option`` can never succeed once the system is destroyed at ``t0`` (None: it may)."""
        kind = option.kind
        if kind is RecoveryKind.restart:
            return "a restart needs the destroyed hardware"
        if kind is RecoveryKind.failover:
            standbys = [p for p in system.placements if p is not _active(system) and option.source in (None, p.name)]
            return "every standby placement is destroyed too" if all(self._lost_by(p.domains, t0) for p in standbys) else None
        if kind is RecoveryKind.rebuild:  # in place (or at its target) once the room is usable again
            gone = self._unusable_from(option.target or _active(system).domains, t0)
            return f"{gone} is destroyed and never restored" if gone is not None else None
        gone = self._unusable_from(option.target or [], t0)
        if gone is not None:
            return f"the target {gone} is destroyed and never restored"
        data = system.data
        if data.size is None and not data.backups and data.replication is None:
            return None  # no data modelled: nothing to restore from is needed
        peers = system.placements if mode_rules(system.redundancy.mode).data_on_every_placement else [_active(system)]
        copies = [p.domains for p in peers] + [b.location for b in data.backups]
        replica = system.placement(data.replication.to) if data.replication is not None else None
        if replica is not None:
            copies.append(replica.domains)
        if all(self._lost_by(where, t0) for where in copies):
            return "no copy of its data is left outside the destroyed domains"
        return None

    def bearing(self, domain_id: str) -> frozenset[str]:
        """The domain and its ancestors whose destruction takes stored data with it (cached: asked per system)."""
        cached = self._bearing.get(domain_id)
        if cached is None:
            index = self.s.domain_index
            cached = frozenset(d for d in domain_ancestors(self.s, domain_id) if index[d].kind in DATA_BEARING_KINDS)
            self._bearing[domain_id] = cached
        return cached

    def hard_cycles(self) -> None:
        cycle = find_cycle(hard_edges(self.s))
        if cycle:
            # With a duplicate id (reported on its own) the edge may come from any system of that id.
            path: Path = ("systems",)
            for i, system in enumerate(self.s.systems):
                if system.id != cycle[0]:
                    continue
                dep_index = next((j for j, d in enumerate(system.depends_on) if d.system == cycle[1]), None)
                if dep_index is not None:
                    path = ("systems", i, "depends_on", dep_index)
                    break
                path = ("systems", i)
            self.error(path, f"hard dependencies form a cycle: {' -> '.join(cycle)}; nothing in it could ever come back")

    def action(self, path: Path, action: Action) -> None:
        kind = action.action
        if kind != "message":
            inject_kind(kind).check(self, path, action)

    def injects(self) -> None:
        for i, inject in enumerate(self.s.injects):
            self.action(("injects", i), inject)
            if inject.at > self.s.horizon:
                self.warn(("injects", i, "at"), f"happens after the horizon ({inject.at:g}h > {self.s.horizon:g}h) and will never fire")
        used = {i.decision for i in self.s.injects if i.decision}
        for i, decision in enumerate(self.s.decisions):
            check_decision(self, i, decision)
            if decision.opens is not None:
                used.add(decision.id)
            for j, option in enumerate(decision.options):
                for k, effect in enumerate(option.effects):
                    self.action(("decisions", i, "options", j, "effects", k), effect)
                    if effect.decision is not None:
                        used.add(effect.decision)
            if decision.id not in used:
                self.warn(("decisions", i, "id"), f"decision {decision.id!r} is never put to the players (no inject names it, and it has no 'opens')")

    def failures(self) -> None:
        for i, failure in enumerate(self.s.failures):
            self.ref(("failures", i, "crew"), failure.crew, self.teams, "team")
            for k, target in enumerate(failure.targets):
                path = ("failures", i, "targets", k)
                if "/" in target:
                    system_id, _, placement = target.partition("/")
                    if self.ref(path, system_id, self.systems, "system"):
                        names = [p.name for p in self.s.system_index[system_id].placements if p.name is not None]
                        if placement not in names:
                            self.error(path, f"{system_id!r} has no placement {placement!r}{did_you_mean(placement, names)}")
                else:
                    self.ref(path, target, self.domains, "domain (or system/placement)")

    def organizations(self) -> None:
        for i, org in enumerate(self.s.organizations):
            for field in ("uses", "owns"):
                for k, system_id in enumerate(getattr(org, field)):
                    self.ref(("organizations", i, field, k), system_id, self.systems, "system")
        for k, domain in enumerate(self.s.curve_scope or []):
            self.ref(("curve_scope", k), domain, self.domains, "domain")
        if self.s.monitoring.system is not None:
            self.ref(("monitoring", "system"), self.s.monitoring.system, self.systems, "system")

    def run(self) -> Findings:
        self.duplicates()
        self.domains_()
        self.systems_()
        self.hard_cycles()
        self.injects()
        self.futile_runbooks()
        self.failures()
        self.organizations()
        out = Findings(self.findings)
        out.omitted = max(0, self.errors - MAX_ERRORS)
        return out


def _active(system: System) -> Placement:
    """The placement that serves first (the first one marked active, else the first)."""
    return next((p for p in system.placements if p.role is PlacementRole.active), system.placements[0])


def check_scenario(scenario: Scenario) -> Findings:
    """Every cross-entry problem in ``scenario``: warnings, and up to :data:`MAX_ERRORS` errors (the rest counted), with paths."""
    return _Checker(scenario).run()

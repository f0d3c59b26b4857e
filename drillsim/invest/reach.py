"""What an option can change under a threat: static reachability, read from the scenario, no simulation.

Two shortcuts of the analysis rest on it (:mod:`drillsim.invest.analysis`):

- **skip**: an option whose changes the threat cannot reach behaves, run by run, exactly like the
  baseline (same seeds, same named random streams, nothing it changed ever acts), so its loss for
  that threat *is* the baseline's: the baseline's records are reused, nothing is simulated;
- **add up**: when the options of a portfolio influence disjoint sets of systems under a threat,
  each system behaves as under the one option that can influence it (or as in the baseline), and
  a run's loss is a sum over systems, so ``loss(A + B) = loss(A) + loss(B) - loss(baseline)``
  run by run; the portfolio needs no simulation of its own for that threat.

Both are exact only if the influence sets are complete, so every rule errs on the side of "can
influence". The links are those of the threat's scenario and of every option considered, all
versions of every entry at once. For one threat:

1. **Own problems** (systems the engine recovers, switches over or restores: only those with a
   problem of their own): systems the threat names (any id in its ``injects``, ``decisions`` and
   ``failures``, but those it only suspends, resumes or reorders; a named domain counts with
   everything below it), systems placed in such a domain, and systems that cannot serve fully by
   themselves (own capacity with every replica up below 1, or ``headroom`` below 1).
2. **Disturbed** systems: those, the systems it suspends, and, repeatedly, every system that
   depends (hard, soft, ``any_of``) on a disturbed one. A system disturbed only through its dependencies detects,
   runs its manual fallback and loses demand, but is never recovered, switched over or restored
   (the engine's "nothing to recover: it is down through its dependencies").
3. **What a change sets going** (its seeds): a changed or new system if disturbed, except that
   changes to its ``placements``, ``redundancy``, ``recovery`` and ``footprint`` act only if it
   has a problem of its own, and changes to its ``data`` only if, besides, it can use a copy
   (its hardware can be destroyed by the threat, or it has a ``failover`` or ``restore`` step,
   or switches over automatically); a changed domain: the systems with problems of their own
   placed in, restoring into or backing up to it or a domain below it; a changed team:
   everything it serves (below).
4. **Influence**: the seeds and, repeatedly, from an influenced system: the disturbed systems
   that depend on it, those with problems of their own whose runbook ``needs`` it, what its
   teams serve (a team works its queue in priority order: its recovery work for systems with
   problems of their own, manual fallbacks holding its staff, its domain repairs and background
   failure repairs), the systems restoring into the same limited site capacity, and every
   disturbed system if it is the monitoring system.
5. **Everything** (no shortcut) when a patch changes anything else: injects, failures,
   decisions, monitoring, the start or horizon, or removes an entry.

An option whose influence is empty is skipped for the threat; options whose influences do not
meet, and which change no entry in common, add up. The tests compare both shortcuts with
simulations on the same seeds, and an option that is one link away from the threat with its
simulation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from pydantic import BaseModel

from ..model.domains import Domain
from ..model.overlays import merge
from ..model.scenario import Scenario
from ..model.systems import RedundancyMode, System
from ..model.teams import Team
from ..model.yamlio import to_plain

__all__ = ["Change", "ThreatReach", "EVERYTHING", "NO_EFFECT_KEYS"]

NO_EFFECT_KEYS = frozenset({"id", "name", "name_local", "description", "briefing", "objectives", "rules", "sources", "notes", "organizations", "timezone"})
"""Top-level scenario fields a patch may set without changing any run (texts, who owns what)."""

KEYED: dict[str, type[BaseModel]] = {"systems": System, "domains": Domain, "teams": Team}
"""Top-level lists a patch changes entry by entry, with the model each merged entry is read with."""


@dataclass(frozen=True)
class Change:
    """What one option's patch layers (its ``patch`` and its ``threat_patches`` for this threat) change."""

    systems: dict[str, System] = field(default_factory=dict)
    """Changed or new systems, as merged (the patch applied to the threat's entry)."""
    domains: dict[str, Domain] = field(default_factory=dict)
    """Changed or new domains, as merged."""
    teams: dict[str, Team] = field(default_factory=dict)
    """Changed or new teams, as merged."""
    fields: dict[str, frozenset[str]] = field(default_factory=dict)
    """Per changed system, the fields the layers set (``{"*"}`` for a new system)."""
    everything: str | None = None
    """Why the change can reach everything (a top-level field, a removed entry), or None."""

    @property
    def empty(self) -> bool:
        """Whether the layers change nothing at all."""
        return not (self.systems or self.domains or self.teams or self.everything)

    def shares_entries(self, other: "Change") -> bool:
        """Whether both change one entry (their merge could differ from either: never added up)."""
        return bool(self.systems.keys() & other.systems.keys() or self.domains.keys() & other.domains.keys() or self.teams.keys() & other.teams.keys())


EVERYTHING = None
"""What :meth:`ThreatReach.influence` returns for a change that may influence every system."""


def _strings(value: Any, keys: tuple[str, ...] = ()) -> Iterable[tuple[tuple[str, ...], str]]:
    """Every string inside a plain value with the keys above it (ids named by injects, decisions and failures)."""
    if isinstance(value, str):
        yield keys, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*keys, str(key)))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item, keys)


QUIET_KEYS = frozenset({"suspend", "resume", "prefer", "set_capacity", "add_staff", "decision", "message", "title", "expected", "prompt", "label", "id"})
"""Inject fields whose ids give no system a problem of its own: ``suspend`` (and ``resume``) take a
system offline on purpose (it is disturbed, but never recovered), ``prefer`` reorders runbooks,
``set_capacity`` changes a site's free capacity (counted as limited capacity), the rest are texts."""


def _self_sound(system: System) -> bool:
    """Whether the system serves fully with every replica up and no surge (else it is disturbed by itself)."""
    places = system.placements
    if system.redundancy.mode is RedundancyMode.active_active:
        own = min(1.0, sum(p.capacity if p.capacity is not None else 1.0 / len(places) for p in places))
    else:
        active = next((p for p in places if p.role is not None and p.role.value == "active"), places[0])
        own = active.capacity if active.capacity is not None else 1.0
    return own >= 1.0 - 1e-12 and system.demand.headroom >= 1.0


RESPONSE_FIELDS = frozenset({"placements", "redundancy", "recovery", "footprint", "data"})
"""System fields that act only when the system has a problem of its own (``data``: only when a copy is used)."""

TEXT_FIELDS = frozenset({"name", "name_local"})
"""System fields no run reads."""


def _recovery_teams(system: System) -> set[str]:
    return {system.team} | {step.team for step in system.recovery if step.team}


def _uses_copies(system: System) -> bool:
    """Whether the system's runbook or redundancy reads its data copies without a destruction."""
    kinds = {step.kind.value for step in system.recovery}
    return bool(kinds & {"failover", "restore"}) or (system.redundancy.mode is RedundancyMode.active_standby and len(system.placements) > 1)


def _entry(document: Any, section: str, entry_id: str) -> Any:
    for item in (document.get(section) or []) if isinstance(document, dict) else []:
        if isinstance(item, dict) and item.get("id") == entry_id:
            return item
    return None


class ThreatReach:
    """The links of one threat's scenario that carry an option's effect from system to system."""

    def __init__(self, scenario: Scenario, document: Any):
        self.scenario = scenario
        self.document = document
        """The threat's merged scenario document (options' entries are merged onto its entries)."""
        self.monitor = scenario.monitoring.system
        events = scenario.model_dump(include={"injects", "decisions", "failures"}, mode="json", by_alias=True)
        found = list(_strings(events))
        named = {value for keys, value in found if not QUIET_KEYS.intersection(keys)}
        self._named = named
        self._offline = {value for keys, value in found if {"suspend", "resume"} & set(keys)}
        self._destroyed = {value for keys, value in found if keys and keys[-1] == "destroy"}
        self._crews: list[tuple[str, list[str]]] = [(f.crew, list(f.targets)) for f in scenario.failures if f.crew]
        # Site capacity that restores share: domains with free_capacity, and any domain the threat names
        # (a set_capacity inject may limit one that had none).
        self._limited = {d.id for d in scenario.domains if d.free_capacity is not None} | {
            value for keys, value in found if "set_capacity" in keys and value in scenario.domain_index
        }

    # -- what a patch changes ----------------------------------------------------------------
    def change(self, layers: Sequence[Any]) -> Change:
        """What the overlay ``layers`` (applied to this threat's document, in order) change."""
        found: dict[str, dict[str, Any]] = {section: {} for section in KEYED}
        for layer in layers:
            if not layer:
                continue
            for key, value in layer.items():
                if key in NO_EFFECT_KEYS:
                    continue
                if key not in KEYED or not isinstance(value, list):
                    return Change(everything=f"it changes the scenario's {key!r}")
                for entry in value:
                    if not isinstance(entry, dict) or entry.get("id") is None or entry.get("remove") is True:
                        return Change(everything=f"it removes or rewrites {key}")
                    found[key].setdefault(str(entry["id"]), []).append(entry)
        merged: dict[str, dict[str, Any]] = {section: {} for section in KEYED}
        fields: dict[str, frozenset[str]] = {}
        for section, model in KEYED.items():
            for entry_id, entries in found[section].items():
                value = _entry(self.document, section, entry_id)
                if section == "systems":
                    fields[entry_id] = frozenset({"*"}) if value is None else frozenset(k for e in entries for k in e if k != "id")
                for entry in entries:
                    value = entry if value is None else merge(value, entry)
                merged[section][entry_id] = model.model_validate(to_plain(value))
        return Change(merged["systems"], merged["domains"], merged["teams"], fields)

    # -- influence ---------------------------------------------------------------------------
    def influence(self, changes: Sequence[Change], links: "Links | None" = None) -> list[frozenset[str] | None]:
        """Per change, the systems it can influence under this threat (None: every system).

        The links are those of the threat's scenario and of every change given (all versions of
        every entry at once), so the sets hold for any combination of these changes; ``links``
        may be given instead, built over more changes (a superset of links: larger, still sound sets).
        """
        graph = links if links is not None else Links(self, changes)
        return [None if c.everything else graph.closure(c) for c in changes]


class Links:
    """The union of the links of a threat's scenario and some changes; who has problems of their own, who is disturbed."""

    def __init__(self, reach: ThreatReach, changes: Sequence[Change]):
        s = reach.scenario
        versions: dict[str, list[System]] = {x.id: [x] for x in s.systems}
        parents: dict[str, set[str]] = {d.id: {d.parent} if d.parent else set() for d in s.domains}
        repairs: dict[str, set[str]] = {}
        limited = set(reach._limited)
        for d in s.domains:
            if d.repair is not None:
                repairs.setdefault(d.repair.team, set()).add(d.id)
        for change in changes:
            for x in change.systems.values():
                versions.setdefault(x.id, []).append(x)
            for d in change.domains.values():
                parents.setdefault(d.id, set()).update([d.parent] if d.parent else [])
                if d.repair is not None:
                    repairs.setdefault(d.repair.team, set()).add(d.id)
                if d.free_capacity is not None:
                    limited.add(d.id)
        self.parents = parents
        self.children: dict[str, set[str]] = {}
        for child, ps in parents.items():
            for parent in ps:
                self.children.setdefault(parent, set()).add(child)
        self.repairs = repairs
        self.monitor = reach.monitor
        self.versions = versions
        # Per system, over all its versions.
        self.places: dict[str, set[str]] = {}
        self.refs: dict[str, set[str]] = {}
        self.work_teams: dict[str, set[str]] = {}
        self.fallback_teams: dict[str, set[str]] = {}
        self.pools: dict[str, set[str]] = {}
        self.copies: set[str] = set()
        self.dependents: dict[str, set[str]] = {}
        self.needers: dict[str, set[str]] = {}
        unsound: set[str] = set()
        for sid, xs in versions.items():
            places: set[str] = set()
            refs: set[str] = set()
            work: set[str] = set()
            fallback: set[str] = set()
            pools: set[str] = set()
            for x in xs:
                if not _self_sound(x):
                    unsound.add(sid)
                if _uses_copies(x):
                    self.copies.add(sid)
                work |= _recovery_teams(x)
                if x.fallback is not None and x.fallback.team:
                    fallback.add(x.fallback.team)
                for p in x.placements:
                    places.update(p.domains)
                refs.update(d for b in x.data.backups for d in b.location)
                for step in x.recovery:
                    if step.target:
                        refs.update(step.target)
                        pools.update(a for a in self.above(step.target[0]) if a in limited)
                    for need in step.needs:
                        self.needers.setdefault(need, set()).add(sid)
                for dep in x.depends_on:
                    for target in dep.targets:
                        self.dependents.setdefault(target, set()).add(sid)
            self.places[sid], self.refs[sid] = places, refs | places
            self.work_teams[sid], self.fallback_teams[sid], self.pools[sid] = work, fallback, pools
        self.referencing = _invert(self.refs)
        self.pool_users = _invert(self.pools)
        self.work_users = _invert(self.work_teams)
        self.fallback_users = _invert(self.fallback_teams)
        self.crews: dict[str, list[str]] = {}
        for crew, targets in reach._crews:
            self.crews.setdefault(crew, []).extend(targets)
        named = reach._named
        self.hit = self.below(d for d in named if d in parents)
        destroyed = self.below(d for d in reach._destroyed if d in parents)
        self.destroyable = {sid for sid, places in self.places.items() if places & destroyed}
        own = {x for x in named if x in versions} | {x.split("/", 1)[0] for x in named if "/" in x and x.split("/", 1)[0] in versions}
        own |= unsound | {sid for sid, places in self.places.items() if places & self.hit}
        self.own = own
        offline = {x for x in reach._offline if x in versions}
        self.disturbed = _spread(own | offline, lambda sid: self.dependents.get(sid, ()))

    def above(self, domain: str) -> set[str]:
        """The domain and its ancestors (any version's parent links)."""
        return _spread({domain}, lambda d: self.parents.get(d, ()))

    def below(self, domains: Iterable[str]) -> set[str]:
        """The domains and everything below them (any version's parent links)."""
        return _spread(set(domains), lambda d: self.children.get(d, ()))

    def _in_domains(self, domains: Iterable[str]) -> set[str]:
        """Systems with problems of their own that sit in, restore into or back up to ``domains`` or below."""
        out: set[str] = set()
        for d in self.below(domains):
            out |= self.referencing.get(d, set())
        return out & self.own

    def _team_reach(self, team: str) -> set[str]:
        """The systems whose work a change in ``team``'s queue can shift."""
        out = (self.work_users.get(team, set()) & self.own) | (self.fallback_users.get(team, set()) & self.disturbed)
        out |= self._in_domains(d for d in self.repairs.get(team, ()) if d in self.hit)
        for target in self.crews.get(team, ()):
            out |= self._in_domains([target]) if target in self.parents else {target.split("/", 1)[0]} & self.own
        return out

    def _acts(self, sid: str, fields: frozenset[str]) -> bool:
        """Whether changing ``fields`` of system ``sid`` can change any run of this threat."""
        if sid not in self.disturbed:
            return False
        general = fields - RESPONSE_FIELDS - TEXT_FIELDS
        if general:
            return True
        if sid not in self.own:
            return False
        if fields & (RESPONSE_FIELDS - {"data"}):
            return True
        return "data" in fields and (sid in self.destroyable or sid in self.copies)

    def seeds(self, change: Change) -> set[str]:
        """The systems a change sets going (rule 3 of the module docstring)."""
        out = {sid for sid in change.systems if self._acts(sid, change.fields.get(sid, frozenset({"*"})))}
        out |= self._in_domains(change.domains)
        for team in change.teams:
            out |= self._team_reach(team)
        return out

    def closure(self, change: Change) -> frozenset[str]:
        """The systems ``change`` can influence (rule 4 of the module docstring)."""
        out: set[str] = set()
        teams_done: set[str] = set(change.teams)
        todo = list(self.seeds(change))
        while todo:
            sid = todo.pop()
            if sid in out:
                continue
            out.add(sid)
            if sid == self.monitor:
                return frozenset(self.disturbed)
            nxt = self.dependents.get(sid, set()) & self.disturbed
            nxt |= self.needers.get(sid, set()) & self.own
            teams = self.fallback_teams.get(sid, set())
            if sid in self.own:
                teams = teams | self.work_teams.get(sid, set())
                for pool in self.pools.get(sid, ()):
                    nxt |= self.pool_users.get(pool, set()) & self.own
            for team in teams - teams_done:
                teams_done.add(team)
                nxt |= self._team_reach(team)
            todo.extend(nxt - out)
        return frozenset(out)


def _invert(mapping: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for key, values in mapping.items():
        for value in values:
            out.setdefault(value, set()).add(key)
    return out


def _spread(start: set[str], step: Any) -> set[str]:
    out: set[str] = set()
    todo = list(start)
    while todo:
        x = todo.pop()
        if x in out:
            continue
        out.add(x)
        todo.extend(step(x))
    return out

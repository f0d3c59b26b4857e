"""What every recovery kind shares: the assessment of an option, and the checks kinds have in common.

An option is assessed against the world as it is now: ``ready`` (it can start when staff are
free), ``wait`` (it will become possible: a domain must come back, a needed tool must be up, the
backup site must be reachable) or ``no`` (impossible, with the reason: hardware destroyed, no
free capacity at the target site, no surviving copy of the data). Each kind's module
(:mod:`.failover`, :mod:`.restart`, :mod:`.restore`, :mod:`.rebuild`) says when it is possible
(:meth:`RecoveryHandler.assess`) and what it does once the work is done
(:meth:`RecoveryHandler.apply`); :mod:`.kinds` registers them.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from ...model.systems import RecoveryKind, RecoveryOption, WhenToolingDown
from ..data import Copy
from ..kinds import Feasibility
from ..state import SysState
from ..world import World

__all__ = ["Assessment", "RecoveryHandler", "Setback", "READY", "WAIT", "NO", "domain_wait", "tooling", "data_copy", "room_at"]

READY, WAIT, NO = Feasibility.ready, Feasibility.wait, Feasibility.no


@dataclass(slots=True)
class Assessment:
    """Whether an option can be carried out now, and with what."""

    status: Feasibility
    reason: str = ""
    wait_key: Hashable | None = None
    """The condition to wait for (``("domain", d)``, ``("replica", r)``, ``("system", j)``)."""
    replica: int | None = None
    """The replica acted on (failed over to, restarted, rebuilt)."""
    copy: Copy | None = None
    """The copy of the data the system comes back from."""
    slow: float = 1.0
    """Duration multiplier (a needed tool is down)."""
    site: int = -1
    """The domain whose free capacity the work takes (-1: none)."""
    empty: bool = False
    """Rebuild with no surviving copy: the system comes back without its data."""


@dataclass(slots=True)
class Setback:
    """Why work that was done does not bring the system back (:meth:`RecoveryHandler.confirm`)."""

    reason: str
    abandoned: bool = False
    """Not needed any more (the task is cancelled, not failed)."""
    counts: bool = True
    """A failed attempt of the option (it counts towards its ``attempts``)."""


class RecoveryHandler:
    """How the engine carries out one kind of runbook step."""

    kind: RecoveryKind
    """The kind handled."""

    def lead_time(self, option: RecoveryOption) -> float:
        """Hours before the work can start, without staff (procurement)."""
        return 0.0

    def assess(self, world: World, st: SysState, option: RecoveryOption, slow: float) -> Assessment:
        """Can ``option`` be carried out for the system now (its tools checked: ``slow`` is their slowdown)?"""
        raise NotImplementedError

    def confirm(self, world: World, st: SysState, option: RecoveryOption, a: Assessment) -> Setback | None:
        """The work is done and went well: is there still a reason it does not bring the system back?

        By default: the backup copy it restored from is bad (found only now for an unverified
        backup). That is not a failed attempt of the option: the runbook re-plans with the next
        copy. None: go on to :meth:`apply`.
        """
        if a.copy is not None and world.data.unreadable(st, a.copy):
            assert a.copy is not None
            backup = world.c.backups[st.i][a.copy.detail]
            return Setback(f"the backup copy ({backup.name}, {a.copy.loss:.1f}h old) is unreadable", counts=False)
        return None

    def apply(self, world: World, st: SysState, option: RecoveryOption, a: Assessment) -> None:
        """The work succeeded: change the world accordingly (``a`` is the assessment it started with)."""
        raise NotImplementedError


_READY = Assessment(READY)
"""The plain 'ready' answer, shared by the checks below (asked thousands of times a run; assessments are never changed once made)."""


def domain_wait(world: World, closure: tuple[int, ...], what: str) -> Assessment:
    """Wait for the first domain of ``closure`` that is down in itself (ready when none is)."""
    down = world.infra.dom_down
    if down.isdisjoint(closure):
        return _READY
    for d in closure:
        if d in down:
            name = world.c.dom_ids[d]
            return Assessment(WAIT, f"{what}: waits for {world.scenario.domain_index[name].label} to come back", ("domain", d))
    return _READY


def tooling(world: World, option: RecoveryOption) -> Assessment:
    """The systems the step needs: wait for them (``block``) or go slower (``slow``)."""
    if not option.needs:
        return _READY
    slow = 1.0
    for need in option.needs:
        j = world.c.sidx[need]
        if not world.serving(j):
            if option.when_needs_down is WhenToolingDown.block:
                return Assessment(WAIT, f"needs {world.label(j)}, which is down", ("system", j))
            slow = max(slow, option.slowdown)
    return Assessment(READY, slow=slow)


def data_copy(world: World, i: int, allow_empty: bool) -> Assessment:
    """The copy of system ``i``'s data to come back from: ready with it, waiting for it, or none left."""
    if not world.c.has_data[i]:
        return _READY
    copy = world.data.best_copy(i, exclude_active=False, available_only=True)
    if copy is not None:
        return Assessment(READY, copy=copy)
    anywhere = world.data.best_copy(i, exclude_active=False, available_only=False)
    if anywhere is not None:
        detail = anywhere.detail
        closure = world.c.backups[i][detail].closure if anywhere.kind == "backup" else world.infra.rep_closure(detail)
        waited = domain_wait(world, closure, "the data copy is unreachable")
        if waited.status == WAIT:
            return waited
        return Assessment(WAIT, "the data copy is unreachable", ("replica", detail))
    if allow_empty:
        return Assessment(READY, "no surviving copy of the data: the system comes back empty", empty=True)
    return Assessment(NO, "no surviving copy of the data (rebuild it empty instead)")


def room_at(world: World, i: int, site: int) -> Assessment | None:
    """None when system ``i`` fits in ``site``'s free capacity, else why not."""
    free = world.infra.free_capacity(site)
    need = world.c.systems[i].footprint
    if free is not None and free < need:
        name = world.scenario.domain_index[world.c.dom_ids[site]].label
        return Assessment(NO, f"no free capacity at {name} ({free} left, {need} needed)")
    return None


def domain_label(world: World, d: int) -> str:
    """The display name of domain ``d``."""
    return world.scenario.domain_index[world.c.dom_ids[d]].label

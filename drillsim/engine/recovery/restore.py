"""Recovery kind ``restore``: bring the system up at ``target`` from the surviving copy that loses least."""

from __future__ import annotations

from ...model.systems import RecoveryKind, RecoveryOption
from ..state import SysState
from ..world import World
from .base import (
    NO,
    READY,
    WAIT,
    Assessment,
    RecoveryHandler,
    data_copy,
    domain_label,
    domain_wait,
    room_at,
)

__all__ = ["Restore", "book_copy", "bring_up_elsewhere"]


class Restore(RecoveryHandler):
    """A new replica at the target site (free capacity claimed when the work starts), from the best copy."""

    kind = RecoveryKind.restore

    def assess(self, world: World, st: SysState, option: RecoveryOption, slow: float) -> Assessment:
        c = world.c
        closure = c.closure_of(option.target or [])
        d = world.infra.destroyed_in(closure)
        if d >= 0:
            return Assessment(NO, f"the target {domain_label(world, d)} is destroyed")
        waited = domain_wait(world, closure, "restore")
        if waited.status == WAIT:
            return waited
        site = c.capacity_site(option.target or [])
        full = room_at(world, st.i, site)
        if full is not None:
            return full
        data = data_copy(world, st.i, allow_empty=False)
        if data.status != READY:
            return data
        return Assessment(READY, copy=data.copy, slow=slow, site=site)

    def apply(self, world: World, st: SysState, option: RecoveryOption, a: Assessment) -> None:
        book_copy(world, st, a)
        bring_up_elsewhere(world, st, option, a)


def book_copy(world: World, st: SysState, a: Assessment) -> None:
    """Book the data the system comes back with: the copy's loss, or all of it (an empty rebuild)."""
    if a.empty:
        if not st.data_lost:
            world.lose_data(st, f"{world.label(st.i)} was rebuilt without its data: lost for good")
    elif a.copy is not None:
        world.data.book_loss(st, a.copy.loss)


def bring_up_elsewhere(world: World, st: SysState, option: RecoveryOption, a: Assessment) -> None:
    """A new replica in the option's target domains, in place of the assessed (or the active) one."""
    old = a.replica if a.replica is not None else st.active
    where = option.target or []
    world.replace_replica(st, old, where, f"{option.key}@{where[0] if where else 'site'}")

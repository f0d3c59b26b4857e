"""Recovery kind ``rebuild``: after destruction, procurement (``lead_time``) then the work, in place or at ``target``."""

from __future__ import annotations

from dataclasses import replace

from ...model.systems import RecoveryKind, RecoveryOption
from ..state import SysState
from ..world import World
from .base import (
    NO,
    READY,
    WAIT,
    Assessment,
    RecoveryHandler,
    Setback,
    data_copy,
    domain_label,
    domain_wait,
    room_at,
)
from .restore import book_copy, bring_up_elsewhere

__all__ = ["Rebuild"]


class Rebuild(RecoveryHandler):
    """Rebuild a destroyed replica once the room is usable (or elsewhere), with the best surviving copy or none."""

    kind = RecoveryKind.rebuild

    def lead_time(self, option: RecoveryOption) -> float:
        return option.lead_time

    def assess(self, world: World, st: SysState, option: RecoveryOption, slow: float) -> Assessment:
        c = world.c
        infra = world.infra
        target = next((r for r in [st.active, *st.reps] if r in infra.rep_destroyed), None)
        if target is None:
            return Assessment(NO, "nothing was destroyed: restart or restore instead")
        if option.target:
            closure = c.closure_of(option.target)
            site = c.capacity_site(option.target)
            full = room_at(world, st.i, site)
            if full is not None:
                return full
        else:
            closure = infra.rep_closure(target)
            site = -1
        d = infra.destroyed_in(closure)
        if d >= 0:
            return Assessment(WAIT, f"the room must be made usable first ({domain_label(world, d)})", ("domain", d))
        waited = domain_wait(world, closure, "rebuild")
        if waited.status == WAIT:
            return waited
        data = data_copy(world, st.i, allow_empty=True)
        if data.status != READY:
            return data
        return Assessment(READY, data.reason, replica=target, copy=data.copy, slow=slow, site=site, empty=data.empty)

    def confirm(self, world: World, st: SysState, option: RecoveryOption, a: Assessment) -> Setback | None:
        return None  # a bad backup copy does not undo the rebuild: apply() goes back to an older one

    def apply(self, world: World, st: SysState, option: RecoveryOption, a: Assessment) -> None:
        if world.data.unreadable(st, a.copy):
            # The copy it restored from is bad: the newest good one, or none (the system comes back empty).
            copy = world.data.best_copy(st.i, exclude_active=False, available_only=True, readable_only=True)
            a = replace(a, copy=copy, empty=copy is None)
        book_copy(world, st, a)
        if not option.target:
            assert a.replica is not None  # a ready rebuild names the destroyed replica
            world.rebuild_in_place(st, a.replica)
            return
        bring_up_elsewhere(world, st, option, a)

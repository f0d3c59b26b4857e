"""Recovery kind ``restart``: in place, once the placement's domains are up; clears own failures and collapses."""

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
    domain_label,
    domain_wait,
)

__all__ = ["Restart"]


class Restart(RecoveryHandler):
    """Restart the replica the system's mode says is down (or the active one, after a failure of its own)."""

    kind = RecoveryKind.restart

    def assess(self, world: World, st: SysState, option: RecoveryOption, slow: float) -> Assessment:
        infra = world.infra
        target = st.active if st.failed or st.collapsed else world.c.redundancy[st.i].restart_target(infra, st)
        if target is None:
            return Assessment(NO, "nothing to restart")
        if target in infra.rep_destroyed:
            d = infra.destroyed_in(infra.rep_closure(target))
            where = f" in {domain_label(world, d)}" if d >= 0 else ""
            return Assessment(NO, f"its hardware{where} was destroyed: rebuild it or restore it elsewhere")
        waited = domain_wait(world, infra.rep_closure(target), "restart in place")
        if waited.status == WAIT:
            return waited
        if infra.rep_failed.get(target):
            return Assessment(WAIT, "the server is under repair", ("replica", target))
        return Assessment(READY, replica=target, slow=slow)

    def apply(self, world: World, st: SysState, option: RecoveryOption, a: Assessment) -> None:
        world.restart(st, a.replica)

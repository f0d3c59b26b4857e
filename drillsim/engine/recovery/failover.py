"""Recovery kind ``failover``: switch to a standby placement that is up (data lost: the replication lag, else the best backup's age).

The standby is chosen when the work is planned; when the work ends it must still be up (else
the attempt fails and the runbook re-plans), and a primary that is back and serving in the
meantime makes the failover pointless (it is abandoned).
"""

from __future__ import annotations

from ...model.systems import RecoveryKind, RecoveryOption
from ..state import SysState
from ..world import World
from .base import NO, READY, WAIT, Assessment, RecoveryHandler, Setback, domain_wait

__all__ = ["Failover"]


class Failover(RecoveryHandler):
    """Make a standby (``source``, or any) the active replica once it is up."""

    kind = RecoveryKind.failover

    def assess(self, world: World, st: SysState, option: RecoveryOption, slow: float) -> Assessment:
        infra = world.infra
        if infra.rep_up(st.active) and not st.failed and not st.collapsed:
            return Assessment(NO, "the active placement is up: nothing to fail over from")
        if option.source is not None:
            candidates = [r for r in st.reps if infra.rep_name(r) == option.source and r != st.active]
        else:
            candidates = [r for r in st.reps if r != st.active]
        for r in candidates:
            if infra.rep_up(r):
                return Assessment(READY, replica=r, slow=slow)
        alive = [r for r in candidates if r not in infra.rep_destroyed]
        if not alive:
            return Assessment(NO, "no standby placement is left to fail over to")
        r = alive[0]
        waited = domain_wait(world, infra.rep_closure(r), "the standby is down")
        if waited.status == WAIT:
            return waited
        return Assessment(WAIT, "the standby is down", ("replica", r))

    def confirm(self, world: World, st: SysState, option: RecoveryOption, a: Assessment) -> Setback | None:
        infra = world.infra
        if infra.rep_up(st.active) and not st.failed and not st.collapsed:
            return Setback(f"abandoned: {infra.rep_name(st.active)} is back and serving", abandoned=True)
        assert a.replica is not None  # a ready failover names its standby
        if not infra.rep_up(a.replica):
            return Setback(f"the standby {infra.rep_name(a.replica)} went down before the switch")
        return None

    def apply(self, world: World, st: SysState, option: RecoveryOption, a: Assessment) -> None:
        assert a.replica is not None  # a ready failover names its standby
        world.switch_to(st, a.replica)

"""Redundancy ``active-standby``: one placement serves; a standby takes over by an automatic switchover."""

from __future__ import annotations

from ..systems import PlacementRole, RedundancyMode
from .base import ModeRules

__all__ = ["ActiveStandby"]


class ActiveStandby(ModeRules):
    """The active replica serves; when it is lost a surviving standby is assumed to take over (a switchover)."""

    mode = RedundancyMode.active_standby
    single_active = True
    rto_advice = "Its standby did not bring it back in time: test the switchover end to end, and the data it depends on."

    def static_capacity(self, caps: list[float], active: int, roles: list[PlacementRole | None], lost: set[int]) -> tuple[float, bool]:
        if active not in lost:
            return caps[active], False
        standbys = [k for k in range(len(caps)) if k != active and k not in lost and roles[k] is not PlacementRole.active]
        if standbys:
            return max(caps[k] for k in standbys), True
        return 0.0, False

"""Redundancy ``cold-standby`` in a run: the active replica serves; staff bring the standby up (failover, restore), or an automatic activation does."""

from __future__ import annotations

from ...model.systems import Redundancy, RedundancyMode
from .base import ModeBehaviour

__all__ = ["ColdStandby"]


class ColdStandby(ModeBehaviour):
    """One replica serves; the standby is activated by staff, or automatically with ``automatic: true``.

    An automatic activation works as active-standby's switchover: after detection it takes
    ``switchover`` and works with probability ``success`` if the standby is up.
    """

    mode = RedundancyMode.cold_standby

    def switches_over(self, spec: Redundancy) -> bool:
        return spec.automatic is True  # staff bring a cold standby up unless it activates itself

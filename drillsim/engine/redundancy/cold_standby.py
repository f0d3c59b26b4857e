"""Redundancy ``cold-standby`` in a run: the active replica serves; staff bring the standby up (failover, restore)."""

from __future__ import annotations

from ...model.systems import RedundancyMode
from .base import ModeBehaviour

__all__ = ["ColdStandby"]


class ColdStandby(ModeBehaviour):
    """One replica serves; nothing switches over by itself."""

    mode = RedundancyMode.cold_standby

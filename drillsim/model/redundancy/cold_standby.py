"""Redundancy ``cold-standby``: one placement serves; the standby must be provisioned and restored by staff."""

from __future__ import annotations

from ..systems import RedundancyMode
from .base import ModeRules

__all__ = ["ColdStandby"]


class ColdStandby(ModeRules):
    """The active replica serves; losing it takes the system down until the standby is brought up."""

    mode = RedundancyMode.cold_standby
    single_active = True

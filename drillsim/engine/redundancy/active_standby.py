"""Redundancy ``active-standby`` in a run: the active replica serves; detection starts an automatic switchover."""

from __future__ import annotations

from ...model.systems import Redundancy, RedundancyMode
from .base import ModeBehaviour

__all__ = ["ActiveStandby"]


class ActiveStandby(ModeBehaviour):
    """One replica serves; a detected problem of its own switches to a standby (``redundancy.switchover``, ``success``)."""

    mode = RedundancyMode.active_standby

    def switches_over(self, spec: Redundancy) -> bool:
        return spec.automatic is not False  # automatic unless the scenario says otherwise

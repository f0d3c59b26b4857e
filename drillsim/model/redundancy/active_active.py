"""Redundancy ``active-active``: every placement serves a share; capacity is the sum of the survivors'."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..systems import PlacementRole, RedundancyMode, System
from .base import ModeFinding, ModeRules

__all__ = ["ActiveActive"]


class ActiveActive(ModeRules):
    """All replicas serve (each ``1/n`` of full load by default); below the threshold the system is down."""

    mode = RedundancyMode.active_active
    data_on_every_placement = True

    def default_capacity(self, n: int) -> float:
        return 1.0 / n

    def check(self, system: System) -> Iterator[ModeFinding]:
        yield from super().check(system)
        if system.redundancy.dormancy != 1.0:
            yield Severity.error, "redundancy", f"dormancy ({system.redundancy.dormancy:g}) is for standby replicas: in 'active-active' every replica serves"

    def static_capacity(self, caps: list[float], active: int, roles: list[PlacementRole | None], lost: set[int]) -> tuple[float, bool]:
        return min(1.0, sum(c for k, c in enumerate(caps) if k not in lost)), False

"""Redundancy ``active-active``: every placement serves a share; capacity is the sum of the survivors'."""

from __future__ import annotations

from ..systems import PlacementRole, RedundancyMode
from .base import ModeRules

__all__ = ["ActiveActive"]


class ActiveActive(ModeRules):
    """All replicas serve (each ``1/n`` of full load by default); below the threshold the system is down."""

    mode = RedundancyMode.active_active

    def default_capacity(self, n: int) -> float:
        return 1.0 / n

    def static_capacity(self, caps: list[float], active: int, roles: list[PlacementRole | None], lost: set[int]) -> tuple[float, bool]:
        return min(1.0, sum(c for k, c in enumerate(caps) if k not in lost)), False

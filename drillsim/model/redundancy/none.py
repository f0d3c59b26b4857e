"""Redundancy ``none``: the first placement serves; any others are ignored (with a warning)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..systems import PlacementRole, RedundancyMode, System
from .base import ModeFinding, ModeRules

__all__ = ["NoRedundancy"]


class NoRedundancy(ModeRules):
    """One placement serves; losing it takes the system down."""

    mode = RedundancyMode.none
    min_placements = 1
    redundant = False

    def check(self, system: System) -> Iterator[ModeFinding]:
        n = len(system.placements)
        if n > 1:
            yield Severity.warning, "redundancy", f"{system.id!r} has {n} placements but redundancy 'none': only the first one serves"

    def static_capacity(self, caps: list[float], active: int, roles: list[PlacementRole | None], lost: set[int]) -> tuple[float, bool]:
        return (0.0 if 0 in lost else 1.0), False

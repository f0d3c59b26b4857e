"""What a redundancy mode means before any run: the rules every mode's module fills in.

A mode's model-side rules (:class:`ModeRules`) say how many placements it needs, what each
replica carries by default, what losing some replicas leaves (the static blast radius of
:mod:`drillsim.model.spof`) and what to advise when such a system misses its RTO. How the engine
runs a mode (capacity during a run, what detection triggers, restarts, data copies) is in
:mod:`drillsim.engine.redundancy`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..systems import PlacementRole, RedundancyMode, System

__all__ = ["ModeRules", "ModeFinding"]

ModeFinding = tuple[Severity, str, str]
"""A validation finding of a mode: severity, the field of the system it is about, message."""


class ModeRules:
    """Model-side rules of one redundancy mode; the defaults are those of a mode where one active replica serves."""

    mode: RedundancyMode
    """The mode these rules are for."""
    min_placements: int = 2
    """Placements the mode needs (validation)."""
    single_active: bool = False
    """At most one placement may say ``role: active`` (validation)."""
    redundant: bool = True
    """Whether a second placement can take over (reports: a non-redundant system needs a replica)."""
    rto_advice: str | None = None
    """Advice for a system of this mode that missed its RTO (reports), if the mode has any."""
    data_on_every_placement: bool = False
    """Whether every placement holds a current copy of the data (validation: which copies can survive a fire), not the active one only."""

    def default_capacity(self, n: int) -> float:
        """Share of full load one of ``n`` replicas carries alone when its placement sets none."""
        return 1.0

    def check(self, system: System) -> Iterator[ModeFinding]:
        """Problems of ``system``'s placements for this mode (validation)."""
        n = len(system.placements)
        if n < self.min_placements:
            yield Severity.error, "redundancy", f"{self.mode.value!r} needs at least two placements, {system.id!r} has {n}"
        if self.single_active:
            active = [p.role for p in system.placements].count(PlacementRole.active)
            if active > 1:
                yield Severity.error, "placements", f"{self.mode.value!r} allows one active placement, {system.id!r} has {active}"

    def static_capacity(self, caps: list[float], active: int, roles: list[PlacementRole | None], lost: set[int]) -> tuple[float, bool]:
        """Own capacity with the replicas ``lost`` gone and nothing repaired, and whether it relies on a switchover.

        ``caps`` are the replicas' capacities, ``active`` the index of the active one, ``roles``
        their declared roles (:mod:`drillsim.model.spof`). By default only the active replica serves.
        """
        if active not in lost:
            return caps[active], False
        return 0.0, False

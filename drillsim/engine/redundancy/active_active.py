"""Redundancy ``active-active`` in a run: every up replica serves its share and holds the data."""

from __future__ import annotations

from ...model.systems import RedundancyMode
from .base import ModeBehaviour, Replicas, Replicated

__all__ = ["ActiveActive"]


class ActiveActive(ModeBehaviour):
    """Capacity is the sum of the up replicas' (at most 1); any down replica can be restarted; each is a peer copy."""

    mode = RedundancyMode.active_active

    def own_capacity(self, replicas: Replicas, st: Replicated) -> float:
        total = 0.0
        for r in st.reps:
            if replicas.rep_up(r):
                total += replicas.rep_capacity(r)
        return min(1.0, total)

    def restart_target(self, replicas: Replicas, st: Replicated) -> int | None:
        down = [r for r in st.reps if not replicas.rep_up(r)]
        return down[0] if down else None

    def holds_data(self, st: Replicated, r: int) -> bool:
        return True

    def takes_over(self, st: Replicated, old: int) -> bool:
        return st.active == old

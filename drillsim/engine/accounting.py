"""The demand books: demand, served, unserved and fallback-served demand of each touched system.

Demand is fluid: what happened between two changes of a system is computed from the cumulative
demand curve (two lookups) when something changes, and booked on its state. Results read the
books without closing them (:meth:`Books.pending`), so looking at a score half-way changes
nothing in the run.
"""

from __future__ import annotations

from .compiled import CompiledModel
from .state import SysState

__all__ = ["Books"]


class Books:
    """Books demand on the systems' states (one per run)."""

    __slots__ = ("c",)

    def __init__(self, compiled: CompiledModel):
        self.c = compiled

    def pending(self, st: SysState, now: float) -> tuple[float, float, float]:
        """Demand, fallback-served and unserved demand since the last change, up to ``now`` (not booked)."""
        if now <= st.last_t:
            return 0.0, 0.0, 0.0
        c = self.c
        i = st.i
        curve = c.curves[c.curve[i]]
        base = c.per_day[i] * curve.between(st.last_t, now)
        demand = base * st.surge
        served = demand * st.share
        fallback = 0.0
        if st.fallback_on and not st.serving:
            spec = c.systems[i].fallback
            assert spec is not None  # a fallback is on only where one is defined
            fallback = min(base * spec.share, demand - served)
        return demand, fallback, demand - served - fallback

    def account(self, st: SysState, now: float) -> None:
        """Book demand, served, unserved and fallback-served demand since the last change."""
        if now <= st.last_t:
            return
        demand, fallback, unserved = self.pending(st, now)
        st.demand += demand
        st.fb_served += fallback
        st.episode_fb += fallback
        st.unserved += unserved
        st.last_t = now

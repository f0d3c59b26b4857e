"""A moment of a live run as one viewer sees it: what situation reports read from a drill.

:class:`StatusView` holds the time, whose view it is (the team's fog of war, or the facilitator's
truth) and, per system, its status and whether it is down only through a system it depends on.
It is what :func:`drillsim.report.sitrep_from_view` needs, and nothing of the engine's internals
leaves this layer: a sitrep of a finished run reads the same fields from the run's timelines
(:func:`drillsim.report.sitrep_from_result`).

The view reads the simulation lazily (only the systems a report asks about) and refuses to be read
once the simulation has moved on: take a new view after each command.
"""

from __future__ import annotations

from ..engine import Simulation
from ..model.scenario import Scenario
from ..model.timefmt import fmt_elapsed

__all__ = ["StatusView"]


class StatusView:
    """Each system's status at the simulation's current time, in the team's view or the facilitator's."""

    source = "simulation"
    """Where the statuses come from (a result-based view says ``result``)."""

    def __init__(self, sim: Simulation, truth: bool = False):
        self.scenario: Scenario = sim.scenario
        """The scenario the run plays."""
        self.t: float = sim.now
        """Hours since the scenario start."""
        self.truth = truth
        """True: the facts; False: what the team knows (fog of war)."""
        self._sim = sim
        self._index = sim.compiled.sidx
        self._cache: dict[str, tuple[str, bool]] = {}

    def state(self, system_id: str) -> tuple[str, bool]:
        """(status value, whether it is down only through its links) of one system."""
        cached = self._cache.get(system_id)
        if cached is None:
            if self._sim.now != self.t:
                raise RuntimeError(f"this view is of {fmt_elapsed(self.t)} but the simulation has moved on to {fmt_elapsed(self._sim.now)}: take a new view")
            view = self._sim.system_view(self._index[system_id], truth=self.truth)
            cached = self._cache[system_id] = (view.status.value, view.through_links)
        return cached

"""What one simulated run cost, in money, from each system's ``loss`` figures.

For one run (formula also in the README's Invest section)::

    loss = sum over systems s of
             per_unserved(s)        x unserved demand of s
           + per_data_loss_hour(s)  x hours of data lost by s (worst recovery; 0 if none)
           + permanent_data_loss(s) if the data of s was lost for good

Only the systems the run touched can have a loss (an untouched system served all its demand and
lost no data), so the sum runs over those. The figures come from the scenario that was simulated:
an investment option may add a system with its own loss figures but may not change those of the
model's systems (the options file loader refuses that: the figures are the yardstick).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import RunResult
from ..model.scenario import Scenario

__all__ = ["RunLoss", "run_loss", "COMPONENTS"]

COMPONENTS = ("unserved", "data_loss", "permanent")
"""The parts of a run's loss, in the order of the columns of the runner's arrays."""


@dataclass(frozen=True, slots=True)
class RunLoss:
    """The money lost in one run, by component."""

    unserved: float
    """Sum of per_unserved x unserved demand."""
    data_loss: float
    """Sum of per_data_loss_hour x hours of data lost."""
    permanent: float
    """Sum of permanent_data_loss over systems whose data was lost for good."""

    @property
    def total(self) -> float:
        """The run's loss."""
        return self.unserved + self.data_loss + self.permanent

    def as_array(self) -> np.ndarray:
        """``[unserved, data_loss, permanent]``."""
        return np.array([self.unserved, self.data_loss, self.permanent])


def run_loss(result: RunResult, scenario: Scenario) -> RunLoss:
    """The loss of ``result``, a run of ``scenario`` (see the module docstring)."""
    index = scenario.system_index
    unserved = data = permanent = 0.0
    for sys_result in result.systems.values():
        system = index.get(sys_result.id)
        if system is None:
            continue
        cost = system.loss
        unserved += cost.per_unserved * sys_result.unserved_demand
        if sys_result.data_loss_hours:
            data += cost.per_data_loss_hour * sys_result.data_loss_hours
        if sys_result.data_lost_permanently:
            permanent += cost.permanent_data_loss
    return RunLoss(unserved, data, permanent)

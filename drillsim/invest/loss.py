"""What one simulated run cost, in money: the model's loss formula applied to a :class:`~drillsim.engine.RunResult`.

The formula and the figures are :mod:`drillsim.model.loss`'s (:func:`~drillsim.model.loss.loss_rates`,
:func:`~drillsim.model.loss.system_loss`), the same arithmetic the batch applies to its per-system
rows (:meth:`drillsim.batch.BatchResult.scenario_loss`)::

    loss = sum over systems s of
             per_unserved(s)        x unserved demand of s
           + per_data_loss_hour(s)  x hours of data lost by s (worst recovery; 0 if none)
           + permanent_data_loss(s) if the data of s was lost for good

Only the systems the run touched can have a loss, so the sum runs over those. The figures come
from the scenario that was simulated: an investment option may add a system with its own loss
figures but may not change those of the model's systems (the options file loader refuses that:
the figures are the yardstick).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import RunResult
from ..model.loss import COMPONENTS, loss_rates, system_loss
from ..model.scenario import Scenario

__all__ = ["RunLoss", "run_loss", "COMPONENTS"]


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
    rates = loss_rates(scenario)
    totals = [0.0, 0.0, 0.0]
    for sys_result in result.systems.values():
        figures = rates.get(sys_result.id)
        if figures is None:
            continue
        parts = system_loss(figures, sys_result.unserved_demand, sys_result.data_loss_hours or 0.0, bool(sys_result.data_lost_permanently))
        for k, part in enumerate(parts):
            totals[k] += float(part)
    return RunLoss(*totals)

"""What a run cost in money: the one loss formula, from each system's ``loss`` figures.

For one run (formula also in the README's Invest section)::

    loss = sum over systems s of
             per_unserved(s)        x unserved demand of s
           + per_data_loss_hour(s)  x hours of data lost by s (worst recovery; 0 if none)
           + permanent_data_loss(s) if the data of s was lost for good

The figures are the scenario's (:class:`drillsim.model.systems.Loss`); :func:`loss_rates` collects
them, and :func:`system_loss` applies the formula to one system, or to arrays of systems and runs
at once (numpy broadcasting), so a batch's per-system rows and a single
:class:`~drillsim.engine.RunResult` are costed by the same arithmetic. Only the systems a run
touched can cost anything (an untouched system served all its demand and lost no data).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .scenario import Scenario

__all__ = ["COMPONENTS", "LossRates", "NO_LOSS", "loss_rates", "system_loss"]

COMPONENTS = ("unserved", "data_loss", "permanent")
"""The parts of a run's loss, in the order :func:`system_loss` returns them."""


class LossRates(NamedTuple):
    """One system's loss figures."""

    per_unserved: float
    """Cost of one unit of unserved demand."""
    per_data_loss_hour: float
    """Cost of one hour of data lost."""
    permanent_data_loss: float
    """Cost of losing the data for good."""


NO_LOSS = LossRates(0.0, 0.0, 0.0)
"""The figures of a system that costs nothing."""


def loss_rates(scenario: Scenario) -> dict[str, LossRates]:
    """System id -> its loss figures, for the systems that have any (the others cost nothing)."""
    out = {}
    for s in scenario.systems:
        rates = LossRates(float(s.loss.per_unserved), float(s.loss.per_data_loss_hour), float(s.loss.permanent_data_loss))
        if any(rates):
            out[s.id] = rates
    return out


def system_loss(rates: Any, unserved: Any, data_loss_hours: Any, data_lost: Any) -> tuple[Any, Any, Any]:
    """(unserved, data_loss, permanent) cost of a system (or arrays of them, element by element).

    ``rates``: a :class:`LossRates` (or three arrays of figures); ``unserved``: units of demand
    not served; ``data_loss_hours``: hours of data lost (0, not None or NaN, when none);
    ``data_lost``: whether the data was lost for good (a bool, or 0.0/1.0).
    """
    per_unserved, per_hour, permanent = rates
    return per_unserved * unserved, per_hour * data_loss_hours, permanent * data_lost

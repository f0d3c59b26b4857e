"""Means with 95 % intervals, from per-run samples.

Every interval in ``drillsim invest`` is a Student-t interval over runs::

    mean +- t(0.975, n - 1) * sd / sqrt(n)

taken over the per-run values of the quantity itself. For an option's expected annual loss
avoided, the per-run value is the paired difference on the same seed ``i``::

    D_i = sum over threats t of frequency(t) * (loss(t, baseline, i) - loss(t, option, i))

so the interval accounts for the common random numbers (the baseline and the option share each
run's random world, which removes most of the noise from the difference) and for any correlation
between threats (all threats use the same seeds). With a single run there is no interval; when
every run gives the same value the interval is that value. The interval itself is computed by
:func:`drillsim.replication.mean_interval`, as everywhere in drillsim.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..replication.intervals import CONFIDENCE, mean_interval

__all__ = ["Estimate", "estimate", "LEVEL"]

LEVEL = CONFIDENCE
"""Confidence level of every interval."""


@dataclass(frozen=True, slots=True)
class Estimate:
    """A mean over runs and its 95 % interval (None with fewer than two runs)."""

    mean: float
    low: float | None
    high: float | None
    n: int

    def shifted(self, scale: float, offset: float) -> "Estimate":
        """``scale * x + offset`` applied to the mean and the bounds (a negative scale swaps them)."""
        low = None if self.low is None else scale * self.low + offset
        high = None if self.high is None else scale * self.high + offset
        if low is not None and high is not None and low > high:
            low, high = high, low
        return Estimate(scale * self.mean + offset, low, high, self.n)

    @property
    def width(self) -> float | None:
        """``high - low`` (None without an interval)."""
        return None if self.low is None or self.high is None else self.high - self.low

    @property
    def significant_positive(self) -> bool:
        """Whether the interval lies above zero."""
        return self.low is not None and self.low > 0

    @property
    def significant_negative(self) -> bool:
        """Whether the interval lies below zero."""
        return self.high is not None and self.high < 0

    def as_dict(self) -> dict:
        """``{mean, low, high}``."""
        return {"mean": self.mean, "low": self.low, "high": self.high}


def estimate(samples: np.ndarray) -> Estimate:
    """The mean of ``samples`` and its Student-t 95 % interval (:func:`drillsim.replication.mean_interval`)."""
    found = mean_interval(samples, LEVEL)
    return Estimate(found.mean, found.low, found.high, found.n)

"""Fluid demand: cumulative demand curves, so demand between two events costs two lookups.

A system's demand rate is ``per_day`` shaped by an hourly profile (24 weights) and a weekly one
(7 weights), both normalised so that an average week holds exactly seven days of demand. The
cumulative curve ``C(t)`` (in days of average demand since the scenario start) is precomputed
over one week at hourly resolution; demand between ``t0`` and ``t1`` is
``per_day * (C(t1) - C(t0))``, linear within each hour.
"""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np

__all__ = ["HOURLY", "WEEKLY", "DemandCurve"]

HOURLY: dict[str, list[float]] = {
    "flat": [1.0] * 24,
    # Working hours: most demand 09-18, little at night.
    "office": [0.1] * 7 + [0.5, 1.0] + [2.0] * 3 + [1.2] + [2.0] * 5 + [0.8, 0.4, 0.3, 0.2, 0.15, 0.1],
    # Citizens: daytime and evening use, quiet small hours.
    "citizen": [0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.5, 0.9, 1.3, 1.6, 1.7, 1.6, 1.4, 1.5, 1.5, 1.4, 1.3, 1.2, 1.2, 1.3, 1.3, 1.1, 0.8, 0.5],
}
"""Hourly shapes of the named profiles (relative weights, local time, hour 0 = midnight to 1 am)."""

WEEKLY: dict[str, list[float]] = {
    "flat": [1.0] * 7,
    "office": [1.2, 1.2, 1.2, 1.2, 1.2, 0.3, 0.2],
    "citizen": [1.1, 1.05, 1.05, 1.05, 1.0, 0.9, 0.85],
}
"""Weekly shapes (Monday..Sunday) of the named profiles."""


class DemandCurve:
    """The cumulative demand curve of one (hourly, weekly) profile for one scenario start time."""

    def __init__(self, hourly: list[float], weekly: list[float], start_local: datetime):
        hourly_arr = np.asarray(hourly, dtype=float)
        weekly_arr = np.asarray(weekly, dtype=float)
        hourly_arr = hourly_arr / hourly_arr.mean()
        weekly_arr = weekly_arr / weekly_arr.mean()
        rate = (weekly_arr[:, None] * hourly_arr[None, :]).ravel()  # 168 hourly rates, mean 1
        rate = rate / rate.mean() / 24.0  # days of average demand per hour
        self._cum: list[float] = [0.0, *np.cumsum(rate).tolist()]  # 169 points, week total = 7.0
        self._rate: list[float] = rate.tolist()
        self._week = self._cum[-1]
        self._offset = start_local.weekday() * 24 + start_local.hour + start_local.minute / 60 + start_local.second / 3600
        self._base = self._absolute(self._offset)

    def _absolute(self, h: float) -> float:
        weeks, within = divmod(h, 168.0)
        i = int(within)
        if i >= 168:  # float edge
            i = 167
        return weeks * self._week + self._cum[i] + (within - i) * self._rate[i]

    def at(self, t: float) -> float:
        """Days of average demand between the scenario start and ``t`` hours after it."""
        return self._absolute(self._offset + t) - self._base

    def between(self, t0: float, t1: float) -> float:
        """``at(t1) - at(t0)`` in one call (the same arithmetic, so the same float)."""
        offset = self._offset
        base = self._base
        week = self._week
        cum = self._cum
        rates = self._rate
        weeks, within = divmod(offset + t1, 168.0)
        i = int(within)
        if i >= 168:  # float edge
            i = 167
        a1 = weeks * week + cum[i] + (within - i) * rates[i]
        weeks, within = divmod(offset + t0, 168.0)
        i = int(within)
        if i >= 168:
            i = 167
        a0 = weeks * week + cum[i] + (within - i) * rates[i]
        return (a1 - base) - (a0 - base)

    @property
    def offset(self) -> float:
        """Local hour of the week (0 = Monday 00:00) at the scenario start."""
        return self._offset

    def hourly_rate(self, hour_of_week: int) -> float:
        """Demand rate during local hour ``hour_of_week`` (0..167), in days of average demand per hour."""
        return self._rate[hour_of_week]

    def rate(self, t: float) -> float:
        """Instantaneous demand rate at ``t``, in days of average demand per hour."""
        within = (self._offset + t) % 168.0
        return self._rate[min(int(within), 167)]

    @staticmethod
    def finite(x: float) -> bool:
        """Whether ``x`` is a usable time."""
        return math.isfinite(x)

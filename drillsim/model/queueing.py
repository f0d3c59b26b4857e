"""Per-request demand for one service: a queue of callers in front of ``servers`` servers.

Demand is fluid by default (a cumulative curve; no event per request). A system with a
``queueing`` block is also simulated request by request, for queueing studies of one service
(the 2021 vaccine-booking overload: how long people waited, how many were turned away, how
many gave up)::

    queueing:
      arrivals: 9/h                  # Poisson arrivals; unset: follow the system's demand
      service: {dist: exponential, mean: 1h}
      servers: 10
      queue_limit: 20                # callers waiting beyond those in service; 0: no waiting room
      patience: {dist: exponential, mean: 30m}   # callers give up after waiting this long
      warmup: 1d                     # statistics start after this (the queue starts empty)

Outputs (per run, in ``RunResult.queues``): mean wait, share of callers who waited, share
blocked, share abandoned. See :mod:`drillsim.engine.queueing` for the exact definitions.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema

from .common import Count, PositiveCount, Strict
from .distributions import DurationDist
from .limits import MAX_ARRIVALS_PER_HOUR
from .units import Duration

__all__ = ["Queueing", "ArrivalRate", "parse_arrival_rate", "format_arrival_rate"]

_PER = {"s": 1 / 3600, "sec": 1 / 3600, "m": 1 / 60, "min": 1 / 60, "h": 1.0, "hr": 1.0, "d": 24.0, "day": 24.0}
_RATE = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*/\s*([a-z]+)\s*$")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_arrival_rate(value: Any) -> float:
    """Parse ``9/h``, ``150/min``, ``2.5/s`` or ``20000/d`` into arrivals per hour."""
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not an arrival rate: write e.g. 9/h, 150/min or 20000/d")
    match = _RATE.match(value.lower())
    if not match or match.group(2) not in _PER:
        raise ValueError(f"{value!r} is not an arrival rate: write e.g. 9/h, 150/min or 20000/d (per s, min, h or d)")
    rate = float(match.group(1)) / _PER[match.group(2)]
    if not math.isfinite(rate) or rate <= 0:
        raise ValueError(f"{_short(value)} must be a positive, finite arrival rate")
    if rate > MAX_ARRIVALS_PER_HOUR:
        raise ValueError(f"{_short(value)} is more than {MAX_ARRIVALS_PER_HOUR:.0e} arrivals an hour (the limit)")
    return rate


def format_arrival_rate(per_hour: float) -> str:
    """Arrivals per hour written back as ``N/h``."""
    return f"{per_hour:g}/h"


ArrivalRate = Annotated[
    float,
    BeforeValidator(parse_arrival_rate),
    PlainSerializer(format_arrival_rate, return_type=str),
    WithJsonSchema({"type": "string", "description": "Arrivals per unit of time, e.g. 9/h, 150/min, 20000/d.", "examples": ["9/h"]}),
]
"""A Poisson arrival rate, held as arrivals per hour."""


class Queueing(Strict):
    """Per-request mode of one system: Poisson arrivals, c servers, an optional queue limit and patience.

    Arrivals come at ``arrivals`` per hour (times any demand surge on the system); unset, they
    follow the system's fluid demand (``demand.per_day`` shaped by its daily and weekly profile,
    times surges). While the system has no capacity (down, a hard dependency down, collapsed),
    arrivals are blocked (the line is dead) and no service starts.
    """

    arrivals: ArrivalRate | None = Field(
        default=None, description="Poisson arrival rate, e.g. 9/h; unset: the system's demand (per_day, profile, surges)."
    )
    service: DurationDist = Field(description="Service time of one request, e.g. {dist: exponential, mean: 6m}.")
    servers: PositiveCount = Field(description="Servers (agents, lines, worker slots) serving requests in parallel.")
    queue_limit: Count | None = Field(
        default=None, description="Requests that can wait beyond those in service (0: none, a loss system); unset: no limit."
    )
    patience: DurationDist | None = Field(
        default=None, description="How long a caller waits before giving up (abandoning); unset: callers never give up."
    )
    warmup: Duration = Field(default=0.0, description="Arrivals before this time are not counted (the queue starts empty).")

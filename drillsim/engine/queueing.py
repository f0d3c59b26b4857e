"""Per-request demand for one service: callers, servers, a waiting line, patience (SimPy).

A system with a ``queueing`` block (see :mod:`drillsim.model.queueing`) gets, beside its fluid
demand, a request-by-request simulation:

- **Arrivals** are Poisson. With ``arrivals: 9/h`` the rate is that, times the system's demand
  surge; unset, it follows the system's demand (``per_day`` shaped by the hourly and weekly
  profile, times the surge). The rate is piecewise constant (per profile hour, per surge) and
  sampled exactly: after each change the next gap is drawn afresh (memorylessness).
- **Servers**: a ``simpy.Resource`` with ``servers`` slots, first come first served.
- **Queue limit**: an arrival finding every server busy and ``queue_limit`` callers already
  waiting is **blocked** (0: a loss system, Erlang B). Unset: the line is unlimited.
- **Patience**: a caller who has waited ``patience`` (sampled per caller) without being served
  gives up: **abandoned**. Once service starts, the caller stays.
- **The system's state**: while the system has no capacity (its replicas down, a hard
  dependency down, its own failure or a collapse), new arrivals are blocked (the line is dead)
  and servers start no new service: a caller handed a server waits until the system is back
  (still counting as waiting, and still able to give up). Calls in service finish. Overload is
  the queue's business here: a surge that only pushes the fluid served share below the system's
  threshold does not stop the servers (the queue shows it as waits, blocking and abandonment).

Statistics count callers arriving at or after ``warmup`` whose fate is known by the end of the
run (callers still waiting then are reported apart). Definitions, per run:

- ``mean_wait``: mean time from arrival to the start of service (or to giving up) over the
  admitted callers (not blocked).
- ``p_wait``: share of admitted callers who did not start service at once (P(wait > 0)).
- ``blocked``: share of all arrivals turned away (line full, or the system down).
- ``abandoned``: share of all arrivals who gave up waiting.

Random streams (see :mod:`drillsim.engine.rng`): ``queue-arrivals``, ``queue-service`` and
``queue-patience``, each per system; draws come in blocks (one numpy call per 1,024 draws).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import simpy

from ..model.distributions import (
    Exponential,
    Fixed,
    LogNormal,
    Triangular,
    Uniform,
    Weibull,
)
from ..model.queueing import Queueing
from .rng import Distribution
from .world import World

__all__ = ["QueueResult", "ServiceQueue", "start_queues", "sampler"]

_BLOCK = 1024


def sampler(dist: Distribution, rng: np.random.Generator) -> Callable[[], float]:
    """A function returning one draw of ``dist`` per call, drawing from ``rng`` in blocks.

    Same distributions as :mod:`drillsim.model.distributions` (whose ``sample`` draws one value
    per numpy call: fine for a failure, slow for a million callers).
    """
    if isinstance(dist, Fixed):
        value = float(dist.value)

        def fixed() -> float:
            return value

        return fixed
    draw = _block_sampler(dist, rng)

    def blocks() -> Iterator[float]:
        while True:
            yield from draw().tolist()

    return blocks().__next__


def _block_sampler(dist: Distribution, rng: np.random.Generator) -> Callable[[], np.ndarray[Any, np.dtype[np.float64]]]:
    """A function drawing ``_BLOCK`` samples of ``dist`` per call."""
    if isinstance(dist, Exponential):
        mean = dist.mean

        def exponential() -> np.ndarray[Any, np.dtype[np.float64]]:
            return rng.exponential(mean, _BLOCK)

        return exponential
    if isinstance(dist, Weibull):
        lam, shape = dist.lam, dist.shape

        def weibull() -> np.ndarray[Any, np.dtype[np.float64]]:
            return lam * rng.weibull(shape, _BLOCK)

        return weibull
    if isinstance(dist, LogNormal):
        s = dist.log_sigma
        mu = math.log(dist.mean) - s * s / 2.0

        def lognormal() -> np.ndarray[Any, np.dtype[np.float64]]:
            return rng.lognormal(mu, s, _BLOCK)

        return lognormal
    if isinstance(dist, Uniform):
        low, high = dist.low, dist.high

        def uniform() -> np.ndarray[Any, np.dtype[np.float64]]:
            return rng.uniform(low, high, _BLOCK)

        return uniform
    assert isinstance(dist, Triangular)  # every distribution is listed here
    low, mode, high = dist.low, dist.mode, dist.high

    def triangular() -> np.ndarray[Any, np.dtype[np.float64]]:
        return rng.triangular(low, mode, high, _BLOCK)

    return triangular


@dataclass(slots=True)
class QueueResult:
    """What the per-request simulation of one system measured in one run (definitions in the module docstring)."""

    system: str
    servers: int
    arrivals: int = 0
    """Callers who arrived at or after the warmup."""
    admitted: int = 0
    """Of those, callers not blocked whose fate is known (served or gave up)."""
    blocked: int = 0
    blocked_down: int = 0
    """Of the blocked, those turned away because the system was down."""
    abandoned: int = 0
    waited: int = 0
    """Admitted callers who did not start service at once."""
    wait_hours: float = 0.0
    """Total waiting time of the admitted callers."""
    waiting_at_end: int = 0
    """Callers still waiting when the run ended (not in the shares)."""

    @property
    def mean_wait(self) -> float:
        """Mean wait (hours) of admitted callers, to service or to giving up; NaN without callers."""
        return self.wait_hours / self.admitted if self.admitted else math.nan

    @property
    def p_wait(self) -> float:
        """Share of admitted callers who waited at all, P(wait > 0)."""
        return self.waited / self.admitted if self.admitted else math.nan

    @property
    def blocked_share(self) -> float:
        """Share of arrivals turned away."""
        decided = self.arrivals - self.waiting_at_end
        return self.blocked / decided if decided else math.nan

    @property
    def abandoned_share(self) -> float:
        """Share of arrivals who gave up waiting."""
        decided = self.arrivals - self.waiting_at_end
        return self.abandoned / decided if decided else math.nan

    def metric(self, name: str) -> float:
        """One output by name: mean_wait, p_wait, blocked or abandoned."""
        values = {"mean_wait": self.mean_wait, "p_wait": self.p_wait, "blocked": self.blocked_share, "abandoned": self.abandoned_share}
        if name not in values:
            raise KeyError(f"unknown queue output {name!r}: use {', '.join(values)}")
        return values[name]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form, counts and shares."""
        out = asdict(self)
        out.update(mean_wait_hours=self.mean_wait, p_wait=self.p_wait, blocked_share=self.blocked_share, abandoned_share=self.abandoned_share)
        return out


class ServiceQueue:
    """The per-request simulation of one system during a run."""

    def __init__(self, world: World, i: int, spec: Queueing, horizon: float):
        self.world = world
        self.i = i
        self.spec = spec
        self.horizon = horizon
        env = world.env
        self.env = env
        c = world.c
        sid = c.sys_ids[i]
        self.server = simpy.Resource(env, capacity=spec.servers)
        self.result = QueueResult(sid, spec.servers)
        self.waiting = 0
        self.limit = spec.queue_limit
        self.warmup = spec.warmup
        self._gap = sampler(Exponential.model_validate({"dist": "exponential", "mean": "1h"}), world.rng("queue-arrivals", sid))
        self._service = sampler(spec.service, world.rng("queue-service", sid))
        self._patience = sampler(spec.patience, world.rng("queue-patience", sid)) if spec.patience is not None else None
        self._curve = None if spec.arrivals is not None else c.curves[c.curve[i]]
        self._per_day = c.per_day[i]
        self._offset = self._curve.offset if self._curve is not None else 0.0  # local hour of week at the start
        self._pending = 0  # callers with an open fate that count in the statistics
        self.process: simpy.Process | None = None
        if spec.arrivals is not None or self._per_day > 0:  # else no arrivals at all (demand.per_day is 0)
            self.process = env.process(self._arrivals())
            self._watch_surge()

    def _up(self) -> bool:
        """Whether the system has capacity (its servers can work)."""
        st = self.world.sys.get(self.i)
        return st is None or st.cap > 0.0

    # -- arrivals ---------------------------------------------------------------------
    def _rate(self, t: float) -> float:
        """Arrivals per hour at ``t``: the given rate or the demand curve's, times the surge."""
        st = self.world.sys.get(self.i)
        surge = st.surge if st is not None else 1.0
        if self._curve is None:
            return self.spec.arrivals * surge  # type: ignore[operator]
        hour = int(math.floor(self._offset + t + 1e-9)) % 168  # the same hour as _next_change, despite rounding
        return self._per_day * self._curve.hourly_rate(hour) * surge

    def _next_change(self, t: float) -> float:
        """When the rate next changes by itself (the next profile hour; never for a fixed rate)."""
        if self._curve is None:
            return math.inf
        return math.floor(self._offset + t + 1e-9) + 1.0 - self._offset

    def _watch_surge(self) -> None:
        """Re-draw the next gap when a surge starts or ends (exact: the gap is memoryless)."""

        def changed(_event: simpy.Event) -> None:
            if self.process is not None and self.process.is_alive:
                self.process.interrupt("rate")
                self._watch_surge()

        self.world.wait_for(("surge", self.i)).callbacks.append(changed)

    def _arrivals(self) -> Generator[simpy.Event, Any, None]:
        env = self.env
        horizon = self.horizon
        while env.now < horizon:
            now = env.now
            rate = self._rate(now)
            until = min(self._next_change(now), horizon)
            gap = self._gap() / rate if rate > 0 else math.inf
            try:
                if now + gap < until:
                    yield env.timeout(gap)
                    self._arrive()
                else:
                    yield env.timeout(until - now)
            except simpy.Interrupt:
                continue  # the rate changed: draw afresh

    def _arrive(self) -> None:
        env = self.env
        counted = env.now >= self.warmup
        result = self.result
        if counted:
            result.arrivals += 1
        if not self._up():
            if counted:
                result.blocked += 1
                result.blocked_down += 1
            return
        server = self.server
        if self.limit is not None and len(server.users) >= server.capacity and self.waiting >= self.limit:
            if counted:
                result.blocked += 1
            return
        if counted:
            self._pending += 1
        env.process(self._caller(env.now, counted))

    # -- one caller -------------------------------------------------------------------
    def _caller(self, arrived: float, counted: bool) -> Generator[simpy.Event, Any, None]:
        env = self.env
        server = self.server
        req = server.request()
        patience = self._patience() if self._patience is not None else math.inf
        deadline = arrived + patience
        if not req.triggered:
            self.waiting += 1
            if patience < math.inf:
                timer = env.timeout(patience)
                yield req | timer
            else:
                yield req
            self.waiting -= 1
            if not req.triggered:  # gave up before a server was free
                req.cancel()
                self._done(counted, env.now - arrived, abandoned=True)
                return
        # A server is ours. While the system has no capacity, no service starts.
        while not self._up():
            resumed = self.world.wait_for(("capacity", self.i))
            left = deadline - env.now
            if left < math.inf:
                yield resumed | env.timeout(max(0.0, left))
                if not self._up() and env.now >= deadline:
                    server.release(req)
                    self._done(counted, env.now - arrived, abandoned=True)
                    return
            else:
                yield resumed
        self._done(counted, env.now - arrived, abandoned=False)
        yield env.timeout(self._service())
        server.release(req)

    def _done(self, counted: bool, wait: float, abandoned: bool) -> None:
        if not counted:
            return
        self._pending -= 1
        result = self.result
        result.admitted += 1
        result.wait_hours += wait
        if wait > 0.0:
            result.waited += 1
        if abandoned:
            result.abandoned += 1

    def finish(self) -> QueueResult:
        """The result at the end of the run (callers still waiting are set apart)."""
        return replace(self.result, waiting_at_end=self._pending)


def start_queues(world: World, horizon: float) -> dict[int, ServiceQueue]:
    """Start the per-request simulation of every system with a ``queueing`` block."""
    queues: dict[int, ServiceQueue] = {}
    for i in world.c.queued_systems:  # precompiled: no scan of the model per run
        spec = world.c.systems[i].queueing
        assert spec is not None  # queued systems are those with a queueing block
        queues[i] = ServiceQueue(world, i, spec, horizon)
    return queues

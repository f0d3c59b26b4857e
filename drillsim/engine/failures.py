"""Background random failures: renewal processes of failure and repair, run for the whole horizon.

Each target alternates up time (``time_to_failure``) and repair; with a ``crew`` the repair waits
for one free member of that team (repairs queue first come, first served, after urgent recovery
work), so two components sharing one crew are less available than two with a crew each. Up and
repair times are sampled from the distributions given (exponential, Weibull, lognormal, ...),
never replaced by their means.

With ``common_cause_beta`` = beta (exponential up times only; the model validates it) each
target's failure rate lambda is split into an independent part (1 - beta) lambda and a shared
shock of rate beta lambda that fails every target that is up at once: the beta-factor model
(IEC 61508-6, annex D; Fleming 1975). With beta = 1 every failure is a shared shock.

A domain target fails with a cause of its own (``background:<spec>``), so two specs on one domain,
or a background failure during an injected outage, never end each other's outage; the domain
comes back on repair without a restart (a background failure never leaves replicas stopped).

Components keep failing and being repaired while the systems that depend on them are down
(independent processes), so a series of independent components has availability equal to the
product of theirs.

A standby replica of a system with a ``dormancy`` factor f (``redundancy.dormancy``) ages at rate
f while it is not the active replica, at rate 1 once it is: its up time is drawn as usual, in
hours of service, and spent at the rate of the replica's role of the moment (f = 0: it does not
fail while idle). The role is the system's at any time (``World.switch_to`` says when it
changes), so a standby switched to starts failing at its full rate at once.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

from ..model.diagnostics import DrillsimError
from ..model.distributions import Exponential
from ..model.failures import BackgroundFailure
from .teams import TeamState
from .world import World

__all__ = ["start_background_failures", "REPAIR_PRIORITY"]

REPAIR_PRIORITY = 9
"""Team priority of background repairs: after every recovery task (grades 1 to 4), first come first served."""


def _target_ops(world: World, target: str, cause: str) -> tuple[Callable[[], None], Callable[[], None]]:
    c = world.c
    if "/" in target:
        system_id, _, name = target.partition("/")
        i = c.sidx[system_id]
        r = next(r for r in c.sys_reps[i] if c.rep_name[r] == name)
        return (lambda: world.replica_fail(r)), (lambda: world.replica_repair(r))
    d = c.didx[target]
    return (lambda: world.domain_fail(d, cause)), (lambda: world.domain_restore(d, (cause,)))


class _Component:
    """One target's failure/repair cycle (a SimPy process)."""

    __slots__ = ("world", "spec", "target", "horizon", "up", "fail", "restore", "rng", "repair_rng", "scale", "team", "dormant", "process")

    def __init__(self, world: World, spec: BackgroundFailure, name: str, target: str, beta: float, horizon: float):
        self.world = world
        self.spec = spec
        self.target = target
        self.horizon = horizon
        self.up = True
        self.fail, self.restore = _target_ops(world, target, f"background:{name}")
        self.rng = world.rng("failures", name, target)
        self.repair_rng = world.rng("repair", name, target)
        # The independent part of the rate, (1 - beta) lambda: up times scaled by 1 / (1 - beta).
        # beta = 1: no independent failures at all (None), only shared shocks.
        self.scale: float | None = None if beta >= 1.0 else 1.0 / (1.0 - beta)
        self.team: TeamState | None = world.teams[world.c.tidx[spec.crew]] if spec.crew else None
        self.dormant = _dormant(world, target)
        """(system, replica, dormancy factor) of a standby replica that ages slower while idle; None: always full rate."""
        self.process = world.env.process(self.run())

    def run(self) -> Generator[simpy.Event, Any, None]:
        env = self.world.env
        if self.spec.initial == "stationary":
            yield from self._stationary_start()
        while env.now < self.horizon:
            try:
                if self.scale is None:
                    yield env.event()  # never fires by itself: only a shock interrupts it
                elif self.dormant is None:
                    yield env.timeout(self.spec.time_to_failure.sample(self.rng) * self.scale)
                else:
                    yield from self._age(self.spec.time_to_failure.sample(self.rng) * self.scale)
            except simpy.Interrupt:
                pass  # a common-cause shock: fail now (memoryless: the independent clock restarts after repair)
            if env.now >= self.horizon:
                return
            yield from self._fail_and_repair()

    def _stationary_start(self) -> Generator[simpy.Event, Any, None]:
        """Start as if in service for ever: down with probability MTTR / (MTBF + MTTR), with residual times.

        Up: the first up time is a residual (equilibrium) sample, then the ordinary cycle follows.
        Down: the repair under way has a residual time left (a crew member is already on it).
        With shared crews or common-cause shocks this treats each target on its own (their joint
        stationary state has no closed form); the start is then close to, not exactly, stationary.
        A dormant standby counts its up times at the rate of its role at the start.
        """
        env = self.world.env
        spec = self.spec
        up_mean = spec.time_to_failure.mean * (self.scale or 1.0)
        down_mean = spec.time_to_repair.mean
        rate = 1.0 if self.dormant is None else self._rate()
        up_share = 1.0 if rate <= 0.0 else up_mean / rate / (up_mean / rate + down_mean)
        if float(self.rng.random()) < up_share:
            if self.scale is None:
                return  # beta = 1: only shocks end up times (they are memoryless)
            try:
                if self.dormant is None:
                    yield env.timeout(spec.time_to_failure.residual(self.rng) * self.scale)
                else:
                    yield from self._age(spec.time_to_failure.residual(self.rng) * self.scale)
            except simpy.Interrupt:
                pass
            if env.now >= self.horizon:
                return
            yield from self._fail_and_repair()
        else:
            yield from self._fail_and_repair(spec.time_to_repair.residual(self.repair_rng))

    def _rate(self) -> float:
        """How fast a dormant-capable replica ages now: 1 while it is the active replica, its dormancy factor otherwise."""
        assert self.dormant is not None
        i, r, factor = self.dormant
        st = self.world.sys.get(i)
        active = st.active if st is not None else self.world.c.sys_active0[i]
        return 1.0 if active == r else factor

    def _age(self, hours: float) -> Generator[simpy.Event, Any, None]:
        """Live through ``hours`` of service time, at the rate of the replica's role of the moment."""
        env = self.world.env
        assert self.dormant is not None
        system = self.dormant[0]
        while True:
            rate = self._rate()
            change = self.world.wait_for(("role", system))
            start = env.now
            if rate <= 0.0:
                yield change  # an idle cold standby does not age
            else:
                timer = env.timeout(hours / rate)
                done = yield timer | change
                if timer in done:
                    return
            hours = max(0.0, hours - (env.now - start) * rate)

    def _fail_and_repair(self, hours: float | None = None) -> Generator[simpy.Event, Any, None]:
        env = self.world.env
        self.up = False
        self.fail()
        team = self.team
        req = None
        if team is not None:
            req = team.request(1, (REPAIR_PRIORITY, 0, env.now), f"repair {self.target}")
            yield req.event
        if hours is None:
            hours = self.spec.time_to_repair.sample(self.repair_rng)
        if req is not None:
            req.expected_end = env.now + hours
        yield env.timeout(hours)
        if team is not None and req is not None:
            team.release(req)
        self.up = True
        self.restore()


def _dormant(world: World, target: str) -> tuple[int, int, float] | None:
    """(system, replica, factor) when ``target`` is a replica whose ageing depends on its role (a dormancy factor other than 1)."""
    if "/" not in target:
        return None
    c = world.c
    system_id, _, name = target.partition("/")
    i = c.sidx[system_id]
    factor = c.dormancy[i]
    if factor == 1.0 or len(c.sys_reps[i]) < 2:
        return None
    r = next(r for r in c.sys_reps[i] if c.rep_name[r] == name)
    return i, r, factor


def start_background_failures(world: World, horizon: float) -> None:
    """Start one process per target of every background failure spec (and one per common-cause shock stream)."""
    for k, spec in enumerate(world.scenario.failures):
        name = spec.id or f"failures[{k}]"
        beta = spec.common_cause_beta
        if beta > 0 and not isinstance(spec.time_to_failure, Exponential):  # pragma: no cover - the model refuses it
            raise DrillsimError(f"failures[{k}].common_cause_beta: needs an exponential time_to_failure")
        components = [_Component(world, spec, name, target, beta, horizon) for target in spec.targets]
        if beta > 0:
            world.env.process(_shocks(world, spec, name, beta, components, horizon))


def _shocks(world: World, spec: BackgroundFailure, name: str, beta: float, components: list[_Component], horizon: float) -> Generator[simpy.Event, Any, None]:
    """Common-cause shocks at rate beta lambda; each fails every target that is up at that moment."""
    env = world.env
    rng = world.rng("common-cause", name)
    mean = spec.time_to_failure.mean / beta  # shock rate: beta lambda
    while True:
        yield env.timeout(float(rng.exponential(mean)))
        if env.now >= horizon:
            return
        for component in components:
            if component.up:
                component.process.interrupt("common cause")

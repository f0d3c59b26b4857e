"""The engine's public face: run a scenario headless, or drive it step by step from outside.

Headless::

    result = run_scenario(scenario, seed=7)            # auto policy, to the horizon

Step by step (the drill app does this; nothing here imports a UI)::

    sim = Simulation(scenario, seed=7, policy="manual")
    sim.step()                       # to the next event the team can see
    sim.advance(sim.now + 1.0)       # or by a chosen time
    view = sim.view()                # what the team sees (fog of war); view(truth=True) for the facilitator
    options = sim.actions()          # what can be done now, with cost, and why not
    sim.act(options[0].id)           # do it
    sim.decide("relocate", "daegu")  # answer an open decision point
    result = sim.result()

Same scenario, same seed, same sequence of calls: the same result, bit for bit.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from ..model.diagnostics import DrillsimError
from ..model.limits import MAX_EVENTS
from ..model.loading import LoadedScenario
from ..model.scenario import Scenario
from ..model.workload import arrivals_problem
from .actions import (
    ActionError,
    ActionId,
    ActionOption,
    list_actions,
    parse_action_id,
    take_action,
)
from .clock import step_before
from .collector import collector_paused
from .compiled import CompiledModel, compile_scenario
from .events import Event
from .failures import start_background_failures
from .injects import apply_inject
from .kinds import EventKind
from .openings import OpeningRules
from .policy import Policy, make_policy
from .queueing import start_queues
from .recovery import end_fallback
from .results import RunResult
from .scoring import build_result
from .sight import system_view, visible_status
from .status import Status, SystemView
from .tasks import Task
from .world import World

__all__ = ["Simulation", "ActionOption", "ActionError", "EventBudgetExceeded", "run_scenario", "SystemView"]


class EventBudgetExceeded(DrillsimError):
    """A run that processed :data:`~drillsim.model.limits.MAX_EVENTS` events without reaching its end."""


def _scenario_of(source: Scenario | LoadedScenario | CompiledModel) -> tuple[CompiledModel, str | None]:
    if isinstance(source, CompiledModel):
        return source, None
    if isinstance(source, LoadedScenario):
        return compile_scenario(source.scenario), source.hash
    return compile_scenario(source), None


class Simulation:
    """One run of a scenario, advanced by its caller."""

    def __init__(
        self,
        scenario: Scenario | LoadedScenario | CompiledModel,
        seed: int = 0,
        policy: str | Policy = "auto",
        record_events: bool = True,
        until: float | None = None,
        scenario_hash: str | None = None,
        allow_large: bool = False,
        event_budget: int | None = None,
    ):
        with collector_paused():  # building the world allocates per touched system: see .collector
            self._setup(scenario, seed, policy, record_events, until, scenario_hash, allow_large, event_budget)

    def _setup(
        self,
        scenario: Scenario | LoadedScenario | CompiledModel,
        seed: int,
        policy: str | Policy,
        record_events: bool,
        until: float | None,
        scenario_hash: str | None,
        allow_large: bool,
        event_budget: int | None,
    ) -> None:
        compiled, digest = _scenario_of(scenario)
        self.compiled = compiled
        self.scenario = compiled.scenario
        self.scenario_hash = scenario_hash or digest
        self.seed = int(seed)
        self.world = World(compiled, self.seed, record_events)
        self.policy = make_policy(policy)
        self.policy.attach(self.world)
        self.world.attach_policy(self.policy)
        world = self.world
        self.world.on_serving_again(lambda st: end_fallback(world, st))
        horizon = self.scenario.horizon
        self.end = min(horizon, until) if until is not None else horizon
        if self.end <= 0:
            raise DrillsimError(f"--until must be positive, got {until!r}")
        if not allow_large and compiled.queued_systems:  # no per-request queue: nothing to count (no scan of the model)
            problem = arrivals_problem(self.scenario, self.end)
            if problem is not None:
                raise DrillsimError(problem)
        self.event_budget = MAX_EVENTS if event_budget is None else event_budget
        """Simulation events this run may process (see :class:`EventBudgetExceeded`)."""
        self.events_processed = 0
        self.pending_decisions: dict[str, float] = {}
        self.actions_taken: list[dict[str, Any]] = []
        self.prompts: dict[str, str] = {}
        """Each opened decision's prompt as the team read it (its figures counted when it opened)."""
        self.openings = OpeningRules(compiled, lambda: self.world.sys, self.visible_status)
        for k, inject in enumerate(self.scenario.injects):
            if inject.at <= self.end:
                self.world.schedule(inject.at, self._inject, inject, inject.id or f"injects[{k}]")
        for decision in self.scenario.decisions:
            if decision.opens is not None and decision.opens.after <= self.end:
                self.world.env.process(self.openings.watch(self.world.env, decision, self.end, partial(self._opened, decision.id), partial(self._open_decision, decision.id)))
        try:
            start_background_failures(self.world, self.end)
        except ValueError as exc:
            raise DrillsimError(str(exc)) from None
        self.world.attach_queues(start_queues(self.world, self.end))
        self._result: RunResult | None = None

    # ------------------------------------------------------------------------------
    # Time
    # ------------------------------------------------------------------------------
    @property
    def now(self) -> float:
        """Hours since the scenario start."""
        return self.world.env.now

    @property
    def done(self) -> bool:
        """Whether the run has reached its end."""
        return self.now >= self.end - 1e-12

    def advance(self, until: float, stop_at_decision: bool = False) -> list[Event]:
        """Run the world to ``until`` (capped at the end); return the events that happened.

        With ``stop_at_decision``, stop early when a new decision point opens (once everything
        else happening at that moment is done), so the team can answer it in time. Without a new
        decision, the world is the same either way.
        """
        start = len(self.world.events)
        target = min(until, self.end)
        if target > self.now:
            with collector_paused():  # see .collector: the model is not re-scanned during the run
                if stop_at_decision:
                    env = self.world.env
                    before = set(self.pending_decisions)
                    while env.peek() < target:
                        self._step()
                        if any(d not in before for d in self.pending_decisions):
                            while env.peek() <= env.now:
                                self._step()
                            return self.world.events[start:]
                self._run_to(target)
        return self.world.events[start:]

    def _run_to(self, target: float) -> None:
        """``env.run(until=target)``, within the event budget (the same events, in the same order).

        Events before ``target`` are stepped here, counted; ``env.run`` then does what it does at
        ``target`` itself (the urgent events scheduled there before it) and sets the clock.
        """
        env = self.world.env
        left = self.event_budget - self.events_processed
        n = step_before(env, target, left)
        self.events_processed += n
        if n >= left and env.peek() < target:
            self._over_budget()
        env.run(until=target)

    def _step(self) -> None:
        if self.events_processed >= self.event_budget:
            self._over_budget()
        self.world.env.step()
        self.events_processed += 1

    def _over_budget(self) -> None:
        raise EventBudgetExceeded(
            f"the run was stopped at T+{self.now:.6g}h of {self.end:g}h after {self.events_processed:,} simulation events, "
            f"its budget: something in the scenario happens far too often to simulate (background failures every few "
            f"seconds, or a per-request queue with millions of callers: fluid mode has no event per caller)"
        )

    def step(self, visible_only: bool = True) -> list[Event]:
        """Run to the next moment something happens (that the team can see); return its events.

        All events at that moment are processed, so the world is never shown half-updated.
        """
        world = self.world
        env = world.env
        events = world.events
        start = len(events)
        counted = world.n_visible if visible_only else world.n_logged
        decisions = len(self.pending_decisions)
        with collector_paused():
            while True:
                t = env.peek()
                if t >= self.end:
                    self.advance(self.end)
                    break
                self._step()
                now_counted = world.n_visible if visible_only else world.n_logged
                if now_counted > counted or len(self.pending_decisions) > decisions:
                    while env.peek() <= env.now and env.peek() < self.end:
                        self._step()
                    break
        return events[start:]

    def run(self) -> RunResult:
        """Run to the end and return the result."""
        self.advance(self.end)
        return self.result()

    def result(self) -> RunResult:
        """The result so far (at the end of a finished run, the final one); asking changes nothing in the run."""
        with collector_paused():
            result = build_result(self.world, self.policy.name, max(self.now, 1e-9) if not self.done else self.end, self.scenario_hash)
        result.actions = list(self.actions_taken)
        return result

    # ------------------------------------------------------------------------------
    # Injects and decisions
    # ------------------------------------------------------------------------------
    def _inject(self, inject: Any, source: str) -> None:
        apply_inject(self.world, inject, source, self._open_decision)

    def _open_decision(self, decision_id: str) -> None:
        decision = self.scenario.decision_index[decision_id]
        prompt = self.prompts[decision_id] = self.openings.prompt(decision)
        self.world.log(EventKind.decision, decision_id, prompt, options=[o.id for o in decision.options])
        if self.policy.decides:
            self._apply_decision(decision_id, decision.default_option.id, by=self.policy.name)
        else:
            self.pending_decisions[decision_id] = self.now

    def _opened(self, decision_id: str) -> bool:
        return decision_id in self.prompts

    def inject(self, action: Any, source: str) -> None:
        """Apply an inject action now (a facilitator's, while the drill plays); ``source`` names who gave it."""
        self._inject(action, source)

    def decide(self, decision_id: str, option_id: str, by: str = "team") -> None:
        """Answer an open decision point; its effects follow."""
        if decision_id not in self.pending_decisions:
            open_ = ", ".join(self.pending_decisions) or "none"
            raise ActionError(f"decision {decision_id!r} is not open (open: {open_})")
        decision = self.scenario.decision_index[decision_id]
        if option_id not in [o.id for o in decision.options]:
            raise ActionError(f"decision {decision_id!r} has no option {option_id!r} (options: {', '.join(o.id for o in decision.options)})")
        del self.pending_decisions[decision_id]
        self._apply_decision(decision_id, option_id, by=by)

    def _apply_decision(self, decision_id: str, option_id: str, by: str) -> None:
        decision = self.scenario.decision_index[decision_id]
        option = next(o for o in decision.options if o.id == option_id)
        self.world.record_decision(decision_id, option_id, by)
        self.world.log(EventKind.decided, decision_id, f"Decision: {option.label}", by=by, option=option_id)
        for k, effect in enumerate(option.effects):
            source = f"{decision_id}/{option_id}[{k}]"
            self.world.schedule(effect.after, self._inject, effect, source)

    # ------------------------------------------------------------------------------
    # What the team sees and can do
    # ------------------------------------------------------------------------------
    def visible_status(self, i: int) -> Status:
        """System ``i`` as the team sees it (fog of war: :func:`drillsim.engine.sight.visible_status`)."""
        return visible_status(self.world, self.compiled, i)

    def system_view(self, i: int, truth: bool = False) -> SystemView:
        """One system as the team (or, with truth, the facilitator) sees it."""
        return system_view(self.world, self.compiled, i, truth)

    def touched(self) -> list[str]:
        """Ids of the systems anything has happened to (all others are up)."""
        return [self.compiled.sys_ids[i] for i in sorted(self.world.sys)]

    def touched_statuses(self, truth: bool = False) -> dict[int, Status]:
        """The status of every touched system, by system index (fog of war unless truth).

        Every system not in the mapping is up. Costs O(touched systems), never O(model): displays
        call it on every refresh and keep their per-group counts incrementally.
        """
        if truth:
            return {i: st.status for i, st in self.world.sys.items()}
        visible = self.visible_status
        return {i: visible(i) for i in self.world.sys}

    def counts(self, truth: bool = False) -> dict[str, int]:
        """How many systems are in each status (fog of war unless truth)."""
        out = {s.value: 0 for s in Status}
        for i in self.world.sys:
            status = self.world.sys[i].status if truth else self.visible_status(i)
            out[status.value] += 1
        out[Status.up.value] += len(self.compiled.sys_ids) - len(self.world.sys)
        return out

    def teams(self) -> list[dict[str, Any]]:
        """Each team's roster: staff, free, running and queued work."""
        return [team.roster() for team in self.world.teams]

    def tasks(self, active_only: bool = True) -> list[dict[str, Any]]:
        """Tasks (recoveries, repairs, fallbacks), newest last."""
        return [t.snapshot() for t in self.world.tasks if t.active or not active_only]

    def events(self, visible_only: bool = True, since: int = 0) -> list[Event]:
        """The event journal from index ``since`` (the team's view unless visible_only is False)."""
        events = self.world.events[since:]
        return [e for e in events if e.visible] if visible_only else list(events)

    def actions(self, truth: bool = False) -> list[ActionOption]:
        """What the team could do now: recoveries of detected problems, fallbacks, repairs, cancellations.

        Impossible actions are listed with the reason (status 'no'), so the team learns why. Every
        registered action kind contributes (:mod:`drillsim.engine.actions`).
        """
        return list_actions(self.world, truth, self.now)

    def act(self, action: ActionId | str, by: str = "team") -> Task | None:
        """Carry out an action from :meth:`actions` by its id (structured, or its string form); raise ActionError if it cannot be done."""
        text = action if isinstance(action, str) else str(action)
        task = take_action(self.world, parse_action_id(action) if isinstance(action, str) else action, by)
        self.actions_taken.append({"t": self.now, "action": text, "by": by})
        self.world.log(EventKind.action, text, f"Action ({by}): {task.label if task else text}", by=by)
        return task

    def view(self, truth: bool = False) -> dict[str, Any]:
        """A snapshot for displays: clock, counts, touched systems, teams, open decisions."""
        return {
            "now": self.now,
            "local_time": self.scenario.local_time(self.now).isoformat(),
            "truth": truth,
            "counts": self.counts(truth),
            "systems": [self.system_view(i, truth) for i in sorted(self.world.sys)],
            "teams": self.teams(),
            "decisions": dict(self.pending_decisions),
        }


def run_scenario(
    scenario: Scenario | LoadedScenario | CompiledModel,
    seed: int = 0,
    policy: str | Policy = "auto",
    until: float | None = None,
    record_events: bool = True,
    actions: Iterable[tuple[float, str]] = (),
    allow_large: bool = False,
) -> RunResult:
    """Run a scenario headless to its end (or ``until``); optionally play timed actions (a script).

    ``allow_large``: simulate a per-request queue even when millions of callers are expected.
    """
    sim = Simulation(scenario, seed=seed, policy=policy, until=until, record_events=record_events, allow_large=allow_large)
    for t, action_id in sorted(actions, key=lambda x: x[0]):
        sim.advance(t)
        if action_id.startswith("decide/"):
            _, decision, option = action_id.split("/", 2)
            sim.decide(decision, option, by="script")
        else:
            sim.act(action_id, by="script")
    return sim.run()

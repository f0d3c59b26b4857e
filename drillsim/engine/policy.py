"""Policies: who decides recovery actions.

- :class:`AutoPolicy` follows each system's runbook (used in batches and as the drill's
  benchmark): it activates manual fallbacks, sends repair crews, and carries out the first
  recovery option that is possible now or will become possible (runbook order wins: a system
  waits for its room to be repowered rather than jumping to a later option), retrying a failed
  step up to its ``attempts`` (default 3; then its ``escalate`` team's as many) before moving
  on. Decision points take their default option.
- :class:`ManualPolicy` does nothing by itself: the drill team acts through
  :meth:`drillsim.engine.simulation.Simulation.act` and decides decision points.
- :class:`NoActionPolicy` does nothing at all, even on decision points: the do-nothing baseline
  a drill's score is compared with.

Automatic mechanisms that are part of the systems themselves (active-standby switchover,
scheduled ends of injected outages, background repairs) run whatever the policy.
"""

from __future__ import annotations

from .kinds import PENDING, EventKind, TaskKind
from .recovery import (
    NO,
    READY,
    assess,
    options_for,
    start_domain_repair,
    start_fallback,
    start_recovery,
)
from .recovery.work import team_of
from .runbook import exhausted
from .tasks import Task
from .world import World

__all__ = ["Policy", "AutoPolicy", "ManualPolicy", "NoActionPolicy", "make_policy"]

"""Failed attempts of one option before the auto policy moves on, unless the option sets ``attempts``."""


class Policy:
    """Hooks the world calls when something the deciders should know about happens."""

    name = "base"
    decides = False
    world: World
    """The world of the run (set by :meth:`attach`)."""
    """Whether decision points are answered by the policy (True) or left to people."""

    def attach(self, world: World) -> None:
        """Called once when the run starts."""
        self.world = world

    def on_detected(self, i: int) -> None:
        """System ``i``'s problem has been detected (or got worse while watched)."""

    def on_domain_detected(self, d: int) -> None:
        """A domain's failure has been noticed."""

    def on_domain_restored(self, d: int) -> None:
        """A domain is back."""

    def on_task_ended(self, task: Task) -> None:
        """A task is done or failed."""

    def on_conditions_changed(self) -> None:
        """Capacity or runbook preferences changed: stuck work may be possible now."""


class AutoPolicy(Policy):
    """Follow the runbooks (see the module docstring)."""

    name = "auto"
    decides = True

    planned_by = "auto"
    """Who the work this policy starts is logged as planned by."""

    def may_start(self, i: int, team: int) -> bool:
        """Whether this policy may start work for system ``i`` by team index ``team`` (-1: no team): the runbook always may.

        A delegate (:mod:`.delegate`) starts only the work its standing orders cover.
        """
        return True

    def started(self, task: Task) -> None:
        """This policy started ``task`` (a delegate sets its place in its team's queue here)."""

    def plan(self, i: int) -> None:
        """Start the next step for system ``i`` if it needs one and has none under way."""
        world = self.world
        st = world.sys.get(i) or world.state(i)
        if not st.detected:
            return
        fallback = world.c.systems[i].fallback
        if not st.serving and fallback is not None and self.may_start(i, world.c.tidx[fallback.team] if fallback.team else -1):
            task = start_fallback(world, i, by=self.planned_by)
            if task is not None:
                self.started(task)
        if st.task is not None and st.task.active or st.switchover_pending or not st.problem:
            return
        for option in options_for(world, i):
            if exhausted(option, st.attempts.get(option.key, 0)):
                continue
            assessment = assess(world, i, option)
            if assessment.status != NO:
                if not self.may_start(i, team_of(world, i, option)):
                    return
                self.started(start_recovery(world, i, option, by=self.planned_by, assessed=assessment))
                if st.stuck:
                    world.table.set_stuck(st, False)
                return
        if not st.stuck:
            world.table.set_stuck(st, True)
            reasons = "; ".join(f"{o.key}: {assess(world, i, o).reason}" for o in options_for(world, i))
            world.log(EventKind.task_failed, world.c.sys_ids[i], f"{world.label(i)}: no recovery option is possible now ({reasons})")

    def on_detected(self, i: int) -> None:
        self.plan(i)

    def on_domain_detected(self, d: int) -> None:
        world = self.world
        causes = world.infra.dom_causes.get(d) or set()
        if "inject" in causes and d not in world.infra.dom_timed and self.may_repair(d):
            task = start_domain_repair(world, d, by=self.planned_by)
            if task is not None:
                self.started(task)

    def may_repair(self, d: int) -> bool:
        """Whether this policy may send domain ``d``'s repair crew (the runbook always may)."""
        return True

    def on_domain_restored(self, d: int) -> None:
        self.on_conditions_changed()

    def on_task_ended(self, task: Task) -> None:
        if task.kind is TaskKind.recover and task.system >= 0:
            self.plan(task.system)

    def on_conditions_changed(self) -> None:
        world = self.world
        for i in sorted(world.table.stuck):
            self.plan(i)
        # Work not yet started under a later runbook option moves up when an earlier one has
        # become possible (capacity freed or added, a target site usable again).
        # Only work not yet started can move, and not work already on its system's first option
        # (unless a preferred option reorders the runbook). A system's task changes only in its
        # own iteration (the processes of others run later), so the systems picked here, in one
        # pass over the touched ones, are those a check at each iteration would pick.
        preferred = world.table.preferred
        runbook = world.c.runbook
        movable = [
            i for i, st in world.sys.items()
            if (t := st.task) is not None and t.option is not None and t.state in PENDING and (i in preferred or t.option is not runbook[i][0])
        ]
        for i in sorted(movable):
            st = world.sys[i]
            task = st.task
            assert task is not None and task.option is not None  # picked above, unchanged since
            options = options_for(world, i)
            keys = [o.key for o in options]
            current = keys.index(task.option.key) if task.option.key in keys else len(keys)
            for option in options[:current]:
                if exhausted(option, st.attempts.get(option.key, 0)):
                    continue
                assessment = assess(world, i, option)
                if assessment.status == READY:
                    if not self.may_start(i, team_of(world, i, option)):
                        break
                    task.cancel(f"replanned: {option.key} is possible now")
                    st.drop_task()
                    self.started(start_recovery(world, i, option, by=self.planned_by, assessed=assessment))
                    break


class ManualPolicy(Policy):
    """The drill team decides everything (see the module docstring)."""

    name = "manual"


class NoActionPolicy(Policy):
    """Nobody does anything: the do-nothing baseline."""

    name = "none"


def make_policy(name: str | Policy) -> Policy:
    """A policy from its name: 'auto', 'manual' or 'none'."""
    if isinstance(name, Policy):
        return name
    policies = {"auto": AutoPolicy, "manual": ManualPolicy, "none": NoActionPolicy}
    if name not in policies:
        raise ValueError(f"unknown policy {name!r}: use auto, manual or none")
    return policies[name]()

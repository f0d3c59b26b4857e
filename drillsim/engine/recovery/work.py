"""Recovery work: choosing, assessing and carrying out runbook options with staff.

A task runs as one SimPy process: lead time (rebuilds' procurement), waiting for its conditions,
queueing for staff by priority, the hands-on work (sampled duration), then success or failure
(sampled). Conditions are checked again once staff are granted. The same assessment serves the
auto policy and the drill's command palette, so impossible actions are explained, not hidden.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

import simpy

from ...model.systems import RecoveryOption
from ..kinds import EventKind, TaskKind, TaskState
from ..runbook import escalated
from ..state import SysState
from ..tasks import Task
from ..world import World
from .base import NO, READY, WAIT, Assessment, tooling
from .kinds import HANDLERS

__all__ = ["options_for", "assess", "option_label", "start_recovery", "priority", "team_of"]


def options_for(world: World, i: int) -> Sequence[RecoveryOption]:
    """System ``i``'s runbook in the order to try it (a preferred option first; an implicit restart last)."""
    options = world.c.runbook[i]
    preferred = world.table.preferred.get(i)
    if preferred is not None:
        return sorted(options, key=lambda o: o.key != preferred)
    return options


def assess(world: World, i: int, option: RecoveryOption) -> Assessment:
    """Can ``option`` be carried out for system ``i`` now? See :mod:`.base`."""
    st = world.sys.get(i) or world.state(i)
    if not st.problem:
        why = " (it is down through its dependencies: recover those)" if not st.serving else ""
        return Assessment(NO, f"nothing to recover: {world.label(i)} itself is fine{why}")
    tools = tooling(world, option)
    if tools.status != READY:
        return tools
    return HANDLERS[option.kind].assess(world, st, option, tools.slow)


def priority(world: World, i: int, rank: int) -> tuple[int, int, float]:
    """A task's place in its team's queue: grade, then rank (recoveries before fallbacks), then detection time.

    A recovery (rank 1) is queued at the system's recovery grade: its own, or the best grade of
    the systems that hard-depend on it (a shared platform comes back with the systems that need it).
    """
    st = world.state(i)
    grade = world.c.recovery_grade[i] if rank == 1 else world.c.grade[i]
    return (grade, rank, st.detected_at if st.detected_at is not None else world.env.now)


def team_of(world: World, i: int, option: RecoveryOption) -> int:
    """The team doing ``option`` for system ``i``: the option's, else the system's; its escalation team once their attempts failed."""
    if option.escalate is not None:
        st = world.sys.get(i)
        if st is not None and escalated(option, st.attempts.get(option.key, 0)):
            return world.c.tidx[option.escalate]
    return world.c.tidx[option.team] if option.team else world.c.team[i]


def _extra_hours(world: World, i: int, a: Assessment) -> float:
    """Restore throughput: size / restore_rate when the data comes from a backup with a rate."""
    size = world.c.systems[i].data.size
    if a.copy is None or a.copy.kind != "backup" or size is None:
        return 0.0
    rate = world.c.backups[i][a.copy.detail].restore_rate
    return size / rate if rate else 0.0


def option_label(world: World, i: int, option: RecoveryOption) -> str:
    """How an option reads: its label, or e.g. 'restore Government24 at Daegu'."""
    if option.label:
        return f"{option.label} ({world.label(i)})"
    where = ""
    if option.target:
        where = " at " + world.scenario.domain_index[option.target[0]].label
    return f"{option.kind.value} {world.label(i)}{where}"


def start_recovery(world: World, i: int, option: RecoveryOption, by: str = "auto", assessed: Assessment | None = None) -> Task:
    """Start carrying out ``option`` for system ``i`` (the caller has assessed it)."""
    st = world.state(i)
    team = team_of(world, i, option)
    team_id = world.teams[team].id if team >= 0 else None
    task = Task(TaskKind.recover, option_label(world, i, option), team, team_id, option.staff, priority(world, i, 1), world.c.sys_ids[i], world.env.now)
    task.option = option
    task.system = i
    world.add_task(task)
    st.assign_task(task)
    if world.journal.record:
        world.log(EventKind.task_queued, task.subject, f"{task.label}: planned ({by})", by=by, option=option.key)
    else:
        world.journal.count()  # not kept: no text to format
    task.process = world.env.process(_run_recovery(world, task, st, option, assessed))
    return task


def _run_recovery(world: World, task: Task, st: SysState, option: RecoveryOption, assessed: Assessment | None) -> Generator[simpy.Event, Any, None]:
    env = world.env
    i = st.i
    team = world.teams[task.team]
    sid = world.c.sys_ids[i]
    kind = HANDLERS[option.kind]
    try:
        lead = kind.lead_time(option)
        if lead > 0:
            task.wait(TaskState.lead, f"procurement, {lead:g}h")
            yield env.timeout(lead)
        while True:
            a = assessed if assessed is not None and task.state is TaskState.new else assess(world, i, option)
            assessed = None
            if a.status == NO:
                _task_ends(world, task, TaskState.failed, a.reason)
                return
            if a.status == WAIT:
                task.wait(TaskState.waiting, a.reason)
                yield world.wait_for(a.wait_key)
                continue
            task.wait(TaskState.queued, f"waiting for {option.staff} staff of {team.spec.label}")
            req = task.req = team.request(option.staff, task.priority, task.label)
            yield req.event
            a = assess(world, i, option)
            if a.status != READY:
                team.release(req)
                task.req = None
                if a.status == NO:
                    _task_ends(world, task, TaskState.failed, a.reason)
                    return
                continue
            break
        claimed = world.take_capacity(a.site, world.c.systems[i].footprint)
        extra = _extra_hours(world, i, a)
        hours = world.draw(option.duration, "recovery", sid, option.key) * a.slow + extra
        estimate = option.duration.mean * a.slow + extra  # what the team expects; the draw is the truth
        task.start(env.now, hours, estimate)
        if world.journal.record:
            world.log(EventKind.task_started, sid, f"{task.label}: started ({option.staff} staff, expected to take about {estimate:.1f}h)", hours=hours)
        else:
            world.journal.count()
        world.refresh_status(i)
        yield env.timeout(hours)
        team.release(req)
        task.req = None
        ok = world.chance(option.success, "recovery-outcome", sid, option.key)
        setback = kind.confirm(world, st, option, a) if ok else None
        if not ok or setback is not None:
            world.give_capacity(claimed, world.c.systems[i].footprint)
            if setback is not None and setback.abandoned:
                _task_ends(world, task, TaskState.cancelled, setback.reason)
                if world.policy is not None:
                    world.policy.on_task_ended(task)
                return
            if setback is None or setback.counts:
                st.count_failed_attempt(option.key)
                if option.escalate is not None and st.attempts[option.key] == option.attempts:
                    team_label = world.teams[world.c.tidx[option.escalate]].spec.label
                    world.log(EventKind.task_queued, sid, f"{task.label}: {option.attempts} attempt(s) failed: escalated to {team_label}", escalate=option.escalate)
            _task_ends(world, task, TaskState.failed, setback.reason if setback is not None else "the attempt did not work")
            return
        kind.apply(world, st, option, a)
        _task_ends(world, task, TaskState.done, "")
    except simpy.Interrupt as stop:
        if task.req is not None:
            team.withdraw(task.req)
            task.req = None
        _task_ends(world, task, TaskState.cancelled, str(stop.cause))


_END_KIND = {TaskState.done: EventKind.task_done, TaskState.failed: EventKind.task_failed, TaskState.cancelled: EventKind.task_cancelled}


def _task_ends(world: World, task: Task, state: TaskState, reason: str) -> None:
    task.end(state, world.env.now, reason)
    i = task.system
    st = world.sys.get(i)
    if st is not None:
        st.end_task(task)
    journal = world.journal
    if journal.record:
        text = f"{task.label}: {'done' if state is TaskState.done else state.value}" + (f" ({reason})" if reason else "")
        world.log(_END_KIND[state], task.subject, text, reason=reason)
    else:
        journal.count()
    if st is not None:
        world.refresh_status(i)
    if world.policy is not None and state is not TaskState.cancelled:
        world.policy.on_task_ended(task)

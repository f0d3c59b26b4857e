"""Manual fallbacks: paper, phone or counters serving part of the demand while a system is down.

After detection of a system that does not serve, its fallback starts after ``activation``
(holding ``staff`` of ``team`` if given) and serves ``share`` of normal demand until the system
is back. Then the re-entry backlog (fallback-served requests x ``reentry``) is worked off by its
staff.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from ...model.systems import Fallback
from ..kinds import EventKind, TaskKind, TaskState
from ..state import SysState
from ..tasks import Task
from ..teams import StaffRequest, TeamState
from ..world import World
from .work import priority

__all__ = ["start_fallback", "end_fallback"]


def start_fallback(world: World, i: int, by: str = "auto") -> Task | None:
    """Switch system ``i`` to its manual fallback (after the activation delay, with its staff)."""
    st = world.state(i)
    spec = world.c.systems[i].fallback
    if spec is None or st.fallback_on or st.fallback_task is not None or st.serving:
        return None
    team = world.c.tidx[spec.team] if spec.team else -1
    label = f"fallback for {world.label(i)}" + (f": {spec.label}" if spec.label else "")
    task = Task(TaskKind.fallback, label, team, world.teams[team].id if team >= 0 else None, spec.staff, priority(world, i, 2), world.c.sys_ids[i], world.env.now)
    task.system = i
    world.add_task(task)
    st.set_fallback_task(task)
    world.log(EventKind.task_queued, task.subject, f"{label}: activating ({by})", by=by)
    task.process = world.env.process(_run_fallback(world, task, st, spec))
    return task


def _run_fallback(world: World, task: Task, st: SysState, spec: Fallback) -> Generator[simpy.Event, Any, None]:
    env = world.env
    team = world.teams[task.team] if task.team >= 0 else None
    i = st.i
    try:
        task.wait(TaskState.lead, f"activation, {spec.activation:g}h")
        yield env.timeout(spec.activation)
        if team is not None and spec.staff > 0:
            task.wait(TaskState.queued, task.reason)
            req = task.req = team.request(spec.staff, task.priority, task.label)
            yield req.event
        if st.serving:
            raise simpy.Interrupt("no longer needed")
        world.fallback_serves(st)
        task.serve(env.now)
        world.log(EventKind.fallback_on, world.c.sys_ids[i], f"{world.label(i)}: manual fallback running ({spec.label or 'manual processing'}, {spec.share:.0%} of demand)")
        world.refresh_status(i)
    except simpy.Interrupt as stop:
        if task.req is not None:
            if task.req.granted and team is not None:
                team.release(task.req)
            elif team is not None:
                team.cancel(task.req)
            task.req = None
        task.end(TaskState.cancelled, env.now, str(stop.cause))
        if st.fallback_task is task:
            st.set_fallback_task(None)


def end_fallback(world: World, st: SysState) -> None:
    """The system serves again: stand the fallback down and work off the re-entry backlog."""
    task = st.fallback_task
    if not st.fallback_on:
        if task is not None and task.state in (TaskState.lead, TaskState.queued):
            task.cancel("the system is back")
        return
    spec = world.c.systems[st.i].fallback
    assert spec is not None  # a fallback is on only where one is defined
    backlog = st.episode_fb * spec.reentry  # staff-hours of re-entry work
    hours = backlog / spec.staff if spec.staff else 0.0
    world.fallback_ends(st, hours)
    i = st.i
    world.log(
        EventKind.fallback_off,
        world.c.sys_ids[i],
        f"{world.label(i)}: back online; {st.episode_fb:,.0f} {world.c.systems[i].demand.unit} handled by hand await re-entry (about {hours:.1f}h)",
        reentry_hours=hours,
    )
    if task is not None:
        task.end(TaskState.reentry if hours > 0 else TaskState.done, None)
        if task.req is not None and task.req.granted:
            req = task.req
            team = world.teams[task.team]
            task.expected_end = world.env.now + hours
            req.expected_end = task.expected_end
            world.schedule(hours, _release_after_reentry, world, team, req, task)
        else:
            task.ended_at = world.env.now


def _release_after_reentry(world: World, team: TeamState, req: StaffRequest, task: Task) -> None:
    team.release(req)
    task.end(TaskState.done, world.env.now)

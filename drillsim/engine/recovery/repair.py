"""Domain repairs: a failed domain's ``repair`` crew brings it back."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from ...model.domains import DomainRepair
from ..kinds import EventKind, TaskKind, TaskState
from ..tasks import Task
from ..world import World

__all__ = ["start_domain_repair"]


def start_domain_repair(world: World, d: int, by: str = "auto") -> Task | None:
    """Send the domain's repair crew (its ``repair`` spec) to bring a failed domain back."""
    name = world.c.dom_ids[d]
    domain = world.scenario.domain_index[name]
    spec = domain.repair
    dom_task = world.infra.dom_task
    if spec is None or d in dom_task and dom_task[d].active:
        return None
    label = f"repair {domain.label}"
    team = world.c.tidx[spec.team]
    task = Task(TaskKind.repair, label, team, world.teams[team].id, spec.staff, (0, 0, world.env.now), name, world.env.now)
    world.add_task(task)
    world.infra.set_repair(d, task)
    world.log(EventKind.task_queued, name, f"{label}: planned ({by})", by=by)
    task.process = world.env.process(_run_domain_repair(world, task, d, spec))
    return task


def _run_domain_repair(world: World, task: Task, d: int, spec: DomainRepair) -> Generator[simpy.Event, Any, None]:
    env = world.env
    team = world.teams[task.team]
    try:
        task.wait(TaskState.queued, task.reason)
        req = task.req = team.request(task.staff, task.priority, task.label)
        yield req.event
        hours = world.draw(spec.duration, "repair", world.c.dom_ids[d])
        task.start(env.now, hours, spec.duration.mean)
        world.log(EventKind.task_started, task.subject, f"{task.label}: started ({task.staff} staff, expected to take about {spec.duration.mean:.1f}h)", hours=hours)
        yield env.timeout(hours)
        team.release(req)
        task.req = None
        task.end(TaskState.done, env.now)
        world.log(EventKind.task_done, task.subject, f"{task.label}: done")
        world.domain_restore(d, ("inject",))
    except simpy.Interrupt as stop:
        if task.req is not None:
            team.withdraw(task.req)
        task.end(TaskState.cancelled, None, str(stop.cause))

"""Recovery work: assessing runbook options, carrying them out with staff, and manual fallbacks.

An option is assessed against the world as it is now: ``ready`` (it can start when staff are
free), ``wait`` (it will become possible: a domain must come back, a needed tool must be up, the
backup site must be reachable) or ``no`` (impossible, with the reason: hardware destroyed, no
free capacity at the target site, no surviving copy of the data). The same assessment serves
the auto policy and the drill's command palette, so impossible actions are explained, not hidden.

A task runs as one SimPy process: procurement lead time (rebuilds), waiting for its conditions,
queueing for staff by priority, the hands-on work (sampled duration), then success or failure
(sampled). Conditions are checked again once staff are granted.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import simpy

from ..model.distributions import Fixed
from ..model.systems import RecoveryKind, RecoveryOption, RedundancyMode, WhenToolingDown
from .teams import StaffRequest

if TYPE_CHECKING:  # pragma: no cover
    from .world import SysState, World

__all__ = [
    "READY",
    "WAIT",
    "NO",
    "Assessment",
    "Task",
    "options_for",
    "assess",
    "start_recovery",
    "start_domain_repair",
    "start_fallback",
    "end_fallback",
    "IMPLICIT_RESTART",
]

READY, WAIT, NO = "ready", "wait", "no"

IMPLICIT_RESTART = RecoveryOption(id="restart", kind=RecoveryKind.restart, staff=1, duration=Fixed(value="30m"), label="restart")
"""The restart every system gets when its runbook lists none (30 minutes, one person of its team)."""

_TASK_IDS = itertools.count(1)


@dataclass(slots=True)
class Assessment:
    """Whether an option can be carried out now, and with what."""

    status: str
    reason: str = ""
    wait_key: tuple | None = None
    replica: int | None = None
    copy: tuple | None = None
    slow: float = 1.0
    site: int = -1
    empty: bool = False
    """Rebuild with no surviving copy: the system comes back without its data."""


def runbook(system: Any) -> tuple[RecoveryOption, ...]:
    """A system's runbook as written, with the implicit restart last when it lists none."""
    options = tuple(system.recovery)
    if not any(o.kind is RecoveryKind.restart for o in options):
        options += (IMPLICIT_RESTART,)
    return options


def options_for(world: "World", i: int) -> list[RecoveryOption] | tuple[RecoveryOption, ...]:
    """System ``i``'s runbook in the order to try it (a preferred option first; an implicit restart last)."""
    options = world.c.runbook[i]
    preferred = world.preferred.get(i)
    if preferred is not None:
        return sorted(options, key=lambda o: o.key != preferred)
    return options


def _domain_wait(world: "World", closure: tuple[int, ...], what: str) -> Assessment:
    for d in closure:
        if world.dom_causes.get(d):
            name = world.c.dom_ids[d]
            return Assessment(WAIT, f"{what}: waits for {world.scenario.domain_index[name].label} to come back", ("domain", d))
    return Assessment(READY)


def _destroyed_in(world: "World", closure: tuple[int, ...]) -> int:
    for d in closure:
        if d in world.dom_destroyed:
            return d
    return -1


def _tooling(world: "World", option: RecoveryOption) -> Assessment:
    slow = 1.0
    for need in option.needs:
        j = world.c.sidx[need]
        if not world.serving(j):
            if option.when_needs_down is WhenToolingDown.block:
                return Assessment(WAIT, f"needs {world.label(j)}, which is down", ("system", j))
            slow = max(slow, option.slowdown)
    return Assessment(READY, slow=slow)


def _data_copy(world: "World", i: int, allow_empty: bool) -> Assessment:
    if not world.c.has_data[i]:
        return Assessment(READY)
    copy = world.best_copy(i, exclude_active=False, available_only=True)
    if copy is not None:
        return Assessment(READY, copy=copy)
    anywhere = world.best_copy(i, exclude_active=False, available_only=False)
    if anywhere is not None:
        kind, _, detail = anywhere
        closure = world.c.backups[i][detail].closure if kind == "backup" else world.rep_closure(detail)
        waited = _domain_wait(world, closure, "the data copy is unreachable")
        if waited.status == WAIT:
            return waited
        return Assessment(WAIT, "the data copy is unreachable", ("replica", detail))
    if allow_empty:
        return Assessment(READY, "no surviving copy of the data: the system comes back empty", empty=True)
    return Assessment(NO, "no surviving copy of the data (rebuild it empty instead)")


def assess(world: "World", i: int, option: RecoveryOption) -> Assessment:
    """Can ``option`` be carried out for system ``i`` now? See the module docstring."""
    st = world.state(i)
    c = world.c
    kind = option.kind
    if not st.problem:
        why = " (it is down through its dependencies: recover those)" if not st.serving else ""
        return Assessment(NO, f"nothing to recover: {world.label(i)} itself is fine{why}")
    tooling = _tooling(world, option)
    if tooling.status != READY:
        return tooling
    if kind is RecoveryKind.failover:
        if world.rep_up(st.active) and not st.failed and not st.collapsed:
            return Assessment(NO, "the active placement is up: nothing to fail over from")
        if option.source is not None:
            candidates = [r for r in st.reps if world.rep_name(r) == option.source and r != st.active]
        else:
            candidates = [r for r in st.reps if r != st.active]
        for r in candidates:
            if world.rep_up(r):
                return Assessment(READY, replica=r, slow=tooling.slow)
        alive = [r for r in candidates if r not in world.rep_destroyed]
        if not alive:
            return Assessment(NO, "no standby placement is left to fail over to")
        r = alive[0]
        waited = _domain_wait(world, world.rep_closure(r), "the standby is down")
        if waited.status == WAIT:
            return waited
        return Assessment(WAIT, "the standby is down", ("replica", r))
    if kind is RecoveryKind.restart:
        target = _restart_target(world, st)
        if target is None:
            return Assessment(NO, "nothing to restart")
        if target in world.rep_destroyed:
            d = _destroyed_in(world, world.rep_closure(target))
            where = f" in {world.scenario.domain_index[c.dom_ids[d]].label}" if d >= 0 else ""
            return Assessment(NO, f"its hardware{where} was destroyed: rebuild it or restore it elsewhere")
        waited = _domain_wait(world, world.rep_closure(target), "restart in place")
        if waited.status == WAIT:
            return waited
        if world.rep_failed.get(target):
            return Assessment(WAIT, "the server is under repair", ("replica", target))
        return Assessment(READY, replica=target, slow=tooling.slow)
    if kind is RecoveryKind.restore:
        closure = c.closure_of(option.target or [])
        d = _destroyed_in(world, closure)
        if d >= 0:
            return Assessment(NO, f"the target {world.scenario.domain_index[c.dom_ids[d]].label} is destroyed")
        waited = _domain_wait(world, closure, "restore")
        if waited.status == WAIT:
            return waited
        site = c.capacity_site(option.target or [])
        free = world.free_capacity(site)
        need = c.systems[i].footprint
        if free is not None and free < need:
            name = world.scenario.domain_index[c.dom_ids[site]].label
            return Assessment(NO, f"no free capacity at {name} ({free} left, {need} needed)")
        data = _data_copy(world, i, allow_empty=False)
        if data.status != READY:
            return data
        return Assessment(READY, copy=data.copy, slow=tooling.slow, site=site)
    # rebuild
    target = next((r for r in [st.active, *st.reps] if r in world.rep_destroyed), None)
    if target is None:
        return Assessment(NO, "nothing was destroyed: restart or restore instead")
    if option.target:
        closure = c.closure_of(option.target)
        site = c.capacity_site(option.target)
        free = world.free_capacity(site)
        need = c.systems[i].footprint
        if free is not None and free < need:
            name = world.scenario.domain_index[c.dom_ids[site]].label
            return Assessment(NO, f"no free capacity at {name} ({free} left, {need} needed)")
    else:
        closure = world.rep_closure(target)
        site = -1
    d = _destroyed_in(world, closure)
    if d >= 0:
        return Assessment(WAIT, f"the room must be made usable first ({world.scenario.domain_index[c.dom_ids[d]].label})", ("domain", d))
    waited = _domain_wait(world, closure, "rebuild")
    if waited.status == WAIT:
        return waited
    data = _data_copy(world, i, allow_empty=True)
    if data.status != READY:
        return data
    return Assessment(READY, data.reason, replica=target, copy=data.copy, slow=tooling.slow, site=site, empty=data.empty)


def _restart_target(world: "World", st: "SysState") -> int | None:
    if st.failed or st.collapsed:
        return st.active
    if world.c.mode[st.i] is RedundancyMode.active_active:
        down = [r for r in st.reps if not world.rep_up(r)]
        return down[0] if down else None
    if not world.rep_up(st.active):
        return st.active
    return None


class Task:
    """A piece of work in progress: a recovery step, a domain repair, a fallback."""

    def __init__(self, world: "World", kind: str, label: str, team: int, staff: int, priority: tuple, subject: str):
        self.world = world
        self.id = next(_TASK_IDS)
        self.kind = kind
        self.label = label
        self.team = team
        self.staff = staff
        self.priority = priority
        self.subject = subject
        self.state = "new"
        self.reason = ""
        self.queued_at = world.env.now
        self.started_at: float | None = None
        self.expected_end: float | None = None
        self.ended_at: float | None = None
        self.req: StaffRequest | None = None
        self.process: simpy.Process | None = None
        self.option: RecoveryOption | None = None
        self.system: int = -1
        world.tasks.append(self)

    @property
    def active(self) -> bool:
        """Not finished, failed or cancelled."""
        return self.state in ("new", "lead", "waiting", "queued", "running")

    def cancel(self, why: str = "cancelled") -> bool:
        """Cancel a task that has not started its hands-on work; return whether it was cancelled."""
        if self.state not in ("new", "lead", "waiting", "queued") or self.process is None:
            return False
        self.process.interrupt(why)
        return True

    def snapshot(self) -> dict[str, Any]:
        """A JSON-friendly view for displays."""
        team = self.world.teams[self.team].id if self.team >= 0 else None
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "subject": self.subject,
            "team": team,
            "staff": self.staff,
            "state": self.state,
            "reason": self.reason,
            "started_at": self.started_at,
            "expected_end": self.expected_end,
        }


def _priority(world: "World", i: int, rank: int) -> tuple:
    st = world.state(i)
    return (world.c.grade[i], rank, st.detected_at if st.detected_at is not None else world.env.now)


def _team_of(world: "World", i: int, option: RecoveryOption) -> int:
    return world.c.tidx[option.team] if option.team else world.c.team[i]


def _extra_hours(world: "World", i: int, a: Assessment) -> float:
    """Restore throughput: size / restore_rate when the data comes from a backup with a rate."""
    size = world.c.systems[i].data.size
    if a.copy is None or a.copy[0] != "backup" or size is None:
        return 0.0
    rate = world.c.backups[i][a.copy[2]].restore_rate
    return size / rate if rate else 0.0


def option_label(world: "World", i: int, option: RecoveryOption) -> str:
    """How an option reads: its label, or e.g. 'restore Government24 at Daegu'."""
    if option.label:
        return f"{option.label} ({world.label(i)})"
    where = ""
    if option.target:
        where = " at " + world.scenario.domain_index[option.target[0]].label
    return f"{option.kind.value} {world.label(i)}{where}"


def start_recovery(world: "World", i: int, option: RecoveryOption, by: str = "auto", assessed: Assessment | None = None) -> Task:
    """Start carrying out ``option`` for system ``i`` (the caller has assessed it)."""
    st = world.state(i)
    team = _team_of(world, i, option)
    task = Task(world, "recover", option_label(world, i, option), team, option.staff, _priority(world, i, 1), world.c.sys_ids[i])
    task.option = option
    task.system = i
    st.task = task
    world.log("task_queued", task.subject, f"{task.label}: planned ({by})", by=by, option=option.key)
    task.process = world.env.process(_run_recovery(world, task, i, option, assessed))
    return task


def _run_recovery(world: "World", task: Task, i: int, option: RecoveryOption, assessed: Assessment | None = None):
    env = world.env
    st = world.state(i)
    team = world.teams[task.team]
    sid = world.c.sys_ids[i]
    try:
        if option.kind is RecoveryKind.rebuild and option.lead_time > 0:
            task.state = "lead"
            task.reason = f"procurement, {option.lead_time:g}h"
            yield env.timeout(option.lead_time)
        while True:
            a = assessed if assessed is not None and task.state == "new" else assess(world, i, option)
            assessed = None
            if a.status == NO:
                _task_ends(world, task, "failed", a.reason)
                return
            if a.status == WAIT:
                task.state = "waiting"
                task.reason = a.reason
                yield world.wait_for(a.wait_key)  # type: ignore[arg-type]
                continue
            task.state = "queued"
            task.reason = f"waiting for {option.staff} staff of {team.spec.label}"
            task.req = team.request(option.staff, task.priority, task.label)
            yield task.req.event
            a = assess(world, i, option)
            if a.status != READY:
                team.release(task.req)
                task.req = None
                if a.status == NO:
                    _task_ends(world, task, "failed", a.reason)
                    return
                continue
            break
        claimed = _claim_capacity(world, i, a)
        hours = world.draw(option.duration, "recovery", sid, option.key) * a.slow + _extra_hours(world, i, a)
        task.state = "running"
        task.reason = ""
        task.started_at = env.now
        task.expected_end = env.now + hours
        task.req.expected_end = task.expected_end
        world.log("task_started", sid, f"{task.label}: started ({option.staff} staff, about {hours:.1f}h)", hours=hours)
        world.refresh_status(i)
        yield env.timeout(hours)
        team.release(task.req)
        task.req = None
        ok = world.chance(option.success, "recovery-outcome", sid, option.key)
        if not ok:
            _release_capacity(world, i, claimed)
            st.attempts[option.key] = st.attempts.get(option.key, 0) + 1
            _task_ends(world, task, "failed", "the attempt did not work")
            return
        _apply(world, st, option, a)
        _task_ends(world, task, "done", "")
    except simpy.Interrupt as stop:
        if task.req is not None:
            if task.req.granted:
                team.release(task.req)
            else:
                team.cancel(task.req)
            task.req = None
        _task_ends(world, task, "cancelled", str(stop.cause))


def _claim_capacity(world: "World", i: int, a: Assessment) -> int:
    """Take the system's footprint from the target site's free capacity when the work starts."""
    if a.site < 0:
        return -1
    free = world.free_capacity(a.site)
    if free is None:
        return -1
    world.dom_free[a.site] = free - world.c.systems[i].footprint
    return a.site


def _release_capacity(world: "World", i: int, site: int) -> None:
    """Give the capacity back after a failed attempt."""
    if site >= 0:
        free = world.free_capacity(site)
        world.dom_free[site] = (free or 0) + world.c.systems[i].footprint
        if world.policy is not None:
            world.policy.on_conditions_changed()


def _task_ends(world: "World", task: Task, state: str, reason: str) -> None:
    task.state = state
    task.reason = reason
    task.ended_at = world.env.now
    i = task.system
    st = world.sys.get(i)
    if st is not None and st.task is task:
        st.task = None
    kind = {"done": "task_done", "failed": "task_failed", "cancelled": "task_cancelled"}[state]
    text = f"{task.label}: {'done' if state == 'done' else state}" + (f" ({reason})" if reason else "")
    world.log(kind, task.subject, text, reason=reason)
    if st is not None:
        world.refresh_status(i)
    if world.policy is not None and state != "cancelled":
        world.policy.on_task_ended(task)


def _apply(world: "World", st: "SysState", option: RecoveryOption, a: Assessment) -> None:
    i = st.i
    c = world.c
    kind = option.kind
    if kind is RecoveryKind.failover:
        world.switch_to(st, a.replica)  # type: ignore[arg-type]
        return
    if kind is RecoveryKind.restart:
        r = a.replica
        if r is not None:
            world.rep_stopped.discard(r)
        st.failed = 0
        st.collapsed = False
        world.mark(i)
        world.propagate()
        return
    # restore / rebuild: book the data, then bring up a replica.
    if a.empty:
        if not st.data_lost:
            st.data_lost = True
            world.log("data_lost", c.sys_ids[i], f"{world.label(i)} was rebuilt without its data: lost for good")
    elif a.copy is not None:
        world.book_data_loss(st, a.copy[1])
    if kind is RecoveryKind.rebuild and not option.target:
        r = a.replica
        world.rep_destroyed.discard(r)  # type: ignore[arg-type]
        world.rep_stopped.discard(r)  # type: ignore[arg-type]
        st.failed = 0
        st.collapsed = False
        world.mark(i)
        world.propagate()
        return
    old = a.replica if a.replica is not None else st.active
    capacity = world.rep_capacity(old)
    where = option.target or []
    new = world.new_replica(st, where, capacity, f"{option.key}@{where[0] if where else 'site'}")
    if old in st.reps:
        st.reps[st.reps.index(old)] = new
    else:
        st.reps.append(new)
    if st.active == old or c.mode[i] is not RedundancyMode.active_active:
        st.active = new
    st.failed = 0
    st.collapsed = False
    world.mark(i)
    world.propagate()


# ------------------------------------------------------------------------------------------
# Domain repairs
# ------------------------------------------------------------------------------------------
def start_domain_repair(world: "World", d: int, by: str = "auto") -> Task | None:
    """Send the domain's repair crew (its ``repair`` spec) to bring a failed domain back."""
    name = world.c.dom_ids[d]
    spec = world.scenario.domain_index[name].repair
    if spec is None or d in world.dom_task and world.dom_task[d].active:
        return None
    label = f"repair {world.scenario.domain_index[name].label}"
    task = Task(world, "repair", label, world.c.tidx[spec.team], spec.staff, (0, 0, world.env.now), name)
    world.dom_task[d] = task
    world.log("task_queued", name, f"{label}: planned ({by})", by=by)
    task.process = world.env.process(_run_domain_repair(world, task, d, spec))
    return task


def _run_domain_repair(world: "World", task: Task, d: int, spec: Any):
    env = world.env
    team = world.teams[task.team]
    try:
        task.state = "queued"
        task.req = team.request(task.staff, task.priority, task.label)
        yield task.req.event
        hours = world.draw(spec.duration, "repair", world.c.dom_ids[d])
        task.state = "running"
        task.started_at = env.now
        task.expected_end = env.now + hours
        task.req.expected_end = task.expected_end
        world.log("task_started", task.subject, f"{task.label}: started ({task.staff} staff, about {hours:.1f}h)")
        yield env.timeout(hours)
        team.release(task.req)
        task.req = None
        task.state = "done"
        task.ended_at = env.now
        world.log("task_done", task.subject, f"{task.label}: done")
        world.domain_restore(d, ("inject",))
    except simpy.Interrupt as stop:
        if task.req is not None:
            team.release(task.req) if task.req.granted else team.cancel(task.req)
        task.state = "cancelled"
        task.reason = str(stop.cause)


# ------------------------------------------------------------------------------------------
# Manual fallbacks
# ------------------------------------------------------------------------------------------
def start_fallback(world: "World", i: int, by: str = "auto") -> Task | None:
    """Switch system ``i`` to its manual fallback (after the activation delay, with its staff)."""
    st = world.state(i)
    spec = world.c.systems[i].fallback
    if spec is None or st.fallback_on or st.fallback_task is not None or st.serving:
        return None
    team = world.c.tidx[spec.team] if spec.team else -1
    label = f"fallback for {world.label(i)}" + (f": {spec.label}" if spec.label else "")
    task = Task(world, "fallback", label, team, spec.staff, _priority(world, i, 2), world.c.sys_ids[i])
    task.system = i
    st.fallback_task = task
    world.log("task_queued", task.subject, f"{label}: activating ({by})", by=by)
    task.process = world.env.process(_run_fallback(world, task, st, spec))
    return task


def _run_fallback(world: "World", task: Task, st: "SysState", spec: Any):
    env = world.env
    team = world.teams[task.team] if task.team >= 0 else None
    i = st.i
    try:
        task.state = "lead"
        task.reason = f"activation, {spec.activation:g}h"
        yield env.timeout(spec.activation)
        if team is not None and spec.staff > 0:
            task.state = "queued"
            task.req = team.request(spec.staff, task.priority, task.label)
            yield task.req.event
        if st.serving:
            raise simpy.Interrupt("no longer needed")
        world.account(st)
        st.fallback_on = True
        task.state = "running"
        task.started_at = env.now
        world.log("fallback_on", world.c.sys_ids[i], f"{world.label(i)}: manual fallback running ({spec.label or 'manual processing'}, {spec.share:.0%} of demand)")
        world.refresh_status(i)
    except simpy.Interrupt as stop:
        if task.req is not None:
            if task.req.granted and team is not None:
                team.release(task.req)
            elif team is not None:
                team.cancel(task.req)
            task.req = None
        task.state = "cancelled"
        task.reason = str(stop.cause)
        task.ended_at = env.now
        if st.fallback_task is task:
            st.fallback_task = None


def end_fallback(world: "World", st: "SysState") -> None:
    """The system serves again: stand the fallback down and work off the re-entry backlog."""
    task = st.fallback_task
    if not st.fallback_on:
        if task is not None and task.state in ("lead", "queued"):
            task.cancel("the system is back")
        return
    spec = world.c.systems[st.i].fallback
    st.fallback_on = False
    st.fallback_task = None
    backlog = st.episode_fb * spec.reentry  # staff-hours of re-entry work  # type: ignore[union-attr]
    hours = backlog / spec.staff if spec.staff else 0.0  # type: ignore[union-attr]
    st.reentry_hours += hours
    i = st.i
    world.log(
        "fallback_off",
        world.c.sys_ids[i],
        f"{world.label(i)}: back online; {st.episode_fb:,.0f} {world.c.systems[i].demand.unit} handled by hand await re-entry (about {hours:.1f}h)",
        reentry_hours=hours,
    )
    if task is not None:
        task.state = "reentry" if hours > 0 else "done"
        if task.req is not None and task.req.granted:
            req = task.req
            team = world.teams[task.team]

            def _done() -> None:
                team.release(req)
                task.state = "done"
                task.ended_at = world.env.now

            task.expected_end = world.env.now + hours
            req.expected_end = task.expected_end
            world.schedule(hours, _done)
        else:
            task.ended_at = world.env.now

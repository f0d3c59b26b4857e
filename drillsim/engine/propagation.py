"""How failures spread: re-evaluating systems whose replicas or dependencies changed.

Every change is event-driven (no time steps, no sweeps over the model): a change marks the
systems it touches, and :meth:`Propagation.propagate` re-evaluates them until nothing changes;
only systems whose serving state changes pass the change on to their dependents, so the cost of
a run follows the affected systems, not the size of the model.

Semantics (see also docs/semantics.md):

- A system's own capacity follows its redundancy mode (:mod:`.redundancy`).
- Dependencies multiply capacity: a hard dependency (or an any_of group with every alternative
  down) by 0, a soft one by its factor, while the dependency is not serving. A dependency with
  ``restart_if_down`` that comes back after being down at least that long leaves the system with
  a failure of its own (it must be restarted: re-synchronisation, checks).
- Served share = min(1, capacity x headroom / surge); the system serves iff the share reaches
  its threshold. Demand beyond ``collapse_at`` times capacity makes it collapse until restarted.
- What follows a change of serving state or of a problem of its own (detection, escalation, the
  all-clear) is up to :class:`IncidentRules` (:mod:`.detection`).
"""

from __future__ import annotations

from collections import deque
from typing import Protocol

import simpy

from .accounting import Books
from .clock import Waiters, schedule
from .compiled import CompiledModel
from .events import Journal
from .infra import Infrastructure
from .kinds import EventKind, TaskState
from .state import SysState, SystemTable
from .status import Status

__all__ = ["Propagation", "IncidentRules", "EPS"]

EPS = 1e-9

_RUNNING = TaskState.running
_UP, _DEGRADED, _RECOVERING, _FALLBACK, _DOWN = Status.up, Status.degraded, Status.recovering, Status.fallback, Status.down

_KIND = {Status.up: EventKind.system_up, Status.degraded: EventKind.system_degraded}


class IncidentRules(Protocol):
    """What happens when a system's serving state or own problem changes (:class:`~drillsim.engine.detection.Detection`)."""

    def schedule_detection(self, st: SysState) -> None:
        """A problem appeared on an unwatched system: the alert comes after its detection delay."""
        ...

    def escalated(self, st: SysState) -> None:
        """A watched system got worse: act on it at once."""
        ...

    def all_clear(self, st: SysState, was_serving: bool) -> None:
        """The system serves at full own capacity again: close its incident."""
        ...

    def serving_again(self, st: SysState) -> None:
        """The system serves again (perhaps still with a problem of its own)."""
        ...


class Propagation:
    """Re-evaluation of systems: capacity, served share, serving state and displayed status."""

    def __init__(self, compiled: CompiledModel, env: simpy.Environment, table: SystemTable, infra: Infrastructure,
                 books: Books, journal: Journal, waiters: Waiters):
        self.c = compiled
        self.env = env
        self.table = table
        self.sys = table.sys
        self.infra = infra
        self.books = books
        self.journal = journal
        self.waiters = waiters
        self.rules: IncidentRules = _NO_RULES
        """Set by the world once its detection rules exist."""
        self._dirty: deque[int] = deque()
        self._dirty_set: set[int] = set()

    def mark(self, i: int) -> None:
        """Queue system ``i`` for re-evaluation."""
        if i not in self._dirty_set:
            self._dirty_set.add(i)
            self._dirty.append(i)

    def propagate(self) -> None:
        """Re-evaluate queued systems until nothing changes; dependents follow serving changes."""
        dirty = self._dirty
        if not dirty:
            return
        dirty_set = self._dirty_set
        dependents = self.c.dependents
        refresh = self._refresh
        notify = self.waiters.notify
        guard = 0
        while dirty:
            i = dirty.popleft()
            dirty_set.discard(i)
            guard += 1
            if guard > 50 * (len(self.sys) + 10):
                raise RuntimeError("failure propagation does not settle (a soft-dependency loop oscillates)")
            if refresh(i):
                for j in dependents[i]:
                    if j not in dirty_set:
                        dirty_set.add(j)
                        dirty.append(j)
                notify(("system", i))

    def _refresh(self, i: int) -> bool:
        """Recompute system ``i``; return True when whether it serves has changed."""
        sys_map = self.sys
        st = sys_map.get(i)
        if st is None:
            st = self.table.state(i)
        c = self.c
        infra = self.infra
        own = c.redundancy[i].own_capacity(infra, st)
        factor = 1.0
        blocked = False
        for hard, soft_factor, targets in c.deps[i]:
            if len(targets) == 1:
                dep = sys_map.get(targets[0])
                ok = dep is None or dep.serving
            else:
                ok = False
                for t in targets:
                    dep = sys_map.get(t)
                    if dep is None or dep.serving:
                        ok = True
                        break
            if not ok:
                if hard:
                    factor = 0.0
                    blocked = True
                else:
                    factor *= soft_factor
        if c.resync[i]:
            self._resync(st, i)
        cap = own * factor
        if st.failed or st.collapsed or st.suspended:
            cap = 0.0
        share = 0.0
        now = self.env._now
        if cap > 0.0:
            headroom = c.headroom[i]
            ratio = st.surge / (cap * headroom)
            collapse_at = c.collapse_at[i]
            # Overload is about the servers: demand against the replicas' own capacity (a soft
            # dependency being down degrades what is served, it does not overload the servers).
            if collapse_at is not None and st.surge / (own * headroom) >= collapse_at and not st.collapsed:
                st.collapsed = True
                cap = 0.0
                self.journal.log(EventKind.collapse, c.sys_ids[i], f"{c.sys_label[i]} collapses under {st.surge:g}x demand", visible=True)
                if st.fail_time is None:
                    st.fail_time = now
            else:
                share = 1.0 if ratio <= 1.0 else 1.0 / ratio
        serving = share >= c.threshold[i] - EPS
        own_short = own < 1.0 - EPS
        own_problem = bool(st.failed or st.collapsed or own_short)
        if own_short and st.fail_time is None and not infra.rep_up(st.active):
            st.fail_time = now
        was_serving = st.serving
        was_problem = st.problem
        was_blocked = st.dep_blocked
        if abs(share - st.share) > EPS or serving != was_serving or blocked != was_blocked or own_problem != was_problem:
            self.books.account(st, now)
        if (blocked and not own_problem) != (was_blocked and not was_problem):
            st.links.append((now, blocked and not own_problem))
        st.own_cap = own
        st.dep_factor = factor
        st.dep_blocked = blocked
        if (cap > 0.0) != (st.cap > 0.0):
            self.waiters.notify(("capacity", i))  # the per-request servers (queueing.py) stop or resume
        st.cap = cap
        st.share = share
        st.serving = serving
        st.problem = own_problem
        if serving != was_serving:
            if not serving:
                st.down_since = now
                st.episode_fb = 0.0
            else:
                if st.down_since is not None:
                    st.episodes.append((st.down_since, now))
                st.down_since = None
        # update_status, inlined (the fields it reads were just set)
        if serving:
            status = _UP if share >= 1.0 - EPS and own >= 1.0 - EPS and not own_problem else _DEGRADED
        else:
            task = st.task
            if task is not None and task.state is _RUNNING:
                status = _RECOVERING
            elif st.fallback_on:
                status = _FALLBACK
            else:
                status = _DOWN
        if status is not st.status:
            self._status_changed(st, status)
        rules = self.rules
        if (not serving or own_problem) and not st.detected and (serving != was_serving or own_problem != was_problem):
            rules.schedule_detection(st)
        if st.detected and ((not serving and was_serving) or (own_problem and not was_problem)):
            schedule(self.env, 0.0, rules.escalated, st)  # already watched: act on the worse state at once
        if serving and not own_problem:
            rules.all_clear(st, was_serving)
        elif serving and not was_serving:
            rules.serving_again(st)
        return serving != was_serving

    def _resync(self, st: SysState, i: int) -> None:
        """Dependencies with ``restart_if_down``: note when each goes down; back after at least that long, the system must restart."""
        since = st.dep_down
        if since is None:
            since = st.dep_down = {}
        c = self.c
        now = self.env.now
        sys_map = self.sys
        for k, hours in c.resync[i]:
            targets = c.deps[i][k][2]
            ok = any(sys_map.get(t) is None or sys_map[t].serving for t in targets)  # an any_of group: one alternative is enough
            if not ok:
                since.setdefault(k, now)
                continue
            start = since.pop(k, None)
            if start is not None and now - start >= hours - EPS:
                st.failed += 1
                if st.fail_time is None:
                    st.fail_time = now
                names = ", ".join(c.sys_label[t] for t in targets)
                self.journal.log(EventKind.message, c.sys_ids[i], f"{c.sys_label[i]} must be restarted: {names} was down {now - start:.1f}h", visible=st.detected)

    def update_status(self, st: SysState) -> None:
        """Re-derive the displayed status from the serving state, the task under way and the fallback."""
        if st.serving:
            status = Status.up if st.share >= 1.0 - EPS and st.own_cap >= 1.0 - EPS and not st.problem else Status.degraded
        elif st.task is not None and st.task.state is _RUNNING:
            status = Status.recovering
        elif st.fallback_on:
            status = Status.fallback
        else:
            status = Status.down
        if status is not st.status:
            self._status_changed(st, status)

    def _status_changed(self, st: SysState, status: Status) -> None:
        """The displayed status changes: its timeline, and the journal entry when the journal is kept."""
        st.status = status
        value = status._value_
        st.timeline.append((self.env._now, value, st.share))
        journal = self.journal
        if not journal.record:
            return  # status changes are journal entries only when the journal is kept
        if status is Status.recovering or status is Status.fallback:
            return  # task and fallback events say it already
        # Seen by the team when the system is watched, or when it serves with no problem of its own
        # after an incident the team saw (the same rule as Simulation.visible_status).
        seen = st.detected or (st.serving and not st.problem and st.detected_at is not None)
        why = ""
        if status is Status.down:
            why = " (through its dependencies)" if st.dep_blocked and st.own_cap > 0 and not st.failed and not st.collapsed else ""
        c = self.c
        kind = _KIND.get(status, EventKind.system_down)
        journal.log(kind, c.sys_ids[st.i], f"{c.sys_label[st.i]} is {value}{why}", visible=seen)

    def refresh_status(self, i: int) -> None:
        """Re-derive the displayed status (after a task starts or a fallback switches)."""
        st = self.sys.get(i)
        if st is not None:
            self.update_status(st)


class _NoRules:
    """Placeholder until the world's detection rules are attached."""

    def schedule_detection(self, st: SysState) -> None:
        raise RuntimeError("no incident rules attached")

    def escalated(self, st: SysState) -> None:
        raise RuntimeError("no incident rules attached")

    def all_clear(self, st: SysState, was_serving: bool) -> None:
        raise RuntimeError("no incident rules attached")

    def serving_again(self, st: SysState) -> None:
        raise RuntimeError("no incident rules attached")


_NO_RULES = _NoRules()

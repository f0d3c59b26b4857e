"""The simulated world: domains, replicas and systems, and how failures spread between them.

State is kept only for what a run touches: a system gets a :class:`SysState` the first time
anything happens to it, and untouched systems are implicitly up and fully served. Every change
is event-driven (no time steps, no sweeps over the model), so the cost of a run follows the
affected systems and their dependents, not the size of the model.

Semantics (see also docs/semantics.md):

- A replica is up iff every domain in its placement (and their ancestors) is up, it was not
  destroyed, and it has no failure of its own.
- A system's own capacity follows its redundancy mode: active-active sums the capacities of its
  up replicas (at most 1); the other modes use the active replica only.
- Dependencies multiply capacity: a hard dependency (or an any_of group with every alternative
  down) by 0, a soft one by its factor, while the dependency is not serving.
- Served share = min(1, capacity x headroom / surge); the system serves iff the share reaches
  its threshold. Demand beyond ``collapse_at`` times capacity makes it collapse until restarted.
- Demand is fluid: served, unserved and fallback-served demand between two changes are computed
  from the cumulative demand curve (two lookups).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any, Callable

import simpy

from ..model.distributions import Fixed
from ..model.systems import RedundancyMode
from .compiled import CompiledModel
from .data import DataMixin
from .detection import DetectionMixin
from .events import Event
from .rng import Streams
from .status import Status
from .teams import TeamState

if TYPE_CHECKING:  # pragma: no cover
    from .policy import Policy
    from .recovery import Task

__all__ = ["World", "SysState"]

EPS = 1e-9


class SysState:
    """Run-time state of one touched system."""

    __slots__ = (
        "i", "reps", "active", "failed", "collapsed", "own_cap", "dep_factor", "dep_blocked", "cap", "share",
        "serving", "status", "surge", "last_t", "demand", "unserved", "fb_served", "down_since", "episodes",
        "problem", "detected", "detect_token", "detected_at", "task", "fallback_on", "fallback_task",
        "episode_fb", "data_loss", "data_lost", "fail_time", "reentry_hours", "timeline", "cause_domain",
        "suspended", "switchover_pending", "switchover_tried", "switchover_token", "attempts", "stuck", "links",
    )

    def __init__(self, i: int, world: "World"):
        c = world.c
        self.i = i
        self.reps: list[int] = list(c.sys_reps[i])
        self.active = c.sys_active0[i]
        self.failed = 0  # count of own failures (injected or background)
        self.collapsed = False
        self.suspended = False  # taken offline on purpose: not serving, but nothing to recover
        self.own_cap = 1.0
        self.dep_factor = 1.0
        self.dep_blocked = False
        self.cap = 1.0
        self.share = 1.0
        self.serving = True
        self.status = Status.up
        self.surge = 1.0
        now = world.env.now
        self.last_t = now
        self.demand = c.per_day[i] * c.curves[c.curve[i]].at(now)  # demand so far, all served
        self.unserved = 0.0
        self.fb_served = 0.0
        self.down_since: float | None = None
        self.episodes: list[tuple[float, float]] = []
        self.problem = False
        self.detected = False
        self.detect_token = 0
        self.detected_at: float | None = None
        self.task: "Task | None" = None
        self.fallback_on = False
        self.fallback_task: "Task | None" = None
        self.episode_fb = 0.0
        self.data_loss: float | None = None
        self.data_lost = False
        self.fail_time: float | None = None
        self.reentry_hours = 0.0
        self.timeline: list[tuple[float, str, float]] = []
        self.cause_domain = -1
        self.switchover_pending = False
        self.switchover_tried = False
        self.switchover_token = 0  # identifies the switchover under way (a stale one from an earlier failure is ignored)
        self.attempts: dict[str, int] = {}
        self.stuck = False
        self.links: list[tuple[float, bool]] = []  # (t, held down only by its dependencies) at each change


class World(DetectionMixin, DataMixin):
    """All run-time state of one simulation run, and the rules that change it.

    Detection and switchover rules live in :mod:`.detection`, data copies and data loss in
    :mod:`.data`; this class holds the state and the failure-propagation rules.
    """

    def __init__(self, compiled: CompiledModel, seed: int, record_events: bool = True):
        self.c = compiled
        self.scenario = compiled.scenario
        self.env = simpy.Environment()
        self.streams = Streams(seed)
        self.seed = seed
        self.record = record_events
        self.events: list[Event] = []
        self.n_logged = 0  # events logged so far, recorded or not (for stepping)
        self.n_visible = 0  # of which the drill team could see
        self.policy: "Policy | None" = None
        self.sys: dict[int, SysState] = {}
        # Domains: causes of being down (inject, destroy, background, ...), destroyed now / ever.
        self.dom_causes: dict[int, set[str]] = {}
        self.dom_destroyed: set[int] = set()
        self.dom_destroyed_ever: set[int] = set()
        self.dom_known_at: dict[int, float] = {}
        self.dom_free: dict[int, int | None] = {}
        self.dom_task: dict[int, "Task"] = {}
        self.dom_timed: set[int] = set()
        # Replicas: blocking-domain counts, destroyed, own failures; replicas added during the run.
        self.rep_block: dict[int, int] = {}
        self.rep_destroyed: set[int] = set()
        self.rep_stopped: set[int] = set()
        self.rep_failed: dict[int, int] = {}
        self.x_rep_sys: dict[int, int] = {}
        self.x_rep_closure: dict[int, tuple[int, ...]] = {}
        self.x_rep_capacity: dict[int, float] = {}
        self.x_rep_name: dict[int, str] = {}
        self.x_reps_under: dict[int, list[int]] = {}
        self._next_rep = len(compiled.rep_sys)
        # Teams.
        start_local = self.scenario.start.astimezone(self.scenario.zone)
        offset = start_local.weekday() * 24 + start_local.hour + start_local.minute / 60 + start_local.second / 3600
        self.teams: list[TeamState] = [TeamState(self, t, offset) for t in compiled.teams]
        # Waiting tasks: key -> events to fire when the condition may have changed.
        self.waiters: dict[tuple, list[simpy.Event]] = {}
        self.tasks: list["Task"] = []
        self.preferred: dict[int, str] = {}
        self.stuck: set[int] = set()
        self.decisions_open: dict[str, float] = {}
        self.decisions_made: list[dict[str, Any]] = []
        self.backup_phase: dict[tuple[int, int], float] = {}
        self._dirty: deque[int] = deque()
        self._dirty_set: set[int] = set()
        self.queues: dict[int, Any] = {}  # per-request simulations by system (queueing.py)

    # ---------------------------------------------------------------------------------
    # Utilities
    # ---------------------------------------------------------------------------------
    def log(self, kind: str, subject: str, text: str, visible: bool = True, **data: Any) -> None:
        """Append an event to the journal (when events are recorded); count it in any case."""
        self.n_logged += 1
        if visible:
            self.n_visible += 1
        if self.record:
            self.events.append(Event(self.env.now, kind, subject, text, visible, data))

    def schedule(self, delay: float, fn: Callable[..., Any], *args: Any) -> simpy.Event:
        """Call ``fn(*args)`` after ``delay`` hours (a bare timeout with a callback: cheaper than a process)."""
        event = self.env.timeout(max(0.0, delay))
        event.callbacks.append(lambda _e: fn(*args))
        return event

    def rng(self, *names: str):
        """The named random stream (see :mod:`drillsim.engine.rng`)."""
        return self.streams.get(*names)

    def draw(self, dist: Any, *names: str) -> float:
        """A sample of ``dist`` from the named stream (a fixed duration needs no stream)."""
        if isinstance(dist, Fixed):
            return dist.value
        return dist.sample(self.streams.get(*names))

    def chance(self, p: float, *names: str) -> bool:
        """True with probability ``p``, drawn from the named stream (certain outcomes draw nothing)."""
        if p >= 1.0:
            return True
        if p <= 0.0:
            return False
        return bool(self.streams.get(*names).random() < p)

    def state(self, i: int) -> SysState:
        """The state of system ``i``, created (as fully up) on first touch."""
        st = self.sys.get(i)
        if st is None:
            st = SysState(i, self)
            self.sys[i] = st
        return st

    def label(self, i: int) -> str:
        """Display name of system ``i``."""
        return self.c.systems[i].label

    # Replica accessors (compiled replicas plus those created during the run).
    def rep_sys(self, r: int) -> int:
        return self.c.rep_sys[r] if r < len(self.c.rep_sys) else self.x_rep_sys[r]

    def rep_closure(self, r: int) -> tuple[int, ...]:
        return self.c.rep_closure[r] if r < len(self.c.rep_closure) else self.x_rep_closure[r]

    def rep_capacity(self, r: int) -> float:
        return self.c.rep_capacity[r] if r < len(self.c.rep_capacity) else self.x_rep_capacity[r]

    def rep_name(self, r: int) -> str:
        return self.c.rep_name[r] if r < len(self.c.rep_name) else self.x_rep_name[r]

    def rep_up(self, r: int) -> bool:
        """Whether replica ``r`` can serve: its domains up, not destroyed, no failure of its own."""
        return not self.rep_block.get(r) and r not in self.rep_destroyed and r not in self.rep_stopped and not self.rep_failed.get(r)

    def closure_up(self, closure: tuple[int, ...]) -> bool:
        causes = self.dom_causes
        return not any(causes.get(d) for d in closure)

    def closure_lost(self, closure: tuple[int, ...]) -> bool:
        """Whether anything stored in these domains was destroyed."""
        ever = self.dom_destroyed_ever
        if not ever:
            return False
        for d in closure:
            if d in ever:
                return True
        return False

    def free_capacity(self, d: int) -> int | None:
        """Free capacity left at domain ``d`` (None: unlimited)."""
        if d < 0:
            return None
        if d in self.dom_free:
            return self.dom_free[d]
        return self.c.dom_free_capacity[d]

    def serving(self, i: int) -> bool:
        """Whether system ``i`` serves now (untouched systems do)."""
        st = self.sys.get(i)
        return True if st is None else st.serving

    # ---------------------------------------------------------------------------------
    # Waiting on conditions
    # ---------------------------------------------------------------------------------
    def wait_for(self, key: tuple) -> simpy.Event:
        """An event fired the next time the condition ``key`` may have changed."""
        event = self.env.event()
        self.waiters.setdefault(key, []).append(event)
        return event

    def notify(self, key: tuple) -> None:
        """Wake everything waiting on ``key``."""
        events = self.waiters.pop(key, None)
        if events:
            for event in events:
                if not event.triggered:
                    event.succeed()

    # ---------------------------------------------------------------------------------
    # Domains
    # ---------------------------------------------------------------------------------
    def _reps_under(self, d: int) -> list[int] | tuple[int, ...]:
        extra = self.x_reps_under.get(d)
        base = self.c.reps_under[d]
        return (*base, *extra) if extra else base

    def domain_fail(self, d: int, cause: str, stop: bool = False) -> None:
        """Add a cause of failure to domain ``d``; on the first, its replicas go down.

        With ``stop`` (an injected power cut, a fire), the replicas in it stay stopped after the
        domain is back, until staff restart them.
        """
        causes = self.dom_causes.setdefault(d, set())
        was_up = not causes
        causes.add(cause)
        if stop:
            for r in self._reps_under(d):
                if r not in self.rep_stopped:
                    self.rep_stopped.add(r)
                    self.mark(self.rep_sys(r))
        if not was_up:
            self.propagate()
            return
        now = self.env.now
        self.dom_known_at[d] = now + self.c.dom_detection[d]
        name = self.c.dom_ids[d]
        self.log("domain_down", name, f"{self.scenario.domain_index[name].label} is down", visible=self.c.dom_detection[d] == 0)
        if self.c.dom_detection[d] > 0:
            self.schedule(self.c.dom_detection[d], self._domain_detected, d)
        else:
            self._domain_detected(d)
        block = self.rep_block
        for r in self._reps_under(d):
            count = block.get(r, 0) + 1
            block[r] = count
            if count == 1:
                i = self.rep_sys(r)
                st = self.state(i)
                if st.cause_domain < 0:
                    st.cause_domain = d
                self.mark(i)
        self.propagate()

    def _domain_detected(self, d: int) -> None:
        if self.dom_causes.get(d):
            name = self.c.dom_ids[d]
            if self.c.dom_detection[d] > 0:
                self.log("detected", name, f"Operators notice that {self.scenario.domain_index[name].label} is down")
            if self.policy is not None:
                self.policy.on_domain_detected(d)

    def domain_destroy(self, d: int) -> None:
        """Destroy domain ``d``: everything placed in it (or below it) loses its hardware and stored data."""
        name = self.c.dom_ids[d]
        self.dom_destroyed.add(d)
        self.dom_destroyed_ever.add(d)
        self.log("domain_destroyed", name, f"{self.scenario.domain_index[name].label} is destroyed")
        for r in self._reps_under(d):
            if r not in self.rep_destroyed:
                self.rep_destroyed.add(r)
                i = self.rep_sys(r)
                self.state(i)
                self.mark(i)
        self.domain_fail(d, "destroyed")
        self.propagate()
        for r in self._reps_under(d):
            i = self.rep_sys(r)
            st = self.sys[i]
            if not st.data_lost and self.c.has_data[i] and self.best_copy(i, exclude_active=False, available_only=False) is None:
                st.data_lost = True
                self.log("data_lost", self.c.sys_ids[i], f"Every copy of {self.label(i)}'s data was in {name}: the data is gone for good", visible=False)

    def domain_restore(self, d: int, causes: tuple[str, ...] | None = None) -> None:
        """Remove causes of failure from domain ``d`` (all by default); replicas come back when none remain.

        A destroyed domain comes back as an empty, usable facility: replicas that were in it stay
        destroyed until rebuilt.
        """
        current = self.dom_causes.get(d)
        if not current:
            return
        if causes is None:
            current.clear()
        else:
            current.difference_update(causes)
        if current:
            return
        self.dom_destroyed.discard(d)
        name = self.c.dom_ids[d]
        self.log("domain_up", name, f"{self.scenario.domain_index[name].label} is back in service")
        block = self.rep_block
        for r in self._reps_under(d):
            count = block.get(r, 0) - 1
            if count <= 0:
                block.pop(r, None)
                self.mark(self.rep_sys(r))
            else:
                block[r] = count
        self.propagate()
        # Work waits on the first domain of its closure that is down in itself (recovery.py's
        # _domain_wait): only waiters on d itself can go on now.
        self.notify(("domain", d))
        if self.policy is not None:
            self.policy.on_domain_restored(d)

    # ---------------------------------------------------------------------------------
    # Replica and system failures of their own
    # ---------------------------------------------------------------------------------
    def replica_fail(self, r: int) -> None:
        """A background failure of one replica."""
        self.rep_failed[r] = self.rep_failed.get(r, 0) + 1
        if self.rep_failed[r] == 1:
            self.mark(self.rep_sys(r))
            self.propagate()

    def replica_repair(self, r: int) -> None:
        """The end of a background failure of one replica."""
        count = self.rep_failed.get(r, 0) - 1
        if count <= 0:
            self.rep_failed.pop(r, None)
            self.mark(self.rep_sys(r))
            self.propagate()
            self.notify(("replica", r))
        else:
            self.rep_failed[r] = count

    def system_fail(self, i: int) -> None:
        """A failure of the system itself (software fault, attack): it stays down until restarted or restored."""
        st = self.state(i)
        st.failed += 1
        if st.fail_time is None:
            st.fail_time = self.env.now
        self.mark(i)
        self.propagate()

    def system_unfail(self, i: int, everything: bool = True) -> None:
        """Clear the system's own failure(s) and any collapse."""
        st = self.state(i)
        st.failed = 0 if everything else max(0, st.failed - 1)
        st.collapsed = False
        self.mark(i)
        self.propagate()

    def system_suspend(self, i: int, suspended: bool) -> None:
        """Take a system offline on purpose (or put it back): it does not serve, and nobody recovers it."""
        st = self.state(i)
        if st.suspended == suspended:
            return
        st.suspended = suspended
        self.mark(i)
        self.propagate()

    def set_surge(self, i: int, factor: float) -> None:
        """Multiply the demand of system ``i`` by ``factor`` (divide to end a surge)."""
        st = self.state(i)
        self.account(st)
        st.surge *= factor
        if abs(st.surge - 1.0) < 1e-12:
            st.surge = 1.0
        self.mark(i)
        self.propagate()
        self.notify(("surge", i))  # per-request arrivals (queueing.py) follow the surge

    # ---------------------------------------------------------------------------------
    # Propagation
    # ---------------------------------------------------------------------------------
    def mark(self, i: int) -> None:
        """Queue system ``i`` for re-evaluation."""
        if i not in self._dirty_set:
            self._dirty_set.add(i)
            self._dirty.append(i)

    def propagate(self) -> None:
        """Re-evaluate queued systems until nothing changes; dependents follow serving changes."""
        dirty = self._dirty
        dirty_set = self._dirty_set
        guard = 0
        while dirty:
            i = dirty.popleft()
            dirty_set.discard(i)
            guard += 1
            if guard > 50 * (len(self.sys) + 10):
                raise RuntimeError("failure propagation does not settle (a soft-dependency loop oscillates)")
            if self._refresh(i):
                for j in self.c.dependents[i]:
                    if j not in dirty_set:
                        dirty_set.add(j)
                        dirty.append(j)
                self.notify(("system", i))

    def own_capacity(self, st: SysState) -> float:
        """Capacity from the system's replicas alone (0..1)."""
        if self.c.mode[st.i] is RedundancyMode.active_active:
            total = 0.0
            for r in st.reps:
                if self.rep_up(r):
                    total += self.rep_capacity(r)
            return min(1.0, total)
        r = st.active
        return self.rep_capacity(r) if self.rep_up(r) else 0.0

    def _refresh(self, i: int) -> bool:
        """Recompute system ``i``; return True when whether it serves has changed."""
        st = self.state(i)
        c = self.c
        own = self.own_capacity(st)
        factor = 1.0
        blocked = False
        sys_map = self.sys
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
        cap = own * factor
        if st.failed or st.collapsed or st.suspended:
            cap = 0.0
        share = 0.0
        if cap > 0.0:
            ratio = st.surge / (cap * c.headroom[i])
            collapse_at = c.collapse_at[i]
            # Overload is about the servers: demand against the replicas' own capacity (a soft
            # dependency being down degrades what is served, it does not overload the servers).
            if collapse_at is not None and st.surge / (own * c.headroom[i]) >= collapse_at and not st.collapsed:
                st.collapsed = True
                cap = 0.0
                self.log("collapse", c.sys_ids[i], f"{self.label(i)} collapses under {st.surge:g}x demand", visible=True)
                if st.fail_time is None:
                    st.fail_time = self.env.now
            else:
                share = 1.0 if ratio <= 1.0 else 1.0 / ratio
        serving = share >= c.threshold[i] - EPS
        own_problem = bool(st.failed or st.collapsed or own < 1.0 - EPS)
        if own < 1.0 - EPS and st.fail_time is None and not self.rep_up(st.active):
            st.fail_time = self.env.now
        changed_share = abs(share - st.share) > EPS
        if changed_share or serving != st.serving or blocked != st.dep_blocked or own_problem != st.problem:
            self.account(st)
        if (blocked and not own_problem) != (st.dep_blocked and not st.problem):
            st.links.append((self.env.now, blocked and not own_problem))
        st.own_cap = own
        st.dep_factor = factor
        st.dep_blocked = blocked
        if (cap > 0.0) != (st.cap > 0.0):
            self.notify(("capacity", i))  # the per-request servers (queueing.py) stop or resume
        st.cap = cap
        st.share = share
        was_serving = st.serving
        st.serving = serving
        was_problem = st.problem
        st.problem = own_problem
        if serving != was_serving:
            now = self.env.now
            if not serving:
                st.down_since = now
                st.episode_fb = 0.0
            else:
                if st.down_since is not None:
                    st.episodes.append((st.down_since, now))
                st.down_since = None
        self._update_status(st)
        if (not serving or own_problem) and not st.detected and (serving != was_serving or own_problem != was_problem):
            self._schedule_detection(st)
        if st.detected and ((not serving and was_serving) or (own_problem and not was_problem)):
            self.schedule(0.0, self._escalated, st)  # already watched: act on the worse state at once
        if serving and not own_problem:
            self._all_clear(st, was_serving)
        elif serving and not was_serving:
            self._serving_again(st)
        return serving != was_serving

    def _update_status(self, st: SysState) -> None:
        if st.serving:
            status = Status.up if st.share >= 1.0 - EPS and st.own_cap >= 1.0 - EPS and not st.problem else Status.degraded
        elif st.task is not None and st.task.state == "running":
            status = Status.recovering
        elif st.fallback_on:
            status = Status.fallback
        else:
            status = Status.down
        if status is not st.status:
            st.status = status
            st.timeline.append((self.env.now, status.value, st.share))
            if self.record:
                kind = {Status.up: "system_up", Status.degraded: "system_degraded"}.get(status, "system_down")
                if status in (Status.recovering, Status.fallback):
                    return  # task and fallback events say it already
                why = ""
                if status is Status.down:
                    why = " (through its dependencies)" if st.dep_blocked and st.own_cap > 0 and not st.failed and not st.collapsed else ""
                self.log(kind, self.c.sys_ids[st.i], f"{self.label(st.i)} is {status.value}{why}", visible=st.detected or status is Status.up and st.detected_at is not None)

    def refresh_status(self, i: int) -> None:
        """Re-derive the displayed status (after a task starts or a fallback switches)."""
        st = self.sys.get(i)
        if st is not None:
            self._update_status(st)

    def pending(self, st: SysState, now: float) -> tuple[float, float, float]:
        """Demand, fallback-served and unserved demand since the last change, up to ``now`` (not booked)."""
        if now <= st.last_t:
            return 0.0, 0.0, 0.0
        c = self.c
        i = st.i
        curve = c.curves[c.curve[i]]
        base = c.per_day[i] * (curve.at(now) - curve.at(st.last_t))
        demand = base * st.surge
        served = demand * st.share
        fallback = 0.0
        if st.fallback_on and not st.serving:
            share = c.systems[i].fallback.share  # type: ignore[union-attr]
            fallback = min(base * share, demand - served)
        return demand, fallback, demand - served - fallback

    def account(self, st: SysState) -> None:
        """Book demand, served, unserved and fallback-served demand since the last change."""
        now = self.env.now
        if now <= st.last_t:
            return
        demand, fallback, unserved = self.pending(st, now)
        st.demand += demand
        st.fb_served += fallback
        st.episode_fb += fallback
        st.unserved += unserved
        st.last_t = now

    # ---------------------------------------------------------------------------------
    # Replicas created by recovery
    # ---------------------------------------------------------------------------------
    def new_replica(self, st: SysState, domain_ids: list[str], capacity: float, name: str) -> int:
        """Create a replica of system ``st`` in the given domains (restore or rebuild elsewhere)."""
        r = self._next_rep
        self._next_rep += 1
        closure = self.c.closure_of(domain_ids)
        self.x_rep_sys[r] = st.i
        self.x_rep_closure[r] = closure
        self.x_rep_capacity[r] = capacity
        self.x_rep_name[r] = name
        blocked = 0
        for d in closure:
            self.x_reps_under.setdefault(d, []).append(r)
            if self.dom_causes.get(d):
                blocked += 1
        if blocked:
            self.rep_block[r] = blocked
        return r


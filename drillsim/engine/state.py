"""The per-system table: run-time state of every system a run has touched.

State is kept only for what a run touches: a system gets a :class:`SysState` the first time
anything happens to it, and untouched systems are implicitly up and fully served. The table is
owned by :class:`~drillsim.engine.world.World`; the rules that change a system's serving state
live in :mod:`.propagation`, :mod:`.detection` and :mod:`.accounting`, and the work done on a
system (tasks, fallbacks, runbook preferences) goes through the methods below.
"""

from __future__ import annotations

import simpy

from .compiled import CompiledModel
from .status import Status
from .tasks import Task

__all__ = ["SysState", "SystemTable"]


class SysState:
    """Run-time state of one touched system (fields in the order of the rules that use them)."""

    __slots__ = (
        "i", "reps", "active", "failed", "collapsed", "own_cap", "dep_factor", "dep_blocked", "cap", "share",
        "serving", "status", "surge", "last_t", "demand", "unserved", "fb_served", "down_since", "episodes",
        "problem", "detected", "detect_token", "detected_at", "task", "fallback_on", "fallback_task",
        "episode_fb", "data_loss", "data_lost", "fail_time", "reentry_hours", "timeline", "cause_domain",
        "suspended", "switchover_pending", "switchover_tried", "switchover_token", "attempts", "stuck", "links",
        "dep_down",
    )

    def __init__(self, i: int, reps: tuple[int, ...], active: int, now: float, demand: float):
        self.i = i
        """The system's index in the compiled model."""
        self.reps: list[int] = list(reps)
        """Its replicas (replaced when a restore or rebuild brings one up elsewhere)."""
        self.active = active
        """The replica serving (the only one that does, except in active-active)."""
        self.failed = 0
        """Count of its own failures (injected or background)."""
        self.collapsed = False
        """Collapsed under demand: down until restarted."""
        self.suspended = False
        """Taken offline on purpose: not serving, but nothing to recover."""
        self.own_cap = 1.0
        """Capacity from its replicas alone (0..1)."""
        self.dep_factor = 1.0
        """Product of the factors of its dependencies that are not serving."""
        self.dep_blocked = False
        """A hard dependency (or a whole any_of group) is not serving."""
        self.cap = 1.0
        """Capacity: own capacity x dependency factor (0 while failed, collapsed or suspended)."""
        self.share = 1.0
        """Share of the demand served."""
        self.serving = True
        """Whether the share reaches the system's threshold."""
        self.status = Status.up
        self.surge = 1.0
        """Product of the demand surges on it."""
        self.last_t = now
        """When its demand was last booked (:mod:`.accounting`)."""
        self.demand = demand
        """Demand booked so far (until the first touch, all served)."""
        self.unserved = 0.0
        self.fb_served = 0.0
        """Demand served by its manual fallback."""
        self.down_since: float | None = None
        """Start of the outage under way."""
        self.episodes: list[tuple[float, float]] = []
        """Finished outages (start, end)."""
        self.problem = False
        """A problem of its own (failed, collapsed, lost replica capacity), not only its dependencies."""
        self.detected = False
        self.detect_token = 0
        """Identifies the detection under way (a stale alert is ignored)."""
        self.detected_at: float | None = None
        self.task: Task | None = None
        """The recovery task under way."""
        self.fallback_on = False
        """Its manual fallback is serving."""
        self.fallback_task: Task | None = None
        self.episode_fb = 0.0
        """Fallback-served demand in the outage under way (the re-entry backlog)."""
        self.data_loss: float | None = None
        """Hours of data lost in the worst recovery so far."""
        self.data_lost = False
        """No copy of its data survived."""
        self.fail_time: float | None = None
        """When its incident started (the age of a backup is taken then)."""
        self.reentry_hours = 0.0
        self.timeline: list[tuple[float, str, float]] = []
        """(t, status, share) at each change of status."""
        self.cause_domain = -1
        """The domain whose failure hit it first (-1: none), for fog of war and missed alarms."""
        self.switchover_pending = False
        self.switchover_tried = False
        self.switchover_token = 0
        """Identifies the switchover under way (a stale one from an earlier failure is ignored)."""
        self.attempts: dict[str, int] = {}
        """Failed attempts per runbook option in this incident."""
        self.stuck = False
        """No runbook option is possible now (the auto policy looks again when conditions change)."""
        self.links: list[tuple[float, bool]] = []
        """(t, held down only by its dependencies) at each change."""
        self.dep_down: dict[int, float] | None = None
        """Since when each dependency with a ``restart_if_down`` is down, by its number (:mod:`.propagation`)."""

    # -- work on the system -------------------------------------------------------------
    def assign_task(self, task: Task) -> None:
        """``task`` is now the recovery under way."""
        self.task = task

    def end_task(self, task: Task) -> None:
        """``task`` has ended: it is no longer the recovery under way (if it still was)."""
        if self.task is task:
            self.task = None

    def drop_task(self) -> None:
        """Forget the recovery under way (it was cancelled to be replanned)."""
        self.task = None

    def count_failed_attempt(self, key: str) -> None:
        """A runbook option's attempt did not work."""
        self.attempts[key] = self.attempts.get(key, 0) + 1

    def set_fallback_task(self, task: Task | None) -> None:
        """The task activating (or running) the manual fallback, or None."""
        self.fallback_task = task


class SystemTable:
    """The touched systems' states by index, the stuck ones and the runbook preferences."""

    def __init__(self, compiled: CompiledModel, env: simpy.Environment):
        self.c = compiled
        self.env = env
        self.sys: dict[int, SysState] = {}
        """State of every touched system, by index."""
        self.stuck: set[int] = set()
        """Systems with no possible runbook option now."""
        self.preferred: dict[int, str] = {}
        """Runbook option tried first, by system (``prefer`` injects)."""

    def state(self, i: int) -> SysState:
        """The state of system ``i``, created (as fully up) on first touch."""
        st = self.sys.get(i)
        if st is None:
            c = self.c
            now = self.env.now
            st = SysState(i, c.sys_reps[i], c.sys_active0[i], now, c.per_day[i] * c.curves[c.curve[i]].at(now))
            self.sys[i] = st
        return st

    def serving(self, i: int) -> bool:
        """Whether system ``i`` serves now (untouched systems do)."""
        st = self.sys.get(i)
        return True if st is None else st.serving

    def set_stuck(self, st: SysState, stuck: bool) -> None:
        """Mark a system as having (or no longer having) no possible runbook option."""
        st.stuck = stuck
        if stuck:
            self.stuck.add(st.i)
        else:
            self.stuck.discard(st.i)

    def prefer(self, i: int, option: str) -> None:
        """Try ``option`` first in system ``i``'s runbook from now on."""
        self.preferred[i] = option

"""Detection, all-clear and automatic switchover: when a failure becomes known, and what follows.

Nothing is recovered before it is detected. A system's alert comes after its ``detection`` delay
(at least the failed domain's own detection delay, and at least the user-report delay while the
monitoring system is down). On detection the policy is told; a mode that switches over by itself
(active-standby, :mod:`.redundancy`) does so after ``switchover``, with probability ``success``.
A watched system that gets worse is acted on at once. When a system serves again at full own
capacity, its incident closes.
"""

from __future__ import annotations

from typing import Protocol

import simpy

from .clock import schedule
from .compiled import CompiledModel
from .events import Journal
from .hooks import PolicyHooks
from .infra import Infrastructure
from .kinds import EventKind
from .propagation import Propagation
from .rng import Streams
from .state import SysState, SystemTable

__all__ = ["Detection", "DetectionHost"]


class DetectionHost(Protocol):
    """What detection needs from the world beyond its tables: the policy, switching replicas, standing work down."""

    policy: PolicyHooks | None

    def switch_to(self, st: SysState, r: int) -> None:
        """Make replica ``r`` the active one, booking the data lost in the switch."""
        ...

    def stand_down(self, st: SysState) -> None:
        """The system serves again: work that covered for it (a manual fallback) stands down."""
        ...


class Detection:
    """Detection and switchover rules of the world (the :class:`~drillsim.engine.propagation.IncidentRules`)."""

    def __init__(self, compiled: CompiledModel, env: simpy.Environment, streams: Streams, journal: Journal,
                 table: SystemTable, infra: Infrastructure, propagation: Propagation, host: DetectionHost):
        self.c = compiled
        self.env = env
        self.streams = streams
        self.journal = journal
        self.table = table
        self.infra = infra
        self.propagation = propagation
        self.host = host

    def schedule_detection(self, st: SysState) -> None:
        """A problem appeared on an unwatched system: the alert comes after its detection delay."""
        i = st.i
        c = self.c
        delay = self.streams.draw(c.systems[i].detection, "detect", c.sys_ids[i])
        if st.suspended and not st.problem:
            delay = 0.0  # the operators did it themselves
        elif c.monitor >= 0 and c.monitor != i and not self.table.serving(c.monitor):
            delay = max(delay, c.sys_report_delay[i])
        known_at = self.infra.dom_known_at
        if st.cause_domain >= 0 and st.cause_domain in known_at:
            delay = max(delay, known_at[st.cause_domain] - self.env.now)
        st.detect_token += 1
        schedule(self.env, delay, self._detected, st, st.detect_token)

    def _detected(self, st: SysState, token: int) -> None:
        if token != st.detect_token or st.detected:
            return
        if st.serving and not st.problem:
            return
        st.detected = True
        st.detected_at = self.env.now
        i = st.i
        c = self.c
        journal = self.journal
        if journal.record:
            label = c.sys_label[i]
            what = "is not serving" if not st.serving else "has lost capacity"
            if st.suspended and not st.problem:
                what = "is suspended (taken offline on purpose)"
            if not st.serving and st.dep_blocked and not st.problem:
                what = "is not serving: a system it depends on is down"
            journal.log(EventKind.detected, c.sys_ids[i], f"Alert: {label} {what}")
            if st.data_lost:
                journal.log(EventKind.data_lost, c.sys_ids[i], f"{label}: no surviving copy of its data: it is lost for good")
        else:
            journal.count()  # not kept: no text to format
            if st.data_lost:
                journal.count()
        self.propagation.update_status(st)
        self._respond(st)

    def escalated(self, st: SysState) -> None:
        """A detected system got worse (stopped serving, or a problem of its own appeared)."""
        if st.detected:
            self._respond(st)

    def _respond(self, st: SysState) -> None:
        """What follows a detected problem: the mode's automatic switchover (once per incident), then the policy."""
        i = st.i
        if self.c.auto_switchover[i] and st.problem and not st.switchover_tried:
            self._start_switchover(st)
        policy = self.host.policy
        if policy is not None:
            policy.on_detected(i)

    def all_clear(self, st: SysState, was_serving: bool) -> None:
        """The system serves at full own capacity again: close the incident for it."""
        if not was_serving:
            self.serving_again(st)
        st.detected = False
        st.detect_token += 1
        st.cause_domain = -1
        st.switchover_tried = False
        st.fail_time = None
        st.attempts.clear()
        if st.stuck:
            self.table.set_stuck(st, False)

    def serving_again(self, st: SysState) -> None:
        """The system serves again: a manual fallback covering for it stands down."""
        if st.fallback_on or st.fallback_task is not None:
            self.host.stand_down(st)

    # Automatic switchover ----------------------------------------------------------------
    def _start_switchover(self, st: SysState) -> None:
        i = st.i
        spec = self.c.systems[i].redundancy
        st.switchover_pending = True
        st.switchover_tried = True
        delay = self.streams.draw(spec.switchover, "switchover", self.c.sys_ids[i])
        st.switchover_token += 1
        schedule(self.env, delay, self._finish_switchover, st, st.switchover_token)

    def _finish_switchover(self, st: SysState, token: int) -> None:
        if token != st.switchover_token:
            return  # started for an earlier failure that ended before it finished: a newer one is under way
        st.switchover_pending = False
        i = st.i
        c = self.c
        spec = c.systems[i].redundancy
        infra = self.infra
        if not st.problem or infra.rep_up(st.active):
            return
        standby = next((r for r in st.reps if r != st.active and infra.rep_up(r)), None)
        ok = standby is not None and self.streams.chance(spec.success, "switchover", c.sys_ids[i])
        if ok and standby is not None:
            self.host.switch_to(st, standby)
            self.journal.log(EventKind.switchover, c.sys_ids[i], f"{c.sys_label[i]} switched over to its standby ({infra.rep_name(standby)})")
        else:
            why = "no standby is up" if standby is None else "the switchover failed"
            self.journal.log(EventKind.switchover, c.sys_ids[i], f"{c.sys_label[i]}: automatic switchover did not work ({why})")
            policy = self.host.policy
            if policy is not None:
                policy.on_detected(i)

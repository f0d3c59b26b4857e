"""Detection, all-clear and automatic switchover: when a failure becomes known, and what follows.

Nothing is recovered before it is detected. A system's alert comes after its ``detection`` delay
(at least the failed domain's own detection delay, and at least the user-report delay while the
monitoring system is down). On detection the policy is told; an active-standby system switches
over by itself (after ``switchover``, with probability ``success``). A watched system that gets
worse is acted on at once. When a system serves again at full own capacity, its incident closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.systems import RedundancyMode
from .recovery import end_fallback

if TYPE_CHECKING:  # pragma: no cover
    from .world import SysState

__all__ = ["DetectionMixin"]


class DetectionMixin:
    """Detection and switchover rules of :class:`~drillsim.engine.world.World` (state lives there)."""

    def _schedule_detection(self, st: SysState) -> None:
        i = st.i
        c = self.c
        delay = self.draw(c.systems[i].detection, "detect", c.sys_ids[i])
        if st.suspended and not st.problem:
            delay = 0.0  # the operators did it themselves
        elif c.monitor >= 0 and c.monitor != i and not self.serving(c.monitor):
            delay = max(delay, c.sys_report_delay[i])
        if st.cause_domain >= 0 and st.cause_domain in self.dom_known_at:
            delay = max(delay, self.dom_known_at[st.cause_domain] - self.env.now)
        st.detect_token += 1
        self.schedule(delay, self._detected, st, st.detect_token)

    def _detected(self, st: SysState, token: int) -> None:
        if token != st.detect_token or st.detected:
            return
        if st.serving and not st.problem:
            return
        st.detected = True
        st.detected_at = self.env.now
        i = st.i
        what = "is not serving" if not st.serving else "has lost capacity"
        if st.suspended and not st.problem:
            what = "is suspended (taken offline on purpose)"
        if not st.serving and st.dep_blocked and not st.problem:
            what = "is not serving: a system it depends on is down"
        self.log("detected", self.c.sys_ids[i], f"Alert: {self.label(i)} {what}")
        if st.data_lost:
            self.log("data_lost", self.c.sys_ids[i], f"{self.label(i)}: no surviving copy of its data: it is lost for good")
        self._update_status(st)
        self._respond(st)

    def _escalated(self, st: SysState) -> None:
        """A detected system got worse (stopped serving, or a problem of its own appeared)."""
        if st.detected:
            self._respond(st)

    def _respond(self, st: SysState) -> None:
        """What follows a detected problem: the automatic switchover (once per incident), then the policy."""
        i = st.i
        spec = self.c.systems[i].redundancy
        if self.c.mode[i] is RedundancyMode.active_standby and spec.automatic and st.problem and not st.switchover_tried:
            self._start_switchover(st)
        if self.policy is not None:
            self.policy.on_detected(i)

    def _all_clear(self, st: SysState, was_serving: bool) -> None:
        """The system serves at full own capacity again: close the incident for it."""
        if not was_serving:
            self._serving_again(st)
        st.detected = False
        st.detect_token += 1
        st.cause_domain = -1
        st.switchover_tried = False
        st.fail_time = None
        st.attempts.clear()
        if st.stuck:
            st.stuck = False
            self.stuck.discard(st.i)

    def _serving_again(self, st: SysState) -> None:
        if st.fallback_on or st.fallback_task is not None:
            end_fallback(self, st)

    # Automatic switchover (active-standby) ------------------------------------------------
    def _start_switchover(self, st: SysState) -> None:
        i = st.i
        spec = self.c.systems[i].redundancy
        st.switchover_pending = True
        st.switchover_tried = True
        delay = self.draw(spec.switchover, "switchover", self.c.sys_ids[i])
        st.switchover_token += 1
        self.schedule(delay, self._finish_switchover, st, st.switchover_token)

    def _finish_switchover(self, st: SysState, token: int) -> None:
        if token != st.switchover_token:
            return  # started for an earlier failure that ended before it finished: a newer one is under way
        st.switchover_pending = False
        i = st.i
        spec = self.c.systems[i].redundancy
        if not st.problem or self.rep_up(st.active):
            return
        standby = next((r for r in st.reps if r != st.active and self.rep_up(r)), None)
        ok = standby is not None and self.chance(spec.success, "switchover", self.c.sys_ids[i])
        if ok:
            self.switch_to(st, standby)  # type: ignore[arg-type]
            self.log("switchover", self.c.sys_ids[i], f"{self.label(i)} switched over to its standby ({self.rep_name(standby)})")  # type: ignore[arg-type]
        else:
            why = "no standby is up" if standby is None else "the switchover failed"
            self.log("switchover", self.c.sys_ids[i], f"{self.label(i)}: automatic switchover did not work ({why})")
            if self.policy is not None:
                self.policy.on_detected(i)

    def switch_to(self, st: SysState, r: int) -> None:
        """Make replica ``r`` the active one, booking the data lost in the switch."""
        i = st.i
        replication = self.c.replication[i]
        if self.c.has_data[i]:
            if replication is not None and replication[0] == r:
                self.book_data_loss(st, replication[1])
            else:
                copy = self.best_copy(i, exclude_active=True, available_only=True)
                self.book_data_loss(st, copy[1] if copy is not None else 0.0)
        st.active = r
        self.mark(i)
        self.propagate()

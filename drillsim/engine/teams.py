"""Teams at work: limited staff, priority among ready work, office hours and call-in delays.

A request asks for a number of staff at a priority (lower first: grade 1 before grade 4, then
first come first served); only work that can start now asks. Requests made at the same moment
are all queued before any is served (a room back in service makes hundreds of restarts ready at
once: the most critical get the staff, not the first in memory). Requests are served in priority
order. When the first one waiting (the head) needs more staff than are free, it is not starved
and does not starve the rest: it is reserved the staff it needs at the earliest moment the work
under way is expected to free them, and requests behind it may start now with the staff it will
not need then (EASY backfilling: Lifka, *The ANL/IBM SP scheduling system*, JSSPP 1995; Mu'alem
and Feitelson, IEEE TPDS 12(6), 2001). Work under way with no expected end (a manual fallback)
is taken to hold its staff for good; when the work under way can never free enough, every free
person may backfill.

Outside office hours a team with a business-hours schedule is not on site: the first request
calls staff in, and work starts after the call-in delay. Once called in, staff stay until the
team has nothing left to do; the next request outside office hours calls them in again.
Schedules use the scenario start's UTC offset (no daylight-saving shifts within a run).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from typing import Any, Protocol

import simpy

from ..model.teams import ScheduleKind, Team
from .events import LogFn
from .kinds import EventKind

__all__ = ["StaffRequest", "TeamState", "TeamHost"]


class TeamHost(Protocol):
    """What a team needs from the world: the clock, delayed calls and the journal."""

    env: simpy.Environment
    log: LogFn

    def schedule(self, delay: float, fn: Callable[..., Any], *args: Any) -> simpy.Event:
        """Call ``fn(*args)`` after ``delay`` hours."""
        ...

_SEQ = itertools.count()


class StaffRequest:
    """A pending or granted claim on some of a team's staff."""

    __slots__ = ("team", "staff", "priority", "seq", "event", "granted", "cancelled", "taken", "label", "granted_at", "expected_end")

    def __init__(self, team: TeamState, staff: int, priority: tuple[Any, ...], label: str):
        self.team = team
        self.staff = staff
        self.priority = priority
        self.seq = next(_SEQ)
        self.event: simpy.Event = team.world.env.event()
        self.granted = False
        self.cancelled = False
        self.taken = False
        """Granted once (it has left the queue, even if its staff are released since)."""
        self.label = label
        self.granted_at: float | None = None
        self.expected_end: float | None = None

    def __lt__(self, other: StaffRequest) -> bool:
        # (priority, seq) < (other.priority, other.seq), without building the two tuples.
        mine, theirs = self.priority, other.priority
        if mine != theirs:
            return mine < theirs
        return self.seq < other.seq


class TeamState:
    """One team during a run: staff on hand, the queue of work, and whether staff are on site."""

    def __init__(self, world: TeamHost, team: Team, offset_hours: float):
        self.world = world
        self.spec = team
        self.id = team.id
        self.total = team.staff
        self.free = team.staff
        self.queue: list[StaffRequest] = []
        self.by_size: dict[int, list[StaffRequest]] = {}
        """The same requests, a priority heap per number of staff asked (for backfilling)."""
        self.running: dict[StaffRequest, None] = {}
        """Granted requests whose staff are at work, in the order granted (a dict: releasing one is O(1) in a big team)."""
        self.called_in = False
        self.calling = False
        self.aid_scheduled = False
        self._backfill_due = False
        self._deferred = False
        self._offset = offset_hours  # local hour of week at the scenario start
        schedule = team.schedule
        self._always = schedule.kind is ScheduleKind.always
        self._days = {i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun")) if d in schedule.days}
        self._start = schedule.start
        self._end = schedule.end

    # -- schedule -----------------------------------------------------------------------
    def on_site(self, t: float) -> bool:
        """Whether staff are on site at run time ``t`` without being called in."""
        if self._always:
            return True
        day, hour = divmod((self._offset + t) % 168.0, 24.0)
        return int(day) in self._days and self._start <= hour < self._end

    @property
    def available(self) -> bool:
        """Whether queued work can start now (on site, or called in)."""
        return self.called_in or self.on_site(self.world.env.now)

    # -- requests -------------------------------------------------------------------------
    def request(self, staff: int, priority: tuple[Any, ...], label: str) -> StaffRequest:
        """Queue a request; its ``event`` fires when the staff are granted."""
        req = StaffRequest(self, staff, priority, label)
        heapq.heappush(self.queue, req)
        heapq.heappush(self.by_size.setdefault(staff, []), req)
        if not self.aid_scheduled and self.spec.mutual_aid is not None:
            self.aid_scheduled = True
            aid = self.spec.mutual_aid
            self.world.schedule(aid.after, self.add_staff, aid.staff, "mutual aid")
        if not self.available and not self.calling:
            self.calling = True
            self.world.log(EventKind.task_queued, self.id, f"{self.spec.label}: staff called in (arrive in {self.spec.call_in:g}h)")
            self.world.schedule(self.spec.call_in, self._arrive)
        if not self._deferred:
            self._deferred = True
            self.world.schedule(0.0, self._dispatch_deferred)
        return req

    def _dispatch_deferred(self) -> None:
        self._deferred = False
        self._dispatch()

    def cancel(self, req: StaffRequest) -> None:
        """Withdraw a request that has not been granted (granted staff must be released instead)."""
        if not req.granted:
            req.cancelled = True
            self._dispatch()

    def release(self, req: StaffRequest) -> None:
        """Give back the staff of a granted request."""
        if req.granted:
            req.granted = False
            self.free += req.staff
            self.running.pop(req, None)
            self._dispatch()
            self._maybe_stand_down()

    def withdraw(self, req: StaffRequest) -> None:
        """Work that stops: its staff go back if granted, else the request is withdrawn."""
        if req.granted:
            self.release(req)
        else:
            self.cancel(req)

    def add_staff(self, staff: int, why: str = "reinforcements") -> None:
        """More people join the team (mutual aid, contractors)."""
        self.total += staff
        self.free += staff
        self.world.log(EventKind.staff_arrived, self.id, f"{self.spec.label}: {staff} more staff ({why}); {self.total} in all")
        self._dispatch()

    def reorder(self) -> None:
        """The priorities of queued requests were changed (a delegate's new order): restore the queues' order and serve them."""
        heapq.heapify(self.queue)
        for heap in self.by_size.values():  # the backfilling heaps hold the same requests
            heapq.heapify(heap)
        self._dispatch()

    def remove_staff(self, staff: int) -> None:
        """Free staff leave the team (moved to another one); the caller checks that ``staff`` are free."""
        if staff > self.free:
            raise ValueError(f"{self.id}: {staff} staff cannot leave, only {self.free} are free")
        self.total -= staff
        self.free -= staff

    # -- internals ------------------------------------------------------------------------
    def _arrive(self) -> None:
        self.calling = False
        self.called_in = True
        self._dispatch()
        self._maybe_stand_down()

    def _maybe_stand_down(self) -> None:
        if self.called_in and not self.running and not any(not r.cancelled and not r.taken for r in self.queue):
            self.called_in = False

    def _dispatch(self, backfill: bool = False) -> None:
        queue = self.queue
        while queue and (queue[0].cancelled or queue[0].taken):
            heapq.heappop(queue)
        if not queue:
            return
        if not self.available:
            if not self.calling:
                self.calling = True
                self.world.schedule(self.spec.call_in, self._arrive)
            return
        while queue:
            head = queue[0]
            if head.cancelled or head.taken:
                heapq.heappop(queue)
                continue
            if head.staff > self.free:
                if backfill:
                    self._backfill(head)
                elif self.free > 0 and not self._backfill_due:
                    # The head waits for staff: smaller work behind it may use the rest, once the
                    # work just granted at this moment has started and says when it will end.
                    self._backfill_due = True
                    self.world.schedule(0.0, self._backfill_now)
                return
            heapq.heappop(queue)
            self._grant(head)

    def _grant(self, req: StaffRequest) -> None:
        self.free -= req.staff
        req.granted = True
        req.taken = True
        req.granted_at = self.world.env.now
        self.running[req] = None
        req.event.succeed()

    def _backfill_now(self) -> None:
        self._backfill_due = False
        self._dispatch(backfill=True)

    def _backfill(self, head: StaffRequest) -> None:
        """Start work behind the waiting head with the staff it will not need at its reserved start (EASY)."""
        if self.free <= 0 or not any(size <= self.free and heap for size, heap in self.by_size.items()):
            return
        spare = self._spare_at_reservation(head)
        while spare > 0:
            best: StaffRequest | None = None
            for size, heap in self.by_size.items():
                if size > spare:
                    continue
                while heap and (heap[0].cancelled or heap[0].taken):
                    heapq.heappop(heap)
                if heap and heap[0] is not head and (best is None or heap[0] < best):
                    best = heap[0]
            if best is None:
                return
            heapq.heappop(self.by_size[best.staff])
            spare -= best.staff
            self._grant(best)

    def _spare_at_reservation(self, head: StaffRequest) -> int:
        """Free staff that may start other work now without delaying ``head``'s expected start."""
        need = head.staff - self.free
        released = 0
        # Work with no expected end (a fallback) holds its staff for good: it frees nobody.
        for _end, staff in sorted([(r.expected_end, r.staff) for r in self.running if r.expected_end is not None]):
            released += staff
            if released >= need:
                return min(self.free, released - need)
        return self.free  # the work under way cannot free enough: nothing is held back for the head

    def busy(self) -> int:
        """Staff currently working."""
        return self.total - self.free

    def roster(self) -> dict[str, Any]:
        """A snapshot for displays: staff, free, running and queued work."""
        return {
            "team": self.id,
            "label": self.spec.label,
            "staff": self.total,
            "free": self.free,
            "on_site": self.available,
            "running": [{"label": r.label, "staff": r.staff, "since": r.granted_at, "expected_end": r.expected_end} for r in self.running],
            "queued": [{"label": r.label, "staff": r.staff} for r in sorted(q for q in self.queue if not q.cancelled and not q.taken)],
        }


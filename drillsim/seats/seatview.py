"""What one seat may know now, as the ``state`` message the server sends it.

:class:`SeatViews` keeps, for every seat, the last lines of its feed (the events it may see:
about its systems and teams, its orders and actions, the scenario's messages, and the places
that failed), updated from the new events of each command, so a broadcast costs O(touched
systems + new events) per seat, never O(model). A team seat's statuses are the team's view (fog
of war) of its own systems; the facilitator's are the truth of every system.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from ..engine import Event, Status
from ..engine.kinds import EventKind
from ..model.timefmt import fmt_elapsed
from .access import SeatAccess

__all__ = ["SeatViews", "FEED_LINES"]

FEED_LINES = 60
"""Feed lines a state message carries."""
_PUBLIC = {EventKind.message.value, EventKind.inject.value, EventKind.domain_down.value, EventKind.domain_destroyed.value, EventKind.domain_up.value}


class SeatViews:
    """The feed of every seat, and the state messages built from the drill session."""

    def __init__(self, session: Any, seats: dict[str, SeatAccess]):
        self.session = session
        self.seats = seats
        self.feeds: dict[str, deque[list[Any]]] = {s: deque(maxlen=FEED_LINES) for s in seats}
        self._ids = {s: (None if a.systems is None else {session.sim.compiled.sys_ids[i] for i in a.systems}) for s, a in seats.items()}
        self._seen = 0
        self._generation = -1
        self.catch_up()

    def catch_up(self) -> None:
        """Take in the events since the last call (all of them again after an undo rebuilt the world)."""
        session = self.session
        if session.generation != self._generation:
            self._generation = session.generation
            self._seen = 0
            for feed in self.feeds.values():
                feed.clear()
        events = session.events(since=self._seen)
        self._seen += len(events)
        for event in events:
            line = [round(event.t, 6), fmt_elapsed(event.t), event.kind, event.subject, event.text]
            for seat_id, access in self.seats.items():
                if self._sees(seat_id, access, event):
                    self.feeds[seat_id].append(line)

    def _sees(self, seat_id: str, access: SeatAccess, event: Event) -> bool:
        if access.truth:
            return True
        if not event.visible:
            return False
        if event.kind in _PUBLIC:
            return True
        ids = self._ids[seat_id]
        subject = event.subject
        if subject in access.teams or (ids is not None and subject in ids):
            return True
        if event.kind == EventKind.action.value:
            if event.data.get("by") == seat_id:
                return True
            parts = subject.split("/")
            return len(parts) > 1 and ids is not None and parts[1] in ids
        if event.kind in (EventKind.decision.value, EventKind.decided.value):
            return subject in access.decides
        return False

    def state(self, seat_id: str, reports: list[dict[str, Any]], shared: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``state`` message for one seat (``shared``: what :meth:`shared` computed for this moment)."""
        shared = shared or self.shared()
        access = self.seats[seat_id]
        session = self.session
        sim = session.sim
        c = sim.compiled
        statuses: dict[int, Status] = shared["truth"] if access.truth else shared["team"]
        mine = statuses if access.systems is None else {i: s for i, s in statuses.items() if i in access.systems}
        total = len(c.sys_ids) if access.systems is None else len(access.systems)
        counts = dict.fromkeys((s.value for s in Status), 0)
        systems = []
        for i in sorted(mine, key=lambda i: (c.grade[i], i)):
            status = mine[i]
            counts[status.value] += 1
            systems.append([c.sys_ids[i], status.value, c.grade[i]])
        counts[Status.up.value] += total - sum(counts.values())
        teams = [t for t in shared["teams"] if access.truth or t["team"] in access.teams]
        decisions = [d for d in shared["decisions"] if access.truth or d["id"] in access.decides]
        orders = [{"team": o.team, "orders": list(o.orders)} for o in shared["orders"] if access.truth or o.team in access.teams]
        return {
            "type": "state",
            "seat": seat_id,
            "role": access.role.value,
            "view": "truth" if access.truth else "team",
            "n": shared["n"],
            "generation": session.generation,
            "now": session.now,
            "clock": fmt_elapsed(session.now),
            "local_time": session.scenario.local_time(session.now).strftime("%Y-%m-%d %H:%M"),
            "end": session.end,
            "ended": session.ended,
            "done": session.done,
            "total": total,
            "counts": counts,
            "systems": systems,
            "teams": teams,
            "decisions": decisions,
            "orders": orders,
            "feed": list(self.feeds[seat_id]),
            "reports": reports,
            "organizations": {org: [c.sys_ids[i] for i in members] for org, members in access.org_systems.items()} if access.role.value == "team" else {},
        }

    def shared(self) -> dict[str, Any]:
        """What every seat's state reads at this moment, computed once per broadcast."""
        session = self.session
        sim = session.sim
        scenario = session.scenario
        decisions = []
        for did in session.pending_decisions:
            d = scenario.decision_index[did]
            decisions.append({"id": did, "prompt": d.prompt, "options": [[o.id, o.label] for o in d.options]})
        return {
            "team": sim.touched_statuses(truth=False),
            "truth": sim.touched_statuses(truth=True),
            "teams": session.teams(),
            "decisions": decisions,
            "orders": session.orders.in_force(),
            "n": len(session.history),
        }

"""What one seat may know now, as the ``state`` message the server sends it.

:class:`SeatViews` keeps, for every seat, the last lines of its feed (the events it may see:
about its systems and teams, its orders and actions, the scenario's messages, and the places
that failed), updated from the new events of each command, so a broadcast costs O(touched
systems + new events) per seat, never O(model). A team seat's statuses are the team's view (fog
of war) of its own systems; the facilitator's are the truth of every system.
"""

from __future__ import annotations

from collections import deque
from operator import itemgetter
from typing import Any

from ..engine import Event, Status
from ..engine.kinds import EventKind
from ..model.timefmt import fmt_elapsed
from .access import SeatAccess

__all__ = ["SeatViews", "FEED_LINES"]

FEED_LINES = 60
"""Feed lines a state message carries."""
_STATUS_VALUES = tuple(s.value for s in Status)
_ORDER = itemgetter(4)
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
        self._rows: tuple[dict[int, Any], dict[int, Any]] = ({}, {})
        self._row_generation = -1
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
        c = session.sim.compiled
        by_index: dict[int, list[Any]] = shared["truth"] if access.truth else shared["team"]
        mine = access.systems
        if mine is None:
            rows = shared["truth rows"] if access.truth else sorted(by_index.values(), key=_ORDER)
        else:  # the seat's touched systems: a set intersection (in C), then its few rows sorted
            keys: frozenset[int] = shared["truth keys" if access.truth else "team keys"]
            rows = sorted((by_index[i] for i in (mine & keys)), key=_ORDER)
        total = len(c.sys_ids) if mine is None else len(mine)
        counts = dict.fromkeys(_STATUS_VALUES, 0)
        for row in rows:
            counts[row[1]] += 1
        counts["up"] += total - sum(counts.values())
        systems = [row[:3] for row in rows]
        teams = [shared["roster"](t) for t in (shared["team_ids"] if access.truth else sorted(access.teams))]
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
        """What every seat's state reads at this moment, computed once per broadcast.

        The touched systems in each view as rows ``[id, status, grade, index, order]`` by index;
        each seat takes the rows of its own systems, sorted by grade. Team rosters are made on demand.
        """
        session = self.session
        sim = session.sim
        c = sim.compiled
        scenario = session.scenario
        decisions = []
        for did in session.pending_decisions:
            d = scenario.decision_index[did]
            decisions.append({"id": did, "prompt": d.prompt, "options": [[o.id, o.label] for o in d.options]})
        ids, grade = c.sys_ids, c.grade
        rosters: dict[str, dict[str, Any]] = {}
        teams = sim.world.teams

        def roster(team_id: str) -> dict[str, Any]:
            if team_id not in rosters:
                rosters[team_id] = teams[c.tidx[team_id]].roster()
            return rosters[team_id]

        n = len(ids)

        def rows(statuses: dict[int, Status], cache: dict[int, tuple[Status, list[Any]]]) -> dict[int, list[Any]]:
            out = {}
            for i, status in statuses.items():
                known = cache.get(i)
                if known is None or known[0] is not status:  # a row is made again only when its status changed
                    known = cache[i] = (status, [ids[i], status.value, grade[i], i, grade[i] * n + i])
                out[i] = known[1]
            return out

        if self._row_generation != session.generation:
            self._row_generation = session.generation
            self._rows = ({}, {})
        truth = rows(sim.touched_statuses(truth=True), self._rows[1])
        team = rows(sim.touched_statuses(truth=False), self._rows[0])
        return {
            "team": team,
            "team keys": frozenset(team),
            "truth keys": frozenset(truth),
            "truth": truth,
            "truth rows": sorted(truth.values(), key=_ORDER),
            "roster": roster,
            "team_ids": [t.id for t in scenario.teams],
            "decisions": decisions,
            "orders": session.orders.in_force(),
            "n": len(session.history),
        }

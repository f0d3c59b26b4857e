"""Standing orders: what the team tells its team leads to do, parsed, checked and put in force.

One order per line, the same in the app (``c``), in a scripted actions file and from a network
seat (selections: :mod:`.selection`; priorities: :mod:`.priorities`)::

    work TEAM|all [on SELECTION] [by PRIORITY]   work the runbook (standing, until stopped)
    stop TEAM|all [on SELECTION]                 withdraw work orders
    priority TEAM|all PRIORITY                   reprioritise: the team's new order of work
    hold SELECTION                               start no work there (until released)
    release SELECTION|all                        lift holds
    move N from TEAM to TEAM                     move free staff between teams
    aid TEAM                                     call in the team's mutual aid now
    reserve N of TEAM for SELECTION              keep N of the team's staff for that work
    unreserve TEAM                               lift the team's reserve
    define NAME SELECTION                        a named list, used as @NAME
    do KIND [on SELECTION]                       bulk actions, once (see :mod:`.bulk`)

``work nirs-ops on in:daejeon-bldg by grade``, ``hold in:daejeon-room-7``, ``reserve 20 of
nirs-ops for grade:1``, ``do restart on in:daejeon-room-[1-6]``. The simulated team leads
(:class:`~drillsim.engine.delegate.DelegatePolicy`) carry the standing ones out: the runbook's
first possible step, the fallbacks and the repair crews, for the systems the orders cover, in
each team's order. Work ordered by hand (an action) goes before delegated work.

:meth:`OrderBook.prepare` checks an order against the drill as it is now and says what it would
do (:class:`Prepared`), or raises :class:`~drillsim.drill.selection.OrderError` (unknown ids
with a did-you-mean; an order that would do nothing). The session journals an order only after
it was prepared, and carries it out with :meth:`Prepared.run`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..engine import ActionError, Simulation
from ..engine.delegate import ALL_TEAMS, DelegatePolicy, Hold, WorkOrder
from ..engine.kinds import EventKind
from ..model.suggest import did_you_mean
from .bulk import BULK_KINDS, prepare_bulk
from .prepared import Prepared
from .priorities import parse_priority
from .selection import OrderError, Selection, Selector

__all__ = ["ORDER_VERBS", "OrderBook", "Prepared", "TeamOrders"]

ORDER_VERBS = ("work", "stop", "priority", "hold", "release", "move", "aid", "reserve", "unreserve", "define", "do")
"""The first word of every order."""

_WORK = re.compile(r"^(?P<team>\S+)(?:\s+on\s+(?P<sel>.+?))?(?:\s+by\s+(?P<by>.+))?$")
_MOVE = re.compile(r"^(?P<n>\S+)\s+from\s+(?P<a>\S+)\s+to\s+(?P<b>\S+)$")
_RESERVE = re.compile(r"^(?P<n>\S+)\s+of\s+(?P<team>\S+)\s+for\s+(?P<sel>.+)$")
_NAME = re.compile(r"^[A-Za-z][\w-]*$")


@dataclass(frozen=True)
class TeamOrders:
    """What the board shows of one team: its orders in force and what its leads are doing because of them."""

    team: str
    label: str
    orders: tuple[str, ...]
    running: int = 0
    queued: int = 0
    waiting: int = 0


class OrderBook:
    """The standing orders of one drill: parsing, checks, and what is in force (see the module docstring)."""

    def __init__(self, sim: Simulation, policy: DelegatePolicy):
        self.sim = sim
        self.policy = policy
        self.c = sim.compiled
        self.selector = Selector(sim)
        self.work: dict[str, dict[str, str]] = {}
        """Work orders in force: team id (or ``all``) -> selection -> the order as given."""
        self.priorities: dict[str, str] = {}
        self.holds: list[str] = []
        self.reserves: dict[str, str] = {}
        self.given: list[str] = []
        """Every order given, in order."""

    # ------------------------------------------------------------------------------
    # Parsing and checking
    # ------------------------------------------------------------------------------
    def prepare(self, text: str) -> Prepared:
        """Check ``text`` against the drill now; OrderError if it is wrong or would do nothing."""
        words = text.split()
        if not words:
            raise OrderError(f"type an order: {', '.join(ORDER_VERBS)}")
        verb, rest = words[0].lower(), " ".join(words[1:])
        handler = getattr(self, f"_{verb}", None) if verb in ORDER_VERBS else None
        if handler is None:
            raise OrderError(f"unknown order {words[0]!r}{did_you_mean(verb, ORDER_VERBS)}: orders are {', '.join(ORDER_VERBS)}")
        prepared: Prepared = handler(rest)
        return prepared

    def _team(self, word: str, allow_all: bool = True) -> int:
        if allow_all and word.lower() in ("all", "everyone"):
            return ALL_TEAMS
        index = self.c.tidx.get(word)
        if index is None:
            teams = [t.id for t in self.sim.scenario.teams]
            raise OrderError(f"unknown team {word!r}{did_you_mean(word, teams)}; teams: {', '.join(teams)}" + (", or all" if allow_all else ""))
        return index

    def _team_id(self, index: int) -> str:
        return "all" if index == ALL_TEAMS else self.c.teams[index].id

    def _label(self, index: int) -> str:
        return "every team" if index == ALL_TEAMS else self.sim.world.teams[index].spec.label

    def _count(self, word: str) -> int:
        try:
            n = int(word)
        except ValueError:
            raise OrderError(f"{word!r} is not a number of staff") from None
        if n < 1:
            raise OrderError(f"{n} staff: give at least 1")
        return n

    def _selection(self, text: str | None) -> Selection:
        selection = self.selector.parse(text or "all")
        if selection.static is not None and not selection.static:
            raise OrderError(f"{selection.text!r} selects no system: the order would do nothing")
        return selection

    def _does_work(self, team: int, selection: Selection) -> list[str]:
        """The teams that carry out runbook steps, fallbacks or repairs for the selection (stops early once ``team`` is found)."""
        c = self.c
        found: set[int] = set()
        systems = selection.static if selection.static is not None else range(len(c.sys_ids))
        for i in systems:
            for option in c.runbook[i]:
                found.add(c.tidx[option.team] if option.team else c.team[i])
            fallback = c.systems[i].fallback
            if fallback is not None and fallback.team:
                found.add(c.tidx[fallback.team])
            if team in found:
                return [c.teams[team].id]
        for domain in self.sim.scenario.domains:
            d = c.didx[domain.id]
            if domain.repair is not None and selection.covers_domain(d):
                found.add(c.tidx[domain.repair.team])
        return sorted(c.teams[t].id for t in found if t >= 0)

    # ------------------------------------------------------------------------------
    # The orders
    # ------------------------------------------------------------------------------
    def _work(self, rest: str) -> Prepared:
        match = _WORK.match(rest)
        if not match:
            raise OrderError("work TEAM|all [on SELECTION] [by PRIORITY], e.g. work nirs-ops on in:daejeon-bldg by grade")
        team = self._team(match["team"])
        selection = self._selection(match["sel"])
        by = parse_priority(match["by"], self.selector) if match["by"] else None
        tid = self._team_id(team)
        if team != ALL_TEAMS:
            doers = self._does_work(team, selection)
            if tid not in doers:
                raise OrderError(f"{tid} does no runbook step, fallback or repair for {selection.text}: the order would do nothing"
                                 + (f" (that work falls to {', '.join(doers)})" if doers else ""))
        text = f"work {tid} on {selection.text}" + (f" by {by[0]}" if by else "")
        current = self.work.get(tid, {}).get(selection.text)
        if current is not None and (by is None or current == text):
            raise OrderError(f"already in force: {current}")
        size = selection.size()
        summary = f"{self._label(team)} works the runbook on {selection.text} ({'every system' if size is None else f'{size:,} systems'})"
        if by is not None:
            summary += f", {by[0]} first"

        def run() -> str:
            if by is not None:
                self.priorities[tid] = by[0]
                self.policy.set_priority(team, by[1])
            self.work.setdefault(tid, {})[selection.text] = text
            self.policy.add_work(WorkOrder(team, selection.text, selection.members, selection.covers_domain))
            return summary

        return Prepared("work", text, summary, run)

    def _stop(self, rest: str) -> Prepared:
        team_word, _, sel = rest.partition(" on ")
        if not team_word.strip():
            raise OrderError("stop TEAM|all [on SELECTION]")
        team = self._team(team_word.strip())
        tid = self._team_id(team)
        selection = self.selector.parse(sel).text if sel.strip() else None
        orders = self.work.get(tid, {})
        if not orders or (selection is not None and selection not in orders):
            in_force = [t for o in self.work.values() for t in o.values()]
            raise OrderError(f"{tid} has no work order{' on ' + selection if selection else ''}: the order would do nothing"
                             + (f" (in force: {'; '.join(in_force)})" if in_force else " (none is in force)"))
        text = f"stop {tid}" + (f" on {selection}" if selection else "")

        def run() -> str:
            for key in [selection] if selection else list(orders):
                orders.pop(key, None)
            if not orders:
                self.work.pop(tid, None)
            self.policy.stop_work(team, selection)
            return f"{self._label(team)} stops working the runbook" + (f" on {selection}" if selection else "")

        return Prepared("stop", text, f"{self._label(team)} stops work not yet started that no other order covers", run)

    def _priority(self, rest: str) -> Prepared:
        team_word, _, spec = rest.partition(" ")
        spec = spec.strip()
        if spec.startswith("by "):
            spec = spec[3:]
        if not team_word or not spec:
            raise OrderError("priority TEAM|all PRIORITY, e.g. priority nirs-ops @critical then grade")
        team = self._team(team_word)
        words, key = parse_priority(spec, self.selector)
        tid = self._team_id(team)
        if self.priorities.get(tid) == words:
            raise OrderError(f"{tid} already works {words} first")
        text = f"priority {tid} {words}"

        def run() -> str:
            self.priorities[tid] = words
            self.policy.set_priority(team, key)
            return f"{self._label(team)} now works {words} first"

        return Prepared("priority", text, f"{self._label(team)} works {words} first (queued work is reordered now)", run)

    def _hold(self, rest: str) -> Prepared:
        selection = self._selection(rest if rest.strip() else None)
        if selection.text in self.holds:
            raise OrderError(f"{selection.text} is already held")
        text = f"hold {selection.text}"

        def run() -> str:
            self.holds.append(selection.text)
            withdrawn = self.policy.hold(Hold(selection.text, selection.members))
            return f"Hold on {selection.text}" + (f": {withdrawn} tasks not yet started withdrawn" if withdrawn else "")

        return Prepared("hold", text, f"no work starts on {selection.text} until it is released", run)

    def _release(self, rest: str) -> Prepared:
        target = rest.strip()
        if not self.holds:
            raise OrderError("nothing is held: the order would do nothing")
        if target in ("", "all"):
            selection = None
        else:
            selection = self.selector.parse(target).text
            if selection not in self.holds:
                raise OrderError(f"{selection} is not held (held: {'; '.join(self.holds)})")
        text = f"release {selection or 'all'}"

        def run() -> str:
            self.holds = [] if selection is None else [h for h in self.holds if h != selection]
            self.policy.release(selection)
            return f"Released {selection or 'every hold'}"

        return Prepared("release", text, f"work may start again on {selection or 'everything held'}", run)

    def _move(self, rest: str) -> Prepared:
        match = _MOVE.match(rest)
        if not match:
            raise OrderError("move N from TEAM to TEAM, e.g. move 10 from gwangju-ops to nirs-ops")
        n = self._count(match["n"])
        a, b = self._team(match["a"], False), self._team(match["b"], False)
        if a == b:
            raise OrderError("moving staff to the team they are in would do nothing")
        source = self.sim.world.teams[a]
        if source.free < n:
            raise OrderError(f"{source.id} has {source.free} free staff now (of {source.total}): move at most {source.free}" if source.free
                             else f"{source.id} has no free staff now: every one of its {source.total} is at work")
        text = f"move {n} from {source.id} to {self.c.teams[b].id}"
        return Prepared("move", text, f"{n} free staff of {source.spec.label} join {self._label(b)}", lambda: self._run_move(a, b, n))

    def _run_move(self, a: int, b: int, n: int) -> str:
        self.policy.move_staff(a, b, n)
        return f"{n} staff moved from {self._label(a)} to {self._label(b)}"

    def _aid(self, rest: str) -> Prepared:
        team = self._team(rest.strip(), False)
        state = self.sim.world.teams[team]
        aid = state.spec.mutual_aid
        if aid is None:
            with_aid = [t.id for t in self.sim.scenario.teams if t.mutual_aid is not None]
            which = f"teams with mutual aid: {', '.join(with_aid)}" if with_aid else "no team of this scenario has any"
            raise OrderError(f"{state.id} has no mutual aid to call in ({which})")
        if state.aid_scheduled:
            raise OrderError(f"the mutual aid of {state.id} is already called in: the order would do nothing")
        text = f"aid {state.id}"

        def run() -> str:
            after = self.policy.call_aid(team)
            return f"Mutual aid for {state.spec.label}: {aid.staff} staff, arriving in {after:g}h"

        return Prepared("aid", text, f"{aid.staff} staff join {state.spec.label} {aid.after:g}h from now", run)

    def _reserve(self, rest: str) -> Prepared:
        match = _RESERVE.match(rest)
        if not match:
            raise OrderError("reserve N of TEAM for SELECTION, e.g. reserve 20 of nirs-ops for grade:1")
        n = self._count(match["n"])
        team = self._team(match["team"], False)
        state = self.sim.world.teams[team]
        selection = self._selection(match["sel"])
        if state.id in self.reserves:
            raise OrderError(f"{state.id} already keeps a reserve ({self.reserves[state.id]}): unreserve {state.id} first")
        if state.free < n:
            raise OrderError(f"{state.id} has {state.free} free staff now (of {state.total}): reserve at most {state.free}" if state.free
                             else f"{state.id} has no free staff now to set aside")
        if state.id not in self._does_work(team, selection):
            raise OrderError(f"{state.id} does no work for {selection.text}: the reserve would stand idle")
        text = f"reserve {n} of {state.id} for {selection.text}"

        def run() -> str:
            self.reserves[state.id] = text
            self.policy.reserve(team, n, selection.text, selection.members)
            return f"{n} staff of {state.spec.label} kept for {selection.text}"

        return Prepared("reserve", text, f"{n} free staff of {state.spec.label} work only on {selection.text}", run)

    def _unreserve(self, rest: str) -> Prepared:
        team = self._team(rest.strip(), False)
        tid = self.c.teams[team].id
        if tid not in self.reserves:
            raise OrderError(f"{tid} keeps no reserve: the order would do nothing")

        def run() -> str:
            self.reserves.pop(tid)
            self.policy.unreserve(team)
            return f"The reserve of {self._label(team)} is lifted"

        return Prepared("unreserve", f"unreserve {tid}", f"the reserved staff of {self._label(team)} go back to its other work", run)

    def _define(self, rest: str) -> Prepared:
        name, _, sel = rest.partition(" ")
        name = name.lstrip("@")
        if not _NAME.match(name) or not sel.strip():
            raise OrderError("define NAME SELECTION, e.g. define critical grade:1 org:mois (then use @critical)")
        selection = self._selection(sel)
        if self.selector.named.get(name) == selection:
            raise OrderError(f"@{name} is already {selection.text}")
        text = f"define {name} {selection.text}"

        def run() -> str:
            self.selector.named[name] = selection
            return f"@{name} = {selection.text} ({selection.size() or len(self.c.sys_ids):,} systems)"

        return Prepared("define", text, f"@{name} names {selection.text}", run)

    def _do(self, rest: str) -> Prepared:
        kind, _, sel = rest.partition(" on ")
        kind = kind.strip()
        if kind not in BULK_KINDS:
            raise OrderError(f"do KIND [on SELECTION]: unknown kind {kind!r}{did_you_mean(kind, BULK_KINDS)} (kinds: {', '.join(BULK_KINDS)})")
        selection = self._selection(sel if sel.strip() else None)
        return prepare_bulk(self.sim, kind, selection)

    # ------------------------------------------------------------------------------
    # Giving and showing
    # ------------------------------------------------------------------------------
    def give(self, text: str, by: str = "team") -> str:
        """Prepare and carry out an order now; the feed line. OrderError before anything changes."""
        prepared = self.prepare(text)
        try:
            said = prepared.run()
        except ActionError as exc:
            raise OrderError(str(exc)) from None
        self.given.append(prepared.text)
        self.sim.world.log(EventKind.action, "orders", f"Order ({by}): {prepared.text} · {said}", by=by, order=prepared.text)
        return said

    def in_force(self) -> list[TeamOrders]:
        """Per team (and ``all``): the orders in force, and the delegated work running, queued and waiting."""
        doing = self.policy.doing()
        teams = self.sim.world.teams
        out: list[TeamOrders] = []
        if "all" in self.work or "all" in self.priorities:
            lines = [*self.work.get("all", {}).values()]
            if "all" in self.priorities and not any(" by " in line for line in lines):
                lines.append(f"priority all {self.priorities['all']}")
            out.append(TeamOrders("all", "every team", tuple(lines)))
        for index, state in enumerate(teams):
            parent = self.policy.parent.get(index)
            tid = state.id if parent is None else teams[parent].id
            lines = [] if parent is not None else [*self.work.get(tid, {}).values()]
            if parent is None and tid in self.priorities and not any(" by " in line for line in lines):
                lines.append(f"priority {tid} {self.priorities[tid]}")
            if parent is None and tid in self.reserves:
                lines.append(self.reserves[tid])
            counts = doing.get(index, {})
            if lines or counts:
                out.append(TeamOrders(state.id, state.spec.label, tuple(lines), counts.get("running", 0), counts.get("queued", 0), counts.get("waiting", 0)))
        if self.holds:
            out.append(TeamOrders("holds", "held", tuple(f"hold {h}" for h in self.holds)))
        return out

"""The drill team's policy: simulated team leads who carry out the team's standing orders.

A drill is played at command level: the team gives orders ("nirs-ops works the runbook on the
Daejeon building, grade first"; "hold room 7"; "reserve 20 of nirs-ops for the grade-1
systems") and the team leads carry them out. :class:`DelegatePolicy` is those team leads. It is
the runbook policy (:class:`~drillsim.engine.policy.AutoPolicy`: first possible runbook step,
fallbacks, repair crews, retries) restricted to the work its orders cover:

- a **work order** (:class:`WorkOrder`) lets one team (or every team) work the runbook for the
  systems of a selection: the steps that team carries out, the fallbacks whose staff it holds
  (fallbacks without a team: any work order on the system), and the repairs of the domains the
  selection names;
- a **hold** (:class:`Hold`) stops work from starting on a selection; work not yet started there
  is withdrawn (work under way goes on);
- a team's **priority** (a key per system) orders its queue: the work the delegate starts queues
  behind repairs and behind the work the team ordered by hand, in the team's chosen order;
- **staff** move between teams, mutual aid is called in, and a **reserve** of a team's staff is
  set aside for a selection (a sub-team that takes that selection's work of the team).

With no work order in force it does nothing at all, like the manual policy (same name, same
results), so every drill journal recorded before orders existed replays bit for bit. The drill
layer (:mod:`drillsim.drill.orders`) parses and checks orders and hands this policy resolved
selections (callables over system indices); nothing here parses text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .actions import ActionError
from .kinds import PENDING, EventKind, TaskKind, TaskState
from .policy import AutoPolicy
from .recovery import start_domain_repair
from .tasks import Task
from .teams import StaffRequest, TeamState

__all__ = ["ALL_TEAMS", "DELEGATE_BAND", "DelegatePolicy", "WorkOrder", "Hold", "Reserve", "Members", "PriorityKey", "grade_key"]

ALL_TEAMS = -2
"""The team index of an order given to every team (the incident commander's)."""
DELEGATE_BAND = 5.0
"""First element of the priority of delegated work: after repairs (0) and work ordered by hand (its grade, 1-4)."""

Members = Callable[[int], bool]
"""Whether system ``i`` is in a selection (now: a selection may filter on what the team sees)."""
PriorityKey = Callable[[int], tuple[float, ...]]
"""A team's order of work: the key of system ``i`` (lower first)."""


@dataclass(frozen=True)
class WorkOrder:
    """Work the runbook: ``team`` (or :data:`ALL_TEAMS`) for the systems of ``selection``."""

    team: int
    selection: str
    """The selection as written (identifies the order within its team)."""
    members: Members
    domains: Callable[[int], bool]
    """The domains whose repairs the order covers."""


@dataclass(frozen=True)
class Hold:
    """Start no work on the systems of ``selection``."""

    selection: str
    members: Members


@dataclass
class Reserve:
    """``staff`` of team ``team`` kept for the work of ``selection`` (the sub-team ``sub`` does it)."""

    team: int
    sub: int
    staff: int
    selection: str
    members: Members


def grade_key(world: Any) -> PriorityKey:
    """The runbook's order: grade first (then, as for every key, the time of the alert)."""
    grade = world.c.grade
    return lambda i: (float(grade[i]),)


class ReserveTeam(TeamState):
    """Staff of a team set aside for a selection; when the reserve is lifted, staff go back as they come free."""

    parent: TeamState
    closing = False

    def release(self, req: StaffRequest) -> None:
        super().release(req)
        if self.closing:
            self.give_back()

    def give_back(self) -> None:
        """Return the free staff to the parent team."""
        if self.free > 0:
            n = self.free
            self.remove_staff(n)
            self.parent.add_staff(n, f"back from {self.spec.label}")


class DelegatePolicy(AutoPolicy):
    """The team leads of a drill: the runbook, for the work the standing orders cover (see the module docstring)."""

    name = "manual"
    decides = False
    planned_by = "orders"

    def __init__(self) -> None:
        self.work: list[WorkOrder] = []
        """Work orders in force, oldest first."""
        self.holds: list[Hold] = []
        self.keys: dict[int, PriorityKey] = {}
        """Each team's order of work (:data:`ALL_TEAMS`: the default of teams without their own)."""
        self.reserves: dict[int, Reserve] = {}
        """Reserves by team index."""
        self.parent: dict[int, int] = {}
        """Reserve sub-team index -> the team it was taken from."""
        self.mine: set[int] = set()
        """Ids of the tasks this policy started."""
        self._live: list[Task] = []
        """The tasks this policy started that may still be active (finished ones are dropped as they are seen)."""

    # ------------------------------------------------------------------------------
    # What the orders cover
    # ------------------------------------------------------------------------------
    def held(self, i: int) -> bool:
        """Whether a hold covers system ``i``."""
        return any(h.members(i) for h in self.holds)

    def covered(self, i: int, team: int) -> bool:
        """Whether a work order lets ``team`` (-1: front-line staff) work on system ``i``, and no hold stops it."""
        if self.held(i):
            return False
        team = self.parent.get(team, team)
        return any((o.team == ALL_TEAMS or o.team == team or team == -1) and o.members(i) for o in self.work)

    def may_start(self, i: int, team: int) -> bool:
        return self.covered(i, team)

    def may_repair(self, d: int) -> bool:
        spec = self.world.scenario.domain_index[self.world.c.dom_ids[d]].repair
        if spec is None:
            return False
        team = self.world.c.tidx[spec.team]
        return any((o.team == ALL_TEAMS or o.team == team) and o.domains(d) for o in self.work)

    def plan(self, i: int) -> None:
        if not self.work or self.held(i):
            return
        super().plan(i)

    def on_conditions_changed(self) -> None:
        if self.work:
            super().on_conditions_changed()

    def started(self, task: Task) -> None:
        self.mine.add(task.id)
        self._live.append(task)
        if task.kind is TaskKind.repair or task.system < 0:
            return
        reserve = self.reserves.get(task.team)
        if reserve is not None and reserve.members(task.system):
            task.team = reserve.sub
            task.team_id = self.world.teams[reserve.sub].id
        task.priority = self.priority_of(task)

    def priority_of(self, task: Task) -> tuple[Any, ...]:
        """The place of a delegated task in its team's queue: the band, the team's key, then the engine's rank and alert time."""
        team = self.parent.get(task.team, task.team)
        key = self.keys.get(team) or self.keys.get(ALL_TEAMS) or grade_key(self.world)
        rank, detected = task.priority[-2], task.priority[-1]
        return (DELEGATE_BAND, *key(task.system), rank, detected)

    # ------------------------------------------------------------------------------
    # Orders (the drill layer has checked them; ActionError when the world says no)
    # ------------------------------------------------------------------------------
    def add_work(self, order: WorkOrder) -> None:
        """Put a work order in force (replacing one of the same team and selection) and start the work it covers."""
        self.work = [o for o in self.work if (o.team, o.selection) != (order.team, order.selection)] + [order]
        self.sweep()

    def stop_work(self, team: int, selection: str | None) -> int:
        """Withdraw the team's work orders (all, or the one on ``selection``); work not started that no order covers any more is withdrawn."""
        before = len(self.work)
        self.work = [o for o in self.work if not (o.team == team and (selection is None or o.selection == selection))]
        self.withdraw(lambda t: t.system >= 0 and not self.covered(t.system, t.team), "no order covers it any more")
        return before - len(self.work)

    def set_priority(self, team: int, key: PriorityKey) -> None:
        """A team's (or every team's) new order of work; its queued work is reordered at once."""
        self.keys[team] = key
        for t, state in enumerate(self.world.teams):
            if team in (ALL_TEAMS, self.parent.get(t, t)):
                self.reorder(t, state)

    def hold(self, hold: Hold) -> int:
        """Start no work on a selection; delegated work not started there is withdrawn (how many tasks: returned)."""
        self.holds.append(hold)
        return self.withdraw(lambda t: t.system >= 0 and hold.members(t.system), "held by order")

    def release(self, selection: str | None) -> int:
        """Lift the holds on ``selection`` (None: all); the work they stopped is planned again."""
        before = len(self.holds)
        self.holds = [h for h in self.holds if selection is not None and h.selection != selection]
        self.sweep()
        return before - len(self.holds)

    def move_staff(self, source: int, target: int, staff: int) -> None:
        """``staff`` free people of team ``source`` join team ``target``."""
        teams = self.world.teams
        a, b = teams[source], teams[target]
        if staff > a.free:
            raise ActionError(f"{a.spec.label} has {a.free} free staff now, not {staff}")
        a.remove_staff(staff)
        self.world.log(EventKind.staff_arrived, a.id, f"{a.spec.label}: {staff} staff move to {b.spec.label}; {a.total} left", by="orders")
        b.add_staff(staff, f"moved from {a.spec.label}")
        self.conditions_changed()

    def call_aid(self, team: int) -> float:
        """Call in the team's mutual aid now; return when it arrives (hours from now)."""
        state = self.world.teams[team]
        aid = state.spec.mutual_aid
        if aid is None:
            raise ActionError(f"{state.spec.label} has no mutual aid to call in")
        if state.aid_scheduled:
            raise ActionError(f"the mutual aid of {state.spec.label} is already called in")
        state.aid_scheduled = True
        self.world.log(EventKind.staff_arrived, state.id, f"{state.spec.label}: mutual aid called in ({aid.staff} staff, arriving in {aid.after:g}h)", by="orders")
        self.world.schedule(aid.after, state.add_staff, aid.staff, "mutual aid")
        return aid.after

    def reserve(self, team: int, staff: int, selection: str, members: Members) -> int:
        """Set ``staff`` free people of ``team`` aside for the selection's work; return the sub-team's index."""
        world = self.world
        if team in self.reserves:
            raise ActionError(f"{world.teams[team].spec.label} already keeps a reserve ({self.reserves[team].selection}): lift it first")
        parent = world.teams[team]
        if staff > parent.free:
            raise ActionError(f"{parent.spec.label} has {parent.free} free staff now, not {staff}")
        spec = parent.spec.model_copy(update={"id": f"{parent.id}~reserve", "name": f"{parent.spec.label} · reserve for {selection}",
                                              "name_local": None, "staff": staff, "mutual_aid": None})
        sub = ReserveTeam(world, spec, getattr(parent, "_offset", 0.0))
        sub.parent = parent
        sub.called_in = parent.called_in
        parent.remove_staff(staff)
        world.teams.append(sub)
        index = len(world.teams) - 1
        self.reserves[team] = Reserve(team, index, staff, selection, members)
        self.parent[index] = team
        world.log(EventKind.staff_arrived, parent.id, f"{parent.spec.label}: {staff} staff kept for {selection}", by="orders")
        self.withdraw(lambda t: t.team == team and t.system >= 0 and members(t.system), "moved to the reserve")
        return index

    def unreserve(self, team: int) -> None:
        """Lift a team's reserve: its free staff go back now, the others as they finish; its work not started is planned again."""
        reserve = self.reserves.pop(team, None)
        if reserve is None:
            raise ActionError(f"{self.world.teams[team].spec.label} keeps no reserve")
        sub = self.world.teams[reserve.sub]
        assert isinstance(sub, ReserveTeam)
        sub.closing = True
        self.withdraw(lambda t: t.team == reserve.sub, "reserve lifted")
        sub.give_back()

    # ------------------------------------------------------------------------------
    # Carrying them out
    # ------------------------------------------------------------------------------
    def sweep(self) -> None:
        """Plan every detected problem and every known domain outage the orders now cover."""
        world = self.world
        if not self.work:
            return
        for i in sorted(world.sys):
            st = world.sys[i]
            if st.detected and (st.problem or not st.serving):
                self.plan(i)
        infra = world.infra
        now = world.env.now
        for d in sorted(infra.dom_causes):
            causes = infra.dom_causes[d]
            if "inject" not in causes or d in infra.dom_timed or infra.dom_known_at.get(d, now + 1) > now:
                continue
            task = infra.dom_task.get(d)
            if (task is None or not task.active) and self.may_repair(d):
                repair = start_domain_repair(world, d, by=self.planned_by)
                if repair is not None:
                    self.started(repair)

    def withdraw(self, which: Callable[[Task], bool], why: str) -> int:
        """Cancel the delegated work not yet started that ``which`` picks; the world settles at once."""
        picked = [t for t in self.world.tasks if t.id in self.mine and t.state in PENDING and t.process is not None and which(t)]
        for task in picked:
            task.cancel(why)
        env = self.world.env
        while env.peek() <= env.now:
            env.step()
        self.sweep()
        return len(picked)

    def reorder(self, t: int, team: TeamState) -> None:
        """Recompute the priority of team ``t``'s delegated work not yet started, and reorder its queue."""
        for task in self.world.tasks:
            if task.id in self.mine and task.team == t and task.state in PENDING and task.kind is not TaskKind.repair:
                task.priority = self.priority_of(task)
                if task.req is not None and not task.req.granted:
                    task.req.priority = task.priority
        team.reorder()

    def conditions_changed(self) -> None:
        """Staff or capacity changed: stuck work may go on."""
        self.on_conditions_changed()

    # ------------------------------------------------------------------------------
    # What the board shows
    # ------------------------------------------------------------------------------
    def doing(self) -> dict[int, dict[str, int]]:
        """Per team index: the delegated work running, queued for staff, and waiting (lead time or conditions)."""
        out: dict[int, dict[str, int]] = {}
        live = [task for task in self._live if task.active]
        self._live = live
        for task in live:
            if task.team < 0:
                continue
            counts = out.setdefault(task.team, {"running": 0, "queued": 0, "waiting": 0})
            state = task.state
            counts["running" if state is TaskState.running else "queued" if state is TaskState.queued or state is TaskState.new else "waiting"] += 1
        return out

    def idle_problems(self) -> tuple[int, int]:
        """(detected systems with a problem of their own and no work under way that a hold stops, those no work order covers)."""
        held = uncovered = 0
        for i, st in self.world.sys.items():
            if not st.detected or not st.problem:
                continue  # nothing of its own to recover (a system down through its links waits for them)
            task = st.task
            if task is not None and task.ended_at is None:  # work under way (a recovery's end time is set when it ends)
                continue
            if self.held(i):
                held += 1
            elif not any(o.members(i) for o in self.work):
                uncovered += 1
        return held, uncovered

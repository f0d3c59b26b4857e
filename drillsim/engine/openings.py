"""Decisions that open by themselves, and the live figures their prompts quote (the schema: :mod:`drillsim.model.openings`).

Both read the world as the team sees it (fog of war), through the simulation's team view
(``status_of``): a decision's conditions are checked every :data:`CHECK_EVERY` hours of simulated
time from its ``after`` until they hold or its ``by`` comes; its figures are counted the moment
it opens, so its text never asserts what the team's own board contradicts. Sets of systems are
resolved once per compiled model; a check costs the touched systems of the set (untouched systems serve).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable
from typing import Any

import simpy

from ..model.injects import Decision
from ..model.openings import CHECK_EVERY, SystemSet
from ..model.scenario import Scenario
from .compiled import CompiledModel
from .status import Status

__all__ = ["CHECK_EVERY", "members", "OpeningRules", "UNKNOWN_OR_SERVING"]

UNKNOWN_OR_SERVING = (Status.up, Status.degraded, Status.unknown)
"""Statuses in which the team does not know a system to be down."""

StatusOf = Callable[[int], Status]


def members(c: CompiledModel, scenario: Scenario, chosen: SystemSet) -> frozenset[int]:
    """The indices of the systems a set picks (every key given must hold)."""
    picked: set[int] | None = None

    def narrow(found: Iterable[int]) -> None:
        nonlocal picked
        found = set(found)
        picked = found if picked is None else picked & found

    if chosen.in_:
        wanted = {c.didx[d] for d in chosen.in_ if d in c.didx}
        narrow(i for i in range(len(c.sys_ids)) if wanted.intersection(c.rep_closure[c.sys_active0[i]]))
    if chosen.grade:
        grades = set(chosen.grade)
        narrow(i for i, g in enumerate(c.grade) if g in grades)
    if chosen.org:
        orgs = [o for o in scenario.organizations if o.id in set(chosen.org)]
        narrow(c.sidx[s] for o in orgs for s in (*o.uses, *o.owns) if s in c.sidx)
    if chosen.systems:
        narrow(c.sidx[s] for s in chosen.systems if s in c.sidx)
    return frozenset(picked or ())


class OpeningRules:
    """The opening conditions and figures of one run's decisions (created by the simulation)."""

    def __init__(self, c: CompiledModel, touched: Callable[[], Iterable[int]], status_of: StatusOf):
        self.c = c
        self.scenario = c.scenario
        self.touched = touched
        self.status_of = status_of
        self._sets = c.set_members  # resolved once per model (a set scans every system), shared by its runs

    def _members(self, chosen: SystemSet) -> frozenset[int]:
        key = id(chosen)
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = members(self.c, self.scenario, chosen)
        return found

    def not_serving(self, chosen: SystemSet) -> tuple[int, int]:
        """(systems of the set that the team does not see serving, size of the set)."""
        picked = self._members(chosen)
        status_of = self.status_of
        bad = sum(1 for i in self.touched() if i in picked and not status_of(i).serving)
        return bad, len(picked)

    def holds(self, decision: Decision) -> bool:
        """Whether the decision's conditions hold now, as the team sees the world."""
        spec = decision.opens
        assert spec is not None
        if spec.serving is not None:
            bad, size = self.not_serving(spec.serving.of)
            if size == 0 or (size - bad) / size < spec.serving.share - 1e-12:
                return False
        if spec.down is not None and self.status_of(self.c.sidx[spec.down]) in UNKNOWN_OR_SERVING:
            return False
        return True

    def prompt(self, decision: Decision) -> str:
        """The decision's prompt with its figures as the team sees them now."""
        if not decision.figures:
            return decision.prompt
        values: dict[str, str] = {}
        for name, figure in decision.figures.items():
            bad, size = self.not_serving(figure.of)
            kind = figure.kind
            if kind == "serving":
                values[name] = f"{size - bad:,}"
            elif kind == "not_serving":
                values[name] = f"{bad:,}"
            elif kind == "total":
                values[name] = f"{size:,}"
            else:
                values[name] = f"{100 * (size - bad) / size:.0f} %" if size else "- %"
        return decision.prompt.format_map(values)

    def watch(self, env: simpy.Environment, decision: Decision, end: float, opened: Callable[[], bool], open_: Callable[[], None]) -> Generator[simpy.Event, Any, None]:
        """A process: from ``after``, every :data:`CHECK_EVERY` hours, open the decision once its conditions hold, or at ``by``."""
        spec = decision.opens
        assert spec is not None
        if spec.after > env.now:
            yield env.timeout(spec.after - env.now)
        while not opened():
            late = spec.by is not None and env.now >= spec.by - 1e-9
            if late or self.holds(decision):
                open_()
                return
            step = CHECK_EVERY if spec.by is None else min(CHECK_EVERY, spec.by - env.now)
            if env.now + step > end:
                return
            yield env.timeout(step)

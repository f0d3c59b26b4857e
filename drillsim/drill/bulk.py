"""Bulk actions: ``do restart on in:daejeon-room-[1-6]`` takes every such action that is possible now, once.

========  ==========================================================================================
kind      the actions taken, for the systems (or domains) of the selection
========  ==========================================================================================
recover   each system's first runbook step that can start now or will once possible (the runbook's)
restart   every restart that can start now (likewise ``restore``, ``failover``, ``rebuild``)
fallback  every manual fallback that can be switched on now
repair    every repair crew that can be sent now, to the domains the selection's systems sit in
========  ==========================================================================================

A bulk action is one order: the app confirms it first, stating how many actions it takes and how
much staff, and it is journalled as one command (replaying it takes the same actions, since the
world is the same). Actions that cannot be taken are not counted; if none can, the order is
refused before it is journalled, with what stops them.
"""

from __future__ import annotations

from collections import Counter

from ..engine import ActionError, ActionOption, Simulation
from ..engine.kinds import Feasibility
from ..engine.recovery import options_for
from .prepared import Prepared
from .selection import OrderError, Selection

__all__ = ["BULK_KINDS", "prepare_bulk", "bulk_actions"]

BULK_KINDS = ("recover", "restart", "restore", "failover", "rebuild", "fallback", "repair")
"""What ``do`` takes."""


def bulk_actions(sim: Simulation, kind: str, selection: Selection) -> tuple[list[ActionOption], Counter[str]]:
    """The actions ``do KIND on SELECTION`` takes now, and why the others of that kind in the selection cannot be taken."""
    c = sim.compiled
    chosen: list[ActionOption] = []
    refused: Counter[str] = Counter()
    by_system: dict[str, dict[str, ActionOption]] = {}
    for option in sim.actions():
        if kind == "repair":
            if option.kind == "repair" and selection.covers_domain(c.didx[option.subject]):
                _take(option, chosen, refused)
            continue
        if option.kind != ("fallback" if kind == "fallback" else "recover") or not selection.members(c.sidx[option.subject]):
            continue
        if kind == "fallback":
            _take(option, chosen, refused)
        elif kind == "recover":
            by_system.setdefault(option.subject, {})[option.action.option] = option
        else:
            step = next((o for o in c.runbook[c.sidx[option.subject]] if o.key == option.action.option), None)
            if step is not None and step.kind.value == kind:
                _take(option, chosen, refused)
    for subject in sorted(by_system, key=lambda s: (c.grade[c.sidx[s]], s)):
        listed = by_system[subject]
        steps = [listed[o.key] for o in options_for(sim.world, c.sidx[subject]) if o.key in listed]
        first = next((o for o in steps if o.status is not Feasibility.no), None)
        if first is not None:
            chosen.append(first)
        elif steps:
            refused[_why(steps[0])] += 1
    return chosen, refused


def _why(option: ActionOption) -> str:
    return option.reason.split(":")[0] if option.reason else option.status.value


def _take(option: ActionOption, chosen: list[ActionOption], refused: Counter[str]) -> None:
    if option.status is Feasibility.ready:
        chosen.append(option)
    else:
        refused[_why(option)] += 1


def prepare_bulk(sim: Simulation, kind: str, selection: Selection) -> Prepared:
    """The bulk order, checked: how many actions, how much staff; OrderError if no action can be taken."""
    chosen, refused = bulk_actions(sim, kind, selection)
    if not chosen:
        why = "; ".join(f"{n} {reason}" for reason, n in refused.most_common(3))
        raise OrderError(f"no {kind} can be taken now on {selection.text}: the order would do nothing" + (f" ({why})" if why else " (nothing of that kind there)"))
    staff = sum(a.staff for a in chosen)
    by_team = Counter[str]()
    for a in chosen:
        by_team[a.team or "front-line staff"] += a.staff
    hours = [a.hours for a in chosen if a.hours is not None]
    mean = sum(hours) / len(hours) if hours else 0.0
    teams = ", ".join(f"{team} {n}" for team, n in by_team.most_common())
    summary = (f"{kind} {len(chosen)} {'domain' if kind == 'repair' else 'system'}{'s' if len(chosen) != 1 else ''} in {selection.text}: "
               f"{len(chosen)} action{'s' if len(chosen) != 1 else ''}, {staff} staff in all ({teams})"
               + (f", about {mean:.1f} h each" if hours else "") + "; they queue for staff, grade first")
    text = f"do {kind} on {selection.text}"

    def run() -> str:
        done = 0
        for option in chosen:
            try:
                sim.act(option.action, by="orders")
                done += 1
            except ActionError:
                continue  # taken by an earlier action of the same order (its system is under way now)
        return f"{done} of {len(chosen)} {kind} actions taken"

    return Prepared("do", text, summary, run, confirm=True, actions=len(chosen), staff=staff)

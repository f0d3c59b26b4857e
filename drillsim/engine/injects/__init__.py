"""Inject actions, engine side: one handler per action key, registered here.

:func:`apply_inject` carries out an inject or a decision effect: it logs the inject (with the
feed text of its model-side rules, :mod:`drillsim.model.inject_kinds`: what the players can
know; how long it lasts goes to a hidden event, for the facilitator) and applies its handler.
To add an action, see docs/extending.md.
"""

from __future__ import annotations

from collections.abc import Callable

from ...model.inject_kinds import INJECT_KINDS
from ...model.injects import Action
from ...model.timefmt import fmt_duration
from ..kinds import EventKind
from ..world import World
from .add_staff import AddStaff
from .base import InjectContext, InjectHandler
from .decision import OpenDecision
from .domains import Destroy, Fail, Restore
from .prefer import Prefer
from .set_capacity import SetCapacity
from .surge import Surge
from .systems import FailSystem, RestoreSystem, Resume, Suspend

__all__ = ["HANDLERS", "InjectContext", "InjectHandler", "apply_inject"]

HANDLERS: dict[str, InjectHandler] = {
    h.key: h
    for h in (Fail(), Destroy(), Restore(), FailSystem(), RestoreSystem(), Suspend(), Resume(), Surge(), AddStaff(), Prefer(), SetCapacity(), OpenDecision())
}
"""The engine behaviour of every inject action, by key."""


def apply_inject(world: World, action: Action, source: str, open_decision: Callable[[str], None]) -> None:
    """Do what ``action`` says, now; ``source`` names the inject or decision it comes from."""
    text = action.message or action.title
    kind = action.action
    if kind == "message":
        world.log(EventKind.message, source, text or "")
        return
    summary = INJECT_KINDS[kind].summary(world.scenario, action)
    world.log(EventKind.inject, source, f"{summary}" + (f": {text}" if text else ""), action=kind)
    lasts = action.duration if action.duration is not None else (action.surge.duration if action.surge is not None else None)
    if lasts is not None:  # the truth, for the facilitator: the players are not told how long it lasts
        world.log(EventKind.inject, source, f"(facilitator) {summary}: ends by itself after {fmt_duration(lasts)}", visible=False, action=kind, hours=lasts)
    HANDLERS[kind].apply(world, action, InjectContext(source, open_decision))

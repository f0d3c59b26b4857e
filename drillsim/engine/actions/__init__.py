"""Drill actions: one handler per action kind, registered here.

:meth:`Simulation.actions <drillsim.engine.simulation.Simulation.actions>` lists every
registered kind's options (:func:`list_actions`); :meth:`Simulation.act
<drillsim.engine.simulation.Simulation.act>` carries one out by its structured id or its string
form (:func:`parse_action_id`). Layers above the engine (the drill's standing orders) add a kind
with :func:`register_action`. To add a kind, see docs/extending.md.
"""

from __future__ import annotations

from ..kinds import Feasibility
from ..tasks import Task
from ..world import World
from .base import (
    ActionError,
    ActionHandler,
    ActionId,
    ActionKind,
    ActionOption,
    hours_text,
)
from .cancel import Cancel
from .fallback import SwitchToFallback
from .recover import Recover
from .repair import Repair

__all__ = [
    "ACTIONS",
    "ActionError",
    "ActionHandler",
    "ActionId",
    "ActionKind",
    "ActionOption",
    "hours_text",
    "list_actions",
    "parse_action_id",
    "register_action",
    "take_action",
]

ACTIONS: dict[str, ActionHandler] = {}
"""The handler of every action kind, by kind."""


def register_action(handler: ActionHandler) -> None:
    """Make an action kind available to :func:`list_actions` and :func:`take_action` (one handler per kind)."""
    if handler.kind in ACTIONS and ACTIONS[handler.kind] is not handler:
        raise ValueError(f"action kind {handler.kind!r} is already registered")
    ACTIONS[handler.kind] = handler


for _handler in (Recover(), SwitchToFallback(), Repair(), Cancel()):
    register_action(_handler)

_RANK = {Feasibility.ready: 0, Feasibility.wait: 1, Feasibility.no: 2}


def parse_action_id(text: str) -> ActionId:
    """The structured id of an action's string form; ActionError for an unknown kind."""
    kind, _, rest = text.partition("/")
    handler = ACTIONS.get(kind)
    if handler is None:
        raise ActionError(f"unknown action {text!r}")
    return handler.parse(rest)


def list_actions(world: World, truth: bool, now: float) -> list[ActionOption]:
    """Every registered kind's options: possible first, then those that must wait, then impossible; by grade, then id."""
    out: list[ActionOption] = []
    for handler in ACTIONS.values():
        out.extend(handler.options(world, truth, now))
    out.sort(key=lambda a: (_RANK[a.status], a.grade, a.id))
    return out


def take_action(world: World, action: ActionId, by: str) -> Task | None:
    """Carry out ``action``; the task it starts (if any); ActionError if it cannot be done now."""
    handler = ACTIONS.get(action.kind)
    if handler is None:
        raise ActionError(f"unknown action {str(action)!r}")
    return handler.act(world, action, by)

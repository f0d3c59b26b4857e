"""What an inject does to a run: the behaviour every action's module fills in.

An inject (or a decision effect) does one action, named by its key. Its engine behaviour
(:class:`InjectHandler`) changes the world through the world's methods; its model-side rules
(validation, the events list, the feed text) are in :mod:`drillsim.model.inject_kinds`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...model.injects import Action
from ..world import World

__all__ = ["InjectHandler", "InjectContext"]


@dataclass(frozen=True, slots=True)
class InjectContext:
    """What an inject may need beyond the world: where it comes from, and how to open a decision point."""

    source: str
    """The inject's id (or ``injects[k]``), or the decision option whose effect it is."""
    open_decision: Callable[[str], None]
    """Put a decision point to the players (or to the policy)."""


class InjectHandler:
    """The engine behaviour of one inject action."""

    key: str
    """The action's key (a field of :class:`~drillsim.model.injects.Action`)."""

    def apply(self, world: World, action: Action, ctx: InjectContext) -> None:
        """Do what ``action`` says, now."""
        raise NotImplementedError

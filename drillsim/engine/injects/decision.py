"""Inject action ``decision``: a decision point is put to the players (or the policy answers it)."""

from __future__ import annotations

from ...model.injects import Action
from ..world import World
from .base import InjectContext, InjectHandler

__all__ = ["OpenDecision"]


class OpenDecision(InjectHandler):
    """Open a decision point."""

    key = "decision"

    def apply(self, world: World, action: Action, ctx: InjectContext) -> None:
        assert action.decision is not None
        ctx.open_decision(action.decision)

"""Inject action ``decision``: put a decision point to the players."""

from __future__ import annotations

from ..injects import Action
from ..scenario import Scenario
from .base import IdInjectKind

__all__ = ["DECISION"]


class _Decision(IdInjectKind):
    """The feed says a decision point is put to the players; its prompt follows in its own event, with its live figures."""

    def summary(self, scenario: Scenario, action: Action) -> str:
        assert action.decision is not None
        return f"decision point {action.decision!r} put to the players"  # its prompt follows, with its live figures


DECISION = _Decision("decision", "decision", "is put to the players")
"""A decision point opens."""

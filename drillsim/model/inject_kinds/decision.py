"""Inject action ``decision``: put a decision point to the players."""

from __future__ import annotations

from ..injects import Action
from ..scenario import Scenario
from .base import IdInjectKind

__all__ = ["DECISION"]


class _Decision(IdInjectKind):
    """The feed shows the decision's prompt."""

    def summary(self, scenario: Scenario, action: Action) -> str:
        assert action.decision is not None
        return f"decision: {scenario.decision_index[action.decision].prompt}"


DECISION = _Decision("decision", "decision", "is put to the players")
"""A decision point opens."""

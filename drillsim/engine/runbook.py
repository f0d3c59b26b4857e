"""Runbooks as the engine runs them: the steps as written, and the implicit restart."""

from __future__ import annotations

from ..model.distributions import Fixed
from ..model.systems import RecoveryKind, RecoveryOption, System

__all__ = ["IMPLICIT_RESTART", "runbook"]

IMPLICIT_RESTART = RecoveryOption(id="restart", kind=RecoveryKind.restart, staff=1, duration=Fixed.model_validate({"value": "30m"}), label="restart")
"""The restart every system gets when its runbook lists none (30 minutes, one person of its team)."""


def runbook(system: System) -> tuple[RecoveryOption, ...]:
    """A system's runbook as written, with the implicit restart last when it lists none."""
    options = tuple(system.recovery)
    if not any(o.kind is RecoveryKind.restart for o in options):
        options += (IMPLICIT_RESTART,)
    return options

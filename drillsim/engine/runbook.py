"""Runbooks as the engine runs them: the steps as written, the implicit restart, and how many tries a step gets.

An option is tried ``attempts`` times (default 3); with ``escalate`` its team hands it over to
that team for as many attempts again; then the runbook moves on to its next option.
"""

from __future__ import annotations

from ..model.distributions import Fixed
from ..model.systems import RecoveryKind, RecoveryOption, System

__all__ = ["IMPLICIT_RESTART", "runbook", "exhausted", "escalated"]

IMPLICIT_RESTART = RecoveryOption(id="restart", kind=RecoveryKind.restart, staff=1, duration=Fixed.model_validate({"value": "30m"}), label="restart")
"""The restart every system gets when its runbook lists none (30 minutes, one person of its team)."""


def runbook(system: System) -> tuple[RecoveryOption, ...]:
    """A system's runbook as written, with the implicit restart last when it lists none."""
    options = tuple(system.recovery)
    if not any(o.kind is RecoveryKind.restart for o in options):
        options += (IMPLICIT_RESTART,)
    return options


def escalated(option: RecoveryOption, failed: int) -> bool:
    """Whether the option, after ``failed`` failed attempts, is now worked by its escalation team."""
    return option.escalate is not None and failed >= option.attempts


def exhausted(option: RecoveryOption, failed: int) -> bool:
    """Whether the option, after ``failed`` failed attempts, has none left (its own, then its escalation team's)."""
    return failed >= option.attempts * (2 if option.escalate is not None else 1)

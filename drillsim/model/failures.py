"""Background random failures: components that fail and get repaired on their own, all run long.

Each target (a domain id, or ``system/placement`` for one replica) alternates between up periods
drawn from ``time_to_failure`` and repairs drawn from ``time_to_repair``. With a ``crew`` (a team)
repairs wait for a free member of that team, so components sharing one crew queue for it. A
``common_cause_beta`` share of the failure rate hits all targets at once (the beta-factor model);
it needs an exponential ``time_to_failure`` (the model splits a constant failure rate).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from .common import Id, Probability, Strict
from .distributions import DurationDist, Exponential

__all__ = ["BackgroundFailure"]


class BackgroundFailure(Strict):
    """A renewal process of failures and repairs on one or more components."""

    id: Id | None = Field(default=None, description="Optional id, for reports.")
    targets: list[str] = Field(min_length=1, description="Domain ids, or 'system/placement' for a single replica.")
    time_to_failure: DurationDist = Field(description="Up time before each failure (MTBF as the mean).")
    time_to_repair: DurationDist = Field(description="Repair time (MTTR as the mean), once a crew member starts.")
    crew: Id | None = Field(default=None, description="Team whose staff do repairs, one person each; unset: unlimited crews.")
    initial: Literal["new", "stationary"] = Field(
        default="new",
        description=(
            "'new': every target starts up, at the start of a fresh up time. 'stationary': as if it had been in "
            "service for ever: down with probability MTTR / (MTBF + MTTR), and the time left of its current period "
            "drawn from the residual-life distribution (what a long-run availability assumes)."
        ),
    )
    common_cause_beta: Probability = Field(
        default=0.0,
        description=(
            "Share of each target's failure rate that fails all targets at once (beta-factor model); "
            "needs an exponential time_to_failure."
        ),
    )

    @field_validator("targets")
    @classmethod
    def _distinct_targets(cls, targets: list[str]) -> list[str]:
        seen: set[str] = set()
        for target in targets:
            if target in seen:
                raise ValueError(f"{target!r} is listed twice: a component fails and is repaired as one")
            seen.add(target)
        return targets

    @field_validator("common_cause_beta")
    @classmethod
    def _beta_needs_constant_rate(cls, beta: float, info: ValidationInfo) -> float:
        ttf = info.data.get("time_to_failure")
        if beta > 0 and ttf is not None and not isinstance(ttf, Exponential):
            raise ValueError(
                f"common_cause_beta needs an exponential time_to_failure (the beta-factor model splits a constant "
                f"failure rate), not {ttf.dist}: write time_to_failure: {{dist: exponential, mean: ...}}"
            )
        return beta

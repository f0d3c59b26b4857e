"""Background random failures: components that fail and get repaired on their own, all run long.

Each target (a domain id, or ``system/placement`` for one replica) alternates between up periods
drawn from ``time_to_failure`` and repairs drawn from ``time_to_repair``. With a ``crew`` (a team)
repairs wait for a free member of that team, so components sharing one crew queue for it. A
``common_cause_beta`` share of the failure rate hits all targets at once (the beta-factor model).
"""

from __future__ import annotations

from pydantic import Field

from .common import Id, Probability, Strict
from .distributions import DurationDist

__all__ = ["BackgroundFailure"]


class BackgroundFailure(Strict):
    """A renewal process of failures and repairs on one or more components."""

    id: Id | None = Field(default=None, description="Optional id, for reports.")
    targets: list[str] = Field(min_length=1, description="Domain ids, or 'system/placement' for a single replica.")
    time_to_failure: DurationDist = Field(description="Up time before each failure (MTBF as the mean).")
    time_to_repair: DurationDist = Field(description="Repair time (MTTR as the mean), once a crew member starts.")
    crew: Id | None = Field(default=None, description="Team whose staff do repairs, one person each; unset: unlimited crews.")
    common_cause_beta: Probability = Field(
        default=0.0, description="Share of each target's failure rate that fails all targets at once (beta-factor model)."
    )

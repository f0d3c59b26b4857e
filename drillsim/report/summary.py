"""The headline numbers of a run and its score, from its :class:`~drillsim.engine.RunResult`.

Score (documented in the report itself)::

    score = 100 x (W_nothing - W_run) / W_nothing

where W is the grade-weighted unserved demand (sum over systems of grade weight x requests not
served, by the system or by its manual fallback). 100 means no citizen request went unserved;
0 means no better than doing nothing; it is negative when the run did worse than doing nothing.
The runbook (``auto`` policy) is scored the same way, as the benchmark.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.results import RunResult

__all__ = ["RunSummary", "run_summary", "score"]


def score(weighted_unserved: float, weighted_unserved_nothing: float) -> float | None:
    """100 x (W_nothing - W) / W_nothing (see the module docstring); None if doing nothing loses nothing."""
    if weighted_unserved_nothing <= 0:
        return None
    return 100.0 * (weighted_unserved_nothing - weighted_unserved) / weighted_unserved_nothing


@dataclass
class RunSummary:
    """The headline numbers of one run."""

    label: str
    policy: str
    seed: int
    ended_hours: float
    systems_affected: int
    downtime_hours: float
    """System-hours not serving, summed over every system."""
    grade1_downtime_hours: float
    unserved: float
    weighted_unserved: float
    fallback_served: float
    rto_breaches: int
    grade1_rto_breaches: int
    rpo_breaches: int
    data_lost: int
    down_at_end: int
    t50: float | None
    t90: float | None
    t100: float | None
    score: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in self.__dict__.items()}


def run_summary(label: str, result: "RunResult") -> RunSummary:
    """The headline numbers of ``result`` (score left unset: it needs the do-nothing run)."""
    m = result.metrics
    systems = result.systems.values()
    return RunSummary(
        label=label,
        policy=result.policy,
        seed=result.seed,
        ended_hours=result.ended_hours,
        systems_affected=m.systems_affected,
        downtime_hours=sum(s.downtime_hours for s in systems),
        grade1_downtime_hours=sum(s.downtime_hours for s in systems if s.grade == 1),
        unserved=m.unserved_demand,
        weighted_unserved=m.weighted_unserved_demand,
        fallback_served=m.fallback_served_demand,
        rto_breaches=m.rto_breaches,
        grade1_rto_breaches=m.grade1_rto_breaches,
        rpo_breaches=m.rpo_breaches,
        data_lost=len(m.data_lost_permanently),
        down_at_end=m.systems_down_at_end,
        t50=m.time_to_recover_hours.get("p50"),
        t90=m.time_to_recover_hours.get("p90"),
        t100=m.time_to_recover_hours.get("p100"),
    )

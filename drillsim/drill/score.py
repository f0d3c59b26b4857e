"""The drill's score against two baselines on the same seed: the runbook (``auto``) and doing nothing.

Same scenario, same seed, same random world: the only difference is who recovers. The team's
run is compared at the same moment (a drill still in progress is compared with the baselines run
to the same time), so the difference is what the team's decisions were worth, in hours of
downtime and in citizens' unserved requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..engine import RunResult, run_scenario
from .session import DrillSession

__all__ = ["Comparison", "SCORE_ROWS", "compare", "downtime_hours"]


def downtime_hours(result: RunResult) -> float:
    """System-hours not served, over the systems the run touched."""
    return sum(s.downtime_hours for s in result.systems.values())


def _p90(result: RunResult) -> float | None:
    return result.metrics.time_to_recover_hours.get("p90")


SCORE_ROWS: tuple[tuple[str, Callable[[RunResult], float | None], bool], ...] = (
    ("systems hit", lambda r: r.metrics.systems_affected, False),
    ("still not serving", lambda r: r.metrics.systems_down_at_end, True),
    ("grade-1 RTO breaches", lambda r: r.metrics.grade1_rto_breaches, True),
    ("RTO breaches", lambda r: r.metrics.rto_breaches, True),
    ("RPO breaches", lambda r: r.metrics.rpo_breaches, True),
    ("data lost for good (systems)", lambda r: len(r.metrics.data_lost_permanently), True),
    ("downtime (system-hours)", downtime_hours, True),
    ("unserved requests", lambda r: r.metrics.unserved_demand, True),
    ("grade-weighted unserved", lambda r: r.metrics.weighted_unserved_demand, True),
    ("served by manual fallback", lambda r: r.metrics.fallback_served_demand, False),
    ("time to 90 % recovery (h)", _p90, True),
)
"""Rows of the score table: name, how to read it from a result, and whether lower is better."""


@dataclass
class Comparison:
    """The team's run and the two baselines, over the same span of time."""

    team: RunResult
    auto: RunResult
    nothing: RunResult
    until: float
    """Hours simulated in all three."""

    def worth(self) -> list[str]:
        """What the team's decisions were worth, in sentences."""
        out = []
        for name, other in (("doing nothing", self.nothing), ("the runbook (auto policy)", self.auto)):
            hours = downtime_hours(other) - downtime_hours(self.team)
            requests = other.metrics.unserved_demand - self.team.metrics.unserved_demand
            better = "less" if hours >= 0 else "more"
            fewer = "fewer" if requests >= 0 else "more"
            out.append(
                f"Against {name}: {abs(hours):,.1f} system-hours of downtime {better}, "
                f"{abs(requests):,.0f} {fewer} unserved requests from citizens."
            )
        return out


def compare(session: DrillSession) -> Comparison:
    """Run the baselines on the session's scenario and seed, to the session's current time (or the end)."""
    team = session.result()
    until = session.sim.end if session.done else max(session.now, 1e-6)
    kwargs = {"seed": session.seed, "until": until}
    auto = run_scenario(session.loaded, policy="auto", **kwargs)
    nothing = run_scenario(session.loaded, policy="none", **kwargs)
    return Comparison(team, auto, nothing, until)

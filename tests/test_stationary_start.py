"""Background failures can start in their stationary state, which long-run availabilities assume."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import TypeAdapter

from drillsim.engine import run_scenario
from drillsim.model.distributions import DurationDist

from helpers import scenario_yaml

DISTS = [
    "3h",
    {"dist": "exponential", "mean": "10h"},
    {"dist": "weibull", "shape": 2, "mean": "1000h"},
    {"dist": "weibull", "shape": 0.7, "scale": "50h"},
    {"dist": "lognormal", "mean": "10h", "cv": 1.5},
    {"dist": "uniform", "low": "1h", "high": "3h"},
    {"dist": "triangular", "low": "1h", "mode": "2h", "high": "6h"},
]


@pytest.mark.parametrize("spec", DISTS, ids=lambda s: s if isinstance(s, str) else s["dist"])
def test_residual_life_has_the_renewal_theory_mean(spec):
    # The time left at a random moment has mean E[X^2] / (2 E[X]) (the inspection paradox).
    dist = TypeAdapter(DurationDist).validate_python(spec)
    rng = np.random.default_rng(11)
    x = np.array([dist.sample(rng) for _ in range(100_000)])
    r = np.array([dist.residual(rng) for _ in range(100_000)])
    expected = (x**2).mean() / (2 * x.mean())
    se = r.std() / np.sqrt(len(r)) + x.std() ** 2 / x.mean() / np.sqrt(len(x))
    assert abs(r.mean() - expected) < 5 * se
    assert r.min() >= 0


COMPONENT = """
id: wearout
start: 2025-01-06T00:00:00+00:00
horizon: 2000h
domains: [{{id: box}}]
teams: [{{id: ops, staff: 1}}]
systems:
  - {{id: app, team: ops, placements: [{{domains: [box]}}]}}
failures:
  - targets: [box]
    time_to_failure: {{dist: weibull, shape: 2, mean: 1000h}}
    time_to_repair: 100h
    initial: {initial}
"""


def _runs(initial: str, runs: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Availability of each run, and whether the component was down at time 0."""
    scenario = scenario_yaml(COMPONENT.format(initial=initial))
    results = [run_scenario(scenario, seed=s, record_events=False).system("app") for s in range(runs)]
    return np.array([r.availability for r in results]), np.array([r.first_down_hours == 0.0 for r in results])


def test_a_new_component_is_biased_up_and_a_stationary_one_is_not():
    # Over a horizon of two mean up times, a brand-new wear-out component is up for longer than
    # its long-run availability 1000/1100; one started in its stationary state is not.
    target = 1000 / 1100
    (new, new_down0), (stationary, stationary_down0) = _runs("new"), _runs("stationary")
    se_new = new.std(ddof=1) / np.sqrt(len(new))
    se_st = stationary.std(ddof=1) / np.sqrt(len(stationary))
    assert new.mean() - target > 4 * se_new
    assert abs(stationary.mean() - target) < 3.5 * se_st
    # A stationary start finds the component under repair at time 0 with probability 100/1100
    # (binomial sd over 400 runs: 0.014); a new one never.
    assert not new_down0.any()
    assert abs(stationary_down0.mean() - 100 / 1100) < 4 * 0.0144

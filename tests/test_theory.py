"""The engine against theory in CI: the built-in ``drillsim check`` cases, fewer replications, fixed seeds.

Each case runs through the real engine exactly as ``drillsim check`` runs it (same scenario,
same outputs read from RunResult), with fewer replications, so that the file costs about half a
minute of CPU (about 15 s on two cores with pytest -n 2).

Tolerance: the simulated mean must lie within ``TOLERANCE`` = 2 half-widths of its own 95 %
Student t interval of the theoretical value: about 4 standard errors for the 60-400-run cases,
4.7 for the 8-run and 5.1 for the 6-run queue cases. The seeds are fixed, so a test gives the
same answer every time; the margin is there so that a harmless change in how the engine draws
random numbers (which reshuffles every outcome) does not turn the suite red by chance: with 21
checks a 95 % criterion would then fail at least one about 66 % of the time; this one about 2 %
(computed from the t distribution for these run counts). The margin stays small enough to catch
real errors: for several cases the same runs must also reject a plausible wrong answer (two
crews instead of one, exponential instead of lognormal repairs, a perfect switchover, no common
cause, 1-out-of-3, a waiting room): see ``WRONG``.
"""

from __future__ import annotations

from functools import cache

import pytest

from drillsim.check import builtin_cases, run_cases, theory
from drillsim.check.runner import Outcome

SEED = 2024
TOLERANCE = 2.0
"""In half-widths of the 95 % interval of the test's own runs (see the module docstring)."""

RUNS = {
    "one-component": 120,
    "one-component-weibull-lognormal": 120,
    "parallel-two-crews": 150,
    "parallel-shared-crew": 150,
    "shared-crew-lognormal": 400,
    "series": 60,
    "two-out-of-three": 100,
    "active-standby": 100,
    "active-standby-servers": 100,
    "cold-standby": 100,
    "common-cause": 100,
    "backup-loss": 400,
    "backup-failures": 400,
    "erlang-c": 8,
    "erlang-b": 8,
    "queue-limit": 8,
    "erlang-a": 6,
}
"""Replications per case in CI (drillsim check uses each case's own, larger number)."""


@cache
def cases():
    return {case.name: case for case in builtin_cases()}


@cache
def outcomes(name: str) -> tuple[Outcome, ...]:
    (result,) = run_cases([cases()[name]], runs=RUNS[name], seed=SEED)
    return tuple(result)


def test_every_builtin_case_runs_in_ci():
    assert set(cases()) == set(RUNS)


WRONG = {
    "parallel-shared-crew": ("two crews", theory.parallel(1000, 10, 2)),
    "shared-crew-lognormal": ("exponential repairs", theory.shared_crew_pair(1000, 10)),
    "active-standby": ("a perfect switchover", theory.active_standby(1000, 10, 1, 1.0)),
    "common-cause": ("no common cause", theory.beta_factor_pair(1000, 10, 0.0)),
    "two-out-of-three": ("1-out-of-3", theory.k_out_of_n(1000, 10, 1, 3)),
    "erlang-b": ("a waiting room of 1", theory.mmck(5, 4.0, 1.0, 1, "blocked")),
    "backup-failures": ("backups that never fail", theory.backup_loss(24.0)),
    "cold-standby": ("a hot standby (failing while idle)", theory.cold_standby(100, 10, 1, 0.9, dormancy=1.0)),
}
"""Plausible wrong answers for some cases' first check: the test must be able to tell them apart."""


@pytest.mark.parametrize("name", sorted(RUNS))
def test_case_matches_theory(name):
    results = outcomes(name)
    for o in results:
        assert abs(o.mean - o.theory) <= TOLERANCE * o.half_width, (
            f"{o.case} {o.label}: simulated {o.mean:.6g} [{o.low:.6g}, {o.high:.6g}] vs theory {o.theory:.6g} ({o.theory_text}), z = {o.z:+.2f}"
        )
        # Not vacuous: within 20 % of the value (the mean wait at 90 % load is the noisiest output, about 16 %).
        assert o.half_width < 0.2 * abs(o.theory), f"{o.case} {o.label}: the interval is too wide to mean anything"
    if name in WRONG:  # the same runs must reject a plausible wrong model
        what, wrong = WRONG[name]
        o = results[0]
        assert abs(o.mean - wrong) > TOLERANCE * o.half_width, f"{name}: cannot tell the model from one with {what}"

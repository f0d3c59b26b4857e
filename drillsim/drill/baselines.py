"""The baselines a drill is measured against: the same seed played by the runbook and by doing nothing.

The after-action report compares the team's run with two runs of the same scenario and seed to
the same end: the runbook (``auto`` policy) and nobody acting (``none``). The report only reads
:class:`~drillsim.engine.RunResult`\\ s; the runs themselves are made here, in the layer that
drives the engine (the drill app, ``drillsim report`` and the tests call :func:`run_baselines`).
"""

from __future__ import annotations

from typing import Iterable

from ..engine import RunResult, run_scenario
from ..model.loading import LoadedScenario
from ..model.scenario import Scenario

__all__ = ["run_baselines", "BASELINE_POLICIES"]

BASELINE_POLICIES = ("auto", "none")
"""The runbook and doing nothing."""


def run_baselines(
    scenario: Scenario | LoadedScenario, seed: int, until: float | None = None, policies: Iterable[str] = BASELINE_POLICIES
) -> dict[str, RunResult]:
    """The same seed played by the runbook (``auto``) and by doing nothing (``none``), to ``until`` (default: the horizon)."""
    return {p: run_scenario(scenario, seed=seed, policy=p, until=until) for p in policies}

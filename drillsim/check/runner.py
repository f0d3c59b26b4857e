"""Running validation cases: independent replications, a t confidence interval, pass or fail.

Replication k of case C runs the case's scenario through the engine (:class:`Simulation`, auto
policy, no event journal) with a seed derived from (base seed, C, k) alone
(:func:`drillsim.replication.keyed_seed`), so the numbers do not depend on how many runs or
worker processes (:class:`drillsim.replication.WorkerPool`) there are. Each check's per-run
values x_1..x_n give the mean and the Student t interval mean +- t_{0.975, n-1} s / sqrt(n)
(:func:`drillsim.replication.mean_interval`); the check passes when the theoretical value lies
inside the interval.

A 95 % interval misses a true value one time in twenty: over a dozen checks, a different
``--seed`` will now and then fail one by chance. A failure to look into is one that persists
across seeds, or lies many half-widths away (``z`` in the outcome: the distance in standard
errors).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np

from ..engine.simulation import Simulation
from ..model.diagnostics import DrillsimError
from ..replication.intervals import mean_interval
from ..replication.pool import WorkerPool, default_jobs
from ..replication.seeds import keyed_seed
from .cases import Case, measure

__all__ = ["Outcome", "run_seed", "replicate", "summarize", "run_cases"]


@dataclass(frozen=True)
class Outcome:
    """One check's verdict: the simulated mean, its confidence interval, and the theoretical value."""

    case: str
    label: str
    output: str
    runs: int
    mean: float
    low: float
    high: float
    theory: float
    theory_text: str
    confidence: float
    stderr: float

    @property
    def passed(self) -> bool:
        """Whether the theoretical value lies in the interval."""
        tol = 1e-12 * max(1.0, abs(self.theory))  # a degenerate interval (every run equal) still matches exact theory
        return self.low - tol <= self.theory <= self.high + tol

    @property
    def half_width(self) -> float:
        """Half the interval's width."""
        return (self.high - self.low) / 2.0

    @property
    def z(self) -> float:
        """(mean - theory) / standard error: how far theory is, in standard errors."""
        if self.stderr == 0:
            return 0.0 if self.mean == self.theory else math.copysign(math.inf, self.mean - self.theory)
        return (self.mean - self.theory) / self.stderr


def run_seed(seed: int, case: str, k: int) -> int:
    """The seed of replication ``k`` of ``case`` under base ``seed`` (:func:`drillsim.replication.keyed_seed`)."""
    return keyed_seed(seed, case, k)


def replicate(case: Case, runs: Iterable[int], seed: int) -> list[list[float]]:
    """Run replications ``runs`` of ``case``; per replication, the value of each check."""
    out = []
    for k in runs:
        result = Simulation(case.scenario, seed=run_seed(seed, case.name, k), record_events=False).run()
        out.append([measure(result, check.system, check.output) for check in case.checks])
    return out


def summarize(case: Case, values: Sequence[Sequence[float]], confidence: float = 0.95) -> list[Outcome]:
    """The outcome of each check from its per-replication values."""
    data = np.asarray(values, dtype=float)
    n = data.shape[0]
    if n < 2:
        raise DrillsimError(f"{case.name}: a confidence interval needs at least 2 runs, got {n}")
    outcomes = []
    for j, check in enumerate(case.checks):
        column = data[:, j]
        bad = int(np.isnan(column).sum())
        if bad:
            raise DrillsimError(f"{case.name}: {check.label}: {bad} of {n} runs did not produce a value (no failure, or no callers)")
        interval = mean_interval(column, confidence)
        assert interval.low is not None and interval.high is not None and interval.stderr is not None  # n >= 2
        outcomes.append(
            Outcome(case.name, check.label, check.output, n, interval.mean, interval.low, interval.high, check.theory, check.theory_text, confidence, interval.stderr)
        )
    return outcomes


# Worker processes keep the cases they were given (compiled once per process).
_WORKER_CASES: list[Case] = []


def _init_worker(cases: list[Case]) -> None:
    global _WORKER_CASES
    _WORKER_CASES = cases


def _work(index: int, start: int, stop: int, seed: int) -> tuple[int, int, list[list[float]]]:
    return index, start, replicate(_WORKER_CASES[index], range(start, stop), seed)


def run_cases(
    cases: Sequence[Case],
    runs: int | None = None,
    seed: int = 0,
    jobs: int = 1,
    confidence: float = 0.95,
    on_progress: Callable[[Case, int], None] | None = None,
    chunk: int = 10,
) -> list[list[Outcome]]:
    """Run every case (``runs`` replications each, default the case's own) and judge its checks.

    ``jobs`` > 1 spreads chunks of ``chunk`` replications over worker processes; the results are
    the same for any ``jobs``. ``on_progress(case, n)`` is called as ``n`` more replications of a
    case finish.
    """
    if jobs < 1:
        raise DrillsimError(f"--jobs must be at least 1, got {jobs}")
    counts = [runs if runs is not None else case.runs for case in cases]
    for case, n in zip(cases, counts):
        if n < 2:
            raise DrillsimError(f"{case.name}: --runs must be at least 2 (a confidence interval needs two runs), got {n}")
    values: list[list[list[float] | None]] = [[None] * n for n in counts]
    if jobs == 1:
        for index, (case, n) in enumerate(zip(cases, counts)):
            for start in range(0, n, chunk):
                stop = min(n, start + chunk)
                values[index][start:stop] = replicate(case, range(start, stop), seed)
                if on_progress is not None:
                    on_progress(case, stop - start)
    else:
        tasks = [(index, start, min(n, start + chunk), seed) for index, n in enumerate(counts) for start in range(0, n, chunk)]
        # Forked on Linux (the workers start with the loaded cases), spawned elsewhere: the pool drillsim batch uses.
        workers = min(jobs, default_jobs(), len(tasks))
        with WorkerPool(workers, _init_worker, (list(cases),)) as pool:
            for index, start, rows in pool.unordered(_work, tasks):
                values[index][start : start + len(rows)] = rows
                if on_progress is not None:
                    on_progress(cases[index], len(rows))
    return [summarize(case, rows, confidence) for case, rows in zip(cases, values)]  # type: ignore[arg-type]

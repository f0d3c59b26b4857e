"""Running the simulations: the losses of many variants over the same seeds.

:meth:`LossRunner.simulate` (and its one-off wrapper :func:`simulate_losses`) is the one entry
point the analysis calls; it is kept small so it can be switched to the batch runner's API
(:mod:`drillsim.batch`) once that is in place. For now it runs
:func:`drillsim.engine.run_scenario` itself: run ``i`` of every variant uses seed ``seed + i``
(common random numbers: the baseline and every option face the same random world run by run),
with ``record_events=False``. With ``jobs > 1`` the work goes to a pool of processes, kept for the
whole analysis, one task per variant (split by seeds when there are fewer variants than
workers); each worker builds the variants it is sent from the plain data of a
:class:`~drillsim.invest.variants.VariantBuilder` it received once. Results do not
depend on the number of jobs.
"""

from __future__ import annotations

import math
import os
from collections import OrderedDict
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Callable, Sequence

import numpy as np

from ..engine import run_scenario
from ..model.diagnostics import DrillsimError, ScenarioError
from ..model.scenario import Scenario
from .loss import COMPONENTS, run_loss
from .variants import Variant, VariantBuilder

__all__ = ["LossRunner", "simulate_losses", "default_jobs"]

_builder: VariantBuilder | None = None
_cache: "OrderedDict[Variant, Scenario]" = OrderedDict()
_CACHE_SIZE = 4


def default_jobs() -> int:
    """The number of processes used for ``--jobs 0``: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _install(builder: VariantBuilder) -> None:
    global _builder
    _builder = builder
    _cache.clear()


def _scenario(variant: Variant) -> Scenario:
    scenario = _cache.get(variant)
    if scenario is None:
        assert _builder is not None
        scenario = _builder.build(variant)
        _cache[variant] = scenario
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    else:
        _cache.move_to_end(variant)
    return scenario


def _run_chunk(variant: Variant, seeds: Sequence[int]) -> np.ndarray | str:
    """Loss components of ``variant`` for each seed, shape ``(len(seeds), 3)``; an error's text on failure."""
    try:
        scenario = _scenario(variant)
        assert _builder is not None
        out = np.empty((len(seeds), len(COMPONENTS)))
        for row, seed in enumerate(seeds):
            played = _builder.for_run(scenario, variant.threat, seed)
            result = run_scenario(played, seed=seed, policy="auto", record_events=False)
            out[row] = run_loss(result, played).as_array()
        return out
    except ScenarioError as exc:
        return str(exc)
    except DrillsimError as exc:
        return f"{variant.describe()}: {exc}"


class LossRunner:
    """Runs variants in this process (``jobs == 1``) or in a pool of processes kept for its lifetime.

    Use as a context manager so the pool is shut down; :meth:`simulate` may be called many times
    (the greedy search does, once per round) without paying for a new pool each time.
    """

    def __init__(self, builder: VariantBuilder, jobs: int = 1):
        self.builder = builder
        self.jobs = default_jobs() if jobs <= 0 else jobs
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "LossRunner":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Shut the pool down (cancelling what has not started)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _tasks(self, variants: list[Variant], seeds: list[int]) -> list[tuple[Variant, list[int]]]:
        # A task is a whole variant (built once, then all its runs) unless there are fewer
        # variants than workers; then variants are split so every worker has work.
        pieces = 1 if len(variants) >= self.jobs else math.ceil(self.jobs / len(variants))
        size = max(1, math.ceil(len(seeds) / pieces))
        return [(v, seeds[i : i + size]) for v in variants for i in range(0, len(seeds), size)]

    def simulate(
        self,
        variants: Sequence[Variant],
        runs: int,
        seed: int = 0,
        progress: Callable[[int], None] | None = None,
    ) -> dict[Variant, np.ndarray]:
        """The loss components of every variant for runs ``0 .. runs-1`` (seeds ``seed + i``).

        Returns ``variant -> array (runs, 3)`` with columns :data:`~drillsim.invest.loss.COMPONENTS`.
        ``progress`` is called with the number of runs just finished. A variant that does not
        validate raises :class:`~drillsim.model.diagnostics.DrillsimError`.
        """
        seeds = [seed + i for i in range(runs)]
        variants = list(dict.fromkeys(variants))
        if not variants:
            return {}
        tasks = self._tasks(variants, seeds)
        parts: dict[Variant, list[tuple[int, np.ndarray]]] = {v: [] for v in variants}

        def take(variant: Variant, part: list[int], out: np.ndarray | str) -> None:
            if isinstance(out, str):
                raise DrillsimError(out)
            parts[variant].append((part[0], out))
            if progress:
                progress(len(part))

        if self.jobs == 1 or len(tasks) == 1:
            _install(self.builder)
            for variant, part in tasks:
                take(variant, part, _run_chunk(variant, part))
        else:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_install, initargs=(self.builder,))
            pending = {self._pool.submit(_run_chunk, v, part): (v, part) for v, part in tasks}
            try:
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        variant, part = pending.pop(future)
                        take(variant, part, future.result())
            except BaseException:
                for future in pending:
                    future.cancel()
                raise
        return {v: np.concatenate([a for _, a in sorted(parts[v], key=lambda x: x[0])]) for v in variants}


def simulate_losses(
    builder: VariantBuilder,
    variants: Sequence[Variant],
    runs: int,
    seed: int = 0,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> dict[Variant, np.ndarray]:
    """The loss components of ``variants`` over runs ``0 .. runs-1`` (seeds ``seed + i``): one-off use of :class:`LossRunner`."""
    with LossRunner(builder, jobs) as runner:
        return runner.simulate(variants, runs, seed, progress)

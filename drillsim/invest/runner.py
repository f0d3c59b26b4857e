"""Running the simulations: the losses of many variants over the same seeds.

:func:`simulate_losses` is the one function the analysis calls; it is kept small so it can be
switched to the batch runner's API (:mod:`drillsim.batch`) once that is in place. For now it runs
:func:`drillsim.engine.run_scenario` itself: run ``i`` of every variant uses seed ``seed + i``
(common random numbers: the baseline and every option face the same random world run by run),
with ``record_events=False``. With ``jobs > 1`` the work goes to a pool of processes in chunks
(one variant, several seeds each), each worker building the variants it is sent from the plain
data of a :class:`~drillsim.invest.variants.VariantBuilder` it received once. Results do not
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

__all__ = ["simulate_losses", "default_jobs"]

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


def simulate_losses(
    builder: VariantBuilder,
    variants: Sequence[Variant],
    runs: int,
    seed: int = 0,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    chunk: int | None = None,
) -> dict[Variant, np.ndarray]:
    """The loss components of every variant for runs ``0 .. runs-1`` (seeds ``seed + i``).

    Returns ``variant -> array (runs, 3)`` with columns :data:`~drillsim.invest.loss.COMPONENTS`.
    ``progress`` is called with the number of runs just finished. Errors (a variant that does not
    validate) are raised as :class:`~drillsim.model.diagnostics.DrillsimError`.
    """
    seeds = [seed + i for i in range(runs)]
    variants = list(dict.fromkeys(variants))
    if not variants:
        return {}
    jobs = default_jobs() if jobs <= 0 else jobs
    if chunk is None:
        # Enough chunks to keep every worker busy to the end, none so small that overhead dominates.
        chunk = max(1, min(runs, math.ceil(len(variants) * runs / (4 * jobs))))
    tasks = [(v, seeds[i : i + chunk]) for v in variants for i in range(0, runs, chunk)]
    parts: dict[Variant, list[tuple[int, np.ndarray]]] = {v: [] for v in variants}
    if jobs == 1 or len(tasks) == 1:
        _install(builder)
        for variant, part in tasks:
            out = _run_chunk(variant, part)
            if isinstance(out, str):
                raise DrillsimError(out)
            parts[variant].append((part[0], out))
            if progress:
                progress(len(part))
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), initializer=_install, initargs=(builder,)) as pool:
            pending = {pool.submit(_run_chunk, v, part): (v, part) for v, part in tasks}
            try:
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        variant, part = pending.pop(future)
                        out = future.result()
                        if isinstance(out, str):
                            raise DrillsimError(out)
                        parts[variant].append((part[0], out))
                        if progress:
                            progress(len(part))
            except BaseException:
                for future in pending:
                    future.cancel()
                raise
    return {v: np.concatenate([a for _, a in sorted(parts[v], key=lambda x: x[0])]) for v in variants}

"""What runs on a worker: a chunk of replications of one scenario, returned as compact rows.

A task (:class:`ChunkTask`) names a scenario by its key, a range of run indices and the batch's
settings; it never carries the scenario itself. The scenario reaches a worker once (inherited by a
forked process, sent to a pool's initializer, scattered to Dask workers, put in Ray's object
store) and is compiled once per worker (:func:`compiled_for`, a small LRU cache), so every later
chunk of that scenario starts at once. A run that raises is recorded with its seed and error
(:meth:`~drillsim.batch.rows.RowBuilder.add_error`) and the chunk goes on.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from ..engine import CompiledModel, RunResult, Simulation, compile_scenario
from ..model.scenario import Scenario
from ..replication.seeds import replication_seed
from .rows import RowBuilder, time_grid

__all__ = ["ChunkTask", "ChunkResult", "install", "compiled_for", "is_cached", "run_chunk", "run_one"]

_CACHE_SIZE = 8


@dataclass(frozen=True, slots=True)
class ChunkTask:
    """Runs ``start`` .. ``stop - 1`` of the scenario ``key`` (a few bytes to send)."""

    key: str
    """The variant key: identifies the scenario version and the batch settings."""
    start: int
    stop: int
    seed: int
    """The batch's root seed (run ``i`` uses :func:`~drillsim.replication.seeds.replication_seed`)."""
    policy: str
    until: float | None
    grid_end: float
    grid_points: int
    system_rows: bool
    scenario_hash: str | None = None

    @property
    def size(self) -> int:
        """Number of runs in the chunk."""
        return self.stop - self.start


@dataclass(slots=True)
class ChunkResult:
    """The rows of a finished chunk and how long its runs took."""

    task: ChunkTask
    runs: pa.Table
    systems: pa.Table | None
    seconds: float
    failed: int


_PAYLOADS: dict[str, Scenario] = {}
_COMPILED: "OrderedDict[str, CompiledModel]" = OrderedDict()


def install(payloads: dict[str, Scenario]) -> None:
    """Make scenarios available to this process by key (a worker pool's initializer)."""
    _PAYLOADS.update(payloads)


def is_cached(key: str) -> bool:
    """Whether this process has the scenario ``key`` compiled already."""
    return key in _COMPILED


def compiled_for(key: str, scenario: Scenario | None = None) -> CompiledModel:
    """The compiled model of scenario ``key`` (compiled on first use, then cached)."""
    compiled = _COMPILED.get(key)
    if compiled is not None:
        _COMPILED.move_to_end(key)
        return compiled
    if scenario is None:
        scenario = _PAYLOADS.get(key)
    if scenario is None:
        raise RuntimeError(f"scenario {key} was not sent to this worker")
    compiled = compile_scenario(scenario)
    _COMPILED[key] = compiled
    while len(_COMPILED) > _CACHE_SIZE:
        _COMPILED.popitem(last=False)
    return compiled


def run_one(compiled: CompiledModel, seed: int, task: ChunkTask) -> RunResult:
    """One replication, headless, without an event journal (the coordinator checked the run's size)."""
    sim = Simulation(compiled, seed=seed, policy=task.policy, record_events=False, until=task.until, scenario_hash=task.scenario_hash, allow_large=True)
    return sim.run()


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def run_chunk(task: ChunkTask, scenario: Any = None) -> ChunkResult:
    """Run a chunk of replications and return its rows (never raises for a failing run)."""
    started = time.perf_counter()
    builder = RowBuilder(time_grid(task.grid_end, task.grid_points), system_rows=task.system_rows)
    failed = 0
    try:
        compiled = compiled_for(task.key, scenario)
    except Exception as exc:  # noqa: BLE001 - recorded against every run of the chunk
        error = f"cannot compile the scenario: {_describe(exc)}"
        for run in range(task.start, task.stop):
            builder.add_error(run, replication_seed(task.seed, run), error)
        runs, systems = builder.tables()
        return ChunkResult(task, runs, systems, time.perf_counter() - started, task.size)
    for run in range(task.start, task.stop):
        seed = replication_seed(task.seed, run)
        try:
            result = run_one(compiled, seed, task)
        except Exception as exc:  # noqa: BLE001 - a failing run is recorded, the batch goes on
            builder.add_error(run, seed, _describe(exc))
            failed += 1
            continue
        builder.add(run, seed, result)
    runs, systems = builder.tables()
    return ChunkResult(task, runs, systems, time.perf_counter() - started, failed)

"""The batch runner: plan what is missing, run it in chunks, save each chunk as it arrives.

:func:`run_batch` loads the variants, looks in the output folder for chunks already saved (the
same command finds the same chunk keys: see :mod:`drillsim.batch.store`), plans the missing runs
into chunks and hands them to a backend. Chunks are sized from the measured time per run (about
:data:`TARGET_CHUNK_SECONDS` each, and small enough that every worker gets several), run in
ascending run order across variants (so an interrupted comparison stays paired), and saved one by
one. Nothing but counters stays in memory until the end, when the run rows are read back.
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from collections import deque
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import pyarrow as pa

from ..model.diagnostics import DrillsimError
from ..model.loss import loss_rates
from ..replication.seeds import MAX_ROOT_SEED
from .backends import BACKENDS, Backend, LocalBackend, make_backend
from .result import BatchResult, VariantInfo
from .rows import DEFAULT_GRID_POINTS
from .store import ChunkStore
from .variants import ResolvedVariant, VariantSpec, resolve_variants, variant_key
from .worker import ChunkResult, ChunkTask

__all__ = ["run_batch", "Planner", "TARGET_CHUNK_SECONDS", "POLICIES"]

TARGET_CHUNK_SECONDS = 2.0
"""How long a chunk should take on a worker (far above any backend's per-task cost)."""

MAX_CHUNK = 2000
POLICIES = ("auto", "none")

ProgressArg = bool | Callable[[int, int], None] | None

HOLD_ENV = "DRILLSIM_TEST_HOLD_AFTER_CHUNK"
"""Test hook (environment variable holding a file path): after saving its first chunk, the batch
creates that file and waits there for a signal (Ctrl-C, a kill), at most :data:`HOLD_SECONDS`.
Tests of resuming use it to interrupt a batch at a known point instead of racing the clock."""

HOLD_SECONDS = 120.0


def _hold_for_signal(marker: str) -> None:
    """Announce a saved chunk through ``marker`` and wait for the signal the test sends."""
    tmp = Path(marker + ".tmp")
    tmp.write_text(str(os.getpid()))
    tmp.replace(marker)
    deadline = time.monotonic() + HOLD_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)


class Planner:
    """Cuts the missing runs of every variant into chunks, sized from the observed time per run."""

    def __init__(
        self,
        missing: dict[str, list[tuple[int, int]]],
        templates: dict[str, ChunkTask],
        workers: int,
        chunk_size: int | None = None,
        target_seconds: float = TARGET_CHUNK_SECONDS,
        first_chunk: int = 2,
    ):
        self.queues = {key: deque(ranges) for key, ranges in missing.items() if ranges}
        self.order = list(templates)
        self.templates = templates
        self.workers = max(1, workers)
        self.fixed = chunk_size
        self.target = target_seconds
        self.first = first_chunk
        self.unplanned = sum(b - a for ranges in missing.values() for a, b in ranges)
        self.per_run: float | None = None

    def size(self) -> int:
        """Runs in the next chunk."""
        if self.fixed:
            return self.fixed
        size = self.first if self.per_run is None else int(self.target / max(self.per_run, 1e-6))
        fair = math.ceil(self.unplanned / (self.workers * 4))  # every worker gets several chunks
        return max(1, min(size, fair, MAX_CHUNK))

    def next(self) -> ChunkTask | None:
        """The next chunk: the lowest missing run index over all variants (None: all planned)."""
        best = None
        for key in self.order:
            queue = self.queues.get(key)
            if queue and (best is None or queue[0][0] < self.queues[best][0][0]):
                best = key
        if best is None:
            return None
        queue = self.queues[best]
        start, stop = queue[0]
        end = min(stop, start + self.size())
        if end == stop:
            queue.popleft()
        else:
            queue[0] = (end, stop)
        self.unplanned -= end - start
        return replace(self.templates[best], start=start, stop=end)

    def observe(self, result: ChunkResult) -> None:
        """Learn the time per run from a finished chunk."""
        per_run = result.seconds / max(1, result.task.size)
        self.per_run = per_run if self.per_run is None else 0.7 * self.per_run + 0.3 * per_run


def _ranges(mask: np.ndarray) -> list[tuple[int, int]]:
    """Contiguous runs of False in ``mask`` as [start, stop) ranges."""
    out = []
    missing = np.flatnonzero(~mask)
    if len(missing) == 0:
        return out
    breaks = np.flatnonzero(np.diff(missing) > 1)
    starts = np.concatenate([[missing[0]], missing[breaks + 1]])
    stops = np.concatenate([missing[breaks] + 1, [missing[-1] + 1]])
    return [(int(a), int(b)) for a, b in zip(starts, stops)]


class _Progress:
    """A rich progress bar with an ETA on stderr, a callback, or nothing."""

    def __init__(self, progress: ProgressArg, total: int, done: int, label: str):
        self.callback = progress if callable(progress) else None
        self.total = total
        self.done = done
        self.bar: Any = None
        if progress is True:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("runs  {task.fields[rate]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self.task = self.bar.add_task(label, total=total, completed=done, rate="")
        self.started = time.perf_counter()
        self.executed = 0

    def __enter__(self) -> "_Progress":
        if self.bar is not None:
            self.bar.start()
        if self.callback is not None:
            self.callback(self.done, self.total)
        return self

    def advance(self, n: int) -> None:
        self.done += n
        self.executed += n
        if self.bar is not None:
            elapsed = time.perf_counter() - self.started
            rate = f"{self.executed / elapsed:,.1f}/s" if elapsed > 0 else ""
            self.bar.update(self.task, advance=n, rate=rate)
        if self.callback is not None:
            self.callback(self.done, self.total)

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()


def _check(runs: Any, seed: Any, jobs: Any, policy: Any, until: Any, chunk_size: Any, grid_points: Any) -> None:
    def whole(value: Any) -> bool:
        return isinstance(value, (int, np.integer)) and not isinstance(value, bool)

    if not whole(runs) or runs < 1:
        raise DrillsimError(f"runs must be a whole number of at least 1, got {runs!r}")
    if not whole(seed) or not 0 <= seed <= MAX_ROOT_SEED:
        raise DrillsimError(f"seed must be a whole number from 0 to {MAX_ROOT_SEED}, got {seed!r}")
    if jobs is not None and (not whole(jobs) or jobs < 1):
        raise DrillsimError(f"jobs must be a whole number of at least 1, got {jobs!r}")
    if policy not in POLICIES:
        raise DrillsimError(f"policy must be one of {', '.join(POLICIES)} (batches run headless), got {policy!r}")
    if until is not None and (not isinstance(until, (int, float)) or isinstance(until, bool) or not until > 0):
        raise DrillsimError(f"until must be a positive number of hours, got {until!r}")
    if chunk_size is not None and (not whole(chunk_size) or chunk_size < 1):
        raise DrillsimError(f"chunk_size must be a whole number of at least 1, got {chunk_size!r}")
    if not whole(grid_points) or grid_points < 2:
        raise DrillsimError(f"grid_points must be a whole number of at least 2, got {grid_points!r}")


def run_batch(
    scenarios: Sequence[VariantSpec] | Sequence[ResolvedVariant],
    runs: int,
    seed: int = 0,
    *,
    jobs: int | None = None,
    backend: str | Backend = "local",
    address: str | None = None,
    out: str | Path | None = None,
    progress: ProgressArg = False,
    policy: str = "auto",
    until: float | None = None,
    chunk_size: int | None = None,
    system_rows: bool = True,
    fresh: bool = False,
    grid_points: int = DEFAULT_GRID_POINTS,
    allow_large: bool = False,
) -> BatchResult:
    """Run ``runs`` replications of every variant and return the rows and statistics.

    Args:
        scenarios: the variants, baseline first (see :func:`~drillsim.batch.variants.resolve_variants`:
            paths, loaded scenarios, :class:`~drillsim.batch.Variant` or ``(name, patches)`` tuples).
        runs: replications per variant; run ``i`` of every variant uses the same seed.
        seed: the root seed (see :mod:`drillsim.replication.seeds`).
        jobs: worker processes for the local backend, or local-cluster workers for dask/ray
            (default: the number of CPUs).
        backend: ``local``, ``dask``, ``ray``, or a :class:`~drillsim.batch.backends.Backend`.
        address: the dask scheduler or ray cluster to use (default: start a local one).
        out: folder for the chunk files; with the same arguments, a second call runs only the
            runs that are missing there (resume after an interruption, or more runs). None: a
            temporary folder, removed when the result is garbage-collected.
        progress: True for a progress bar on stderr, or a callback ``(done, total)``.
        policy: ``auto`` (runbooks) or ``none`` (nobody recovers: the do-nothing baseline).
        until: stop every run after this many hours (default: the scenario's horizon).
        chunk_size: runs per task (default: sized to about two seconds of work).
        system_rows: keep per-system rows (needed for per-system statistics and ``system_loss``).
        fresh: discard chunks saved earlier for these variants and start again.
        grid_points: points of the time grid the recovery curves are sampled on.
        allow_large: simulate per-request queues even when millions of callers are expected
            (otherwise such a variant is refused before any run starts).

    Raises:
        DrillsimError: bad arguments, an invalid scenario, an output folder in use, or a worker
            that died (everything finished before it is saved; call again to go on).
        KeyboardInterrupt: interrupted; everything finished before is saved.
    """
    _check(runs, seed, jobs, policy, until, chunk_size, grid_points)
    if isinstance(backend, str) and backend not in BACKENDS:
        raise DrillsimError(f"unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}")
    runs, seed = int(runs), int(seed)
    until = float(until) if until is not None else None
    if scenarios and all(isinstance(s, ResolvedVariant) for s in scenarios):
        resolved = list(scenarios)  # type: ignore[arg-type]
    else:
        resolved = resolve_variants(scenarios)  # type: ignore[arg-type]
    names = [v.name for v in resolved]
    if not allow_large:
        from ..model.workload import arrivals_problem

        for v in resolved:
            problem = arrivals_problem(v.scenario, until)
            if problem is not None:
                raise DrillsimError(f"variant {v.name}: {problem}")
    if len(set(names)) != len(names):
        raise DrillsimError(f"variant names must be unique, got {', '.join(names)}")
    backend_obj = make_backend(backend, jobs, address) if isinstance(backend, str) else backend

    tempdir = None
    if out is None:
        tempdir = tempfile.TemporaryDirectory(prefix="drillsim-batch-")
        root = Path(tempdir.name)
    else:
        root = Path(out)
        if root.exists() and not root.is_dir():
            raise DrillsimError(f"--out {root} is a file, not a folder")
    store = ChunkStore(root)
    store.lock()
    started = time.perf_counter()
    try:
        infos: list[VariantInfo] = []
        templates: dict[str, ChunkTask] = {}
        missing: dict[str, list[tuple[int, int]]] = {}
        payloads = {}
        reused = 0
        for v in resolved:
            horizon = v.scenario.horizon
            end = min(horizon, until) if until is not None else horizon
            key = variant_key(v, seed=seed, policy=policy, until=until, grid_points=grid_points, system_rows=system_rows)
            if key in templates:
                raise DrillsimError(f"variants {names[list(templates).index(key)]!r} and {v.name!r} are the same scenario")
            info = VariantInfo(
                v.name, v.scenario.id, v.scenario.name, v.content_hash, key, v.origin, end, len(v.scenario.systems),
                {s.id: s.label for s in v.scenario.systems},
                loss_rates(v.scenario),
            )
            infos.append(info)
            if fresh:
                store.clear(key)
            store.describe(key, {**info.as_dict(), "seed": seed, "policy": policy, "until_hours": until, "grid_points": grid_points, "system_rows": system_rows})
            mask = store.done_mask(key, runs)
            reused += int(mask.sum())
            missing[key] = _ranges(mask)
            templates[key] = ChunkTask(key, 0, 0, seed, policy, until, end, grid_points, system_rows, v.content_hash)
            if missing[key]:
                payloads[key] = v.scenario
        executed = 0
        if payloads:
            total = runs * len(resolved)
            if isinstance(backend, str) and isinstance(backend_obj, LocalBackend):
                missing_total = sum(b - a for ranges in missing.values() for a, b in ranges)
                backend_obj.jobs = max(1, min(backend_obj.jobs, missing_total))  # no idle processes
            label = ", ".join(names)
            if len(label) > 40:
                label = f"{names[0][:30]} +{len(names) - 1}" if len(names) > 1 else names[0][:40]
            try:
                backend_obj.start(payloads)
                planner = Planner(missing, templates, backend_obj.workers, chunk_size)
                hold = os.environ.get(HOLD_ENV)
                with _Progress(progress, total, reused, label) as bar:
                    for result in backend_obj.run(planner.next):
                        store.write(result)
                        if hold:
                            _hold_for_signal(hold)
                            hold = None
                        planner.observe(result)
                        executed += result.task.size
                        bar.advance(result.task.size)
            except BaseException:
                backend_obj.close(cancel=True)
                raise
            backend_obj.close()
        tables = []
        for info in infos:
            table = store.read_runs(info.key, runs)
            if table.num_rows != runs:
                raise DrillsimError(f"variant {info.name}: expected {runs} saved runs, found {table.num_rows}")
            tables.append(table.add_column(0, "variant", pa.array([info.name] * table.num_rows, pa.string())))
        rows = pa.concat_tables(tables)
    except BaseException:
        store.unlock()
        if tempdir is not None:
            tempdir.cleanup()
        raise
    store.unlock()
    return BatchResult(
        variants=infos,
        runs=runs,
        seed=seed,
        policy=policy,
        until=until,
        grid_points=grid_points,
        rows=rows,
        store=store,
        out=None if tempdir is not None else root,
        executed=executed,
        reused=reused,
        seconds=time.perf_counter() - started,
        backend=backend_obj.name,
        workers=backend_obj.workers,
        system_rows=system_rows,
        tempdir=tempdir,
    )

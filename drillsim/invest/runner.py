"""Running the simulations: the losses of many variants over the same runs, through the batch runner.

:meth:`LossRunner.simulate` is the one entry point the analysis calls. It hands the variants to
:func:`drillsim.batch.run_batch` (common random numbers: run ``i`` of every variant uses the same
seed, :func:`drillsim.batch.replication_seed` of the root seed and ``i``; local processes, Dask or
Ray; chunk files, so a run with ``out`` resumes after an interruption) and reads each run's loss
back with :meth:`drillsim.batch.BatchResult.scenario_loss`, which applies the same formula as
the model's loss formula (:mod:`drillsim.model.loss`) to the batch's per-system rows, and the run rows' counts of
grade-1 RTO breaches and of systems whose data was lost for good
(:meth:`drillsim.batch.BatchResult.metric`), into one :class:`~drillsim.invest.runs.RunRecords`
per variant.

Variants are built (merged and validated) here, in this process, and sent in groups of a few
per worker, so memory holds only one group's scenarios at a time. Each gets a content hash made
of its threat's document hash and the option patches applied, so the batch's chunk files (with
``out``) are reused only for the very same inputs.

Runs are added, never redone: the chunk files live in ``out`` or, without it, in a temporary
folder kept while the runner is open, and asking for more runs of a variant (sequential
replication: :mod:`drillsim.invest.sequential`) runs only the new ones (the batch resumes), run
``i`` always with the seed of run ``i``.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..batch import ResolvedVariant, run_batch
from ..model.diagnostics import DrillsimError
from ..model.loading import scenario_hash
from ..model.loss import COMPONENTS
from ..model.yamlio import to_plain
from ..replication.pool import default_jobs
from .runs import RunRecords
from .variants import Variant, VariantBuilder

__all__ = ["LossRunner", "simulate_losses"]


class LossRunner:
    """Simulates variants with :func:`drillsim.batch.run_batch` and returns their per-run losses."""

    def __init__(self, builder: VariantBuilder, jobs: int = 1, backend: str = "local", address: str | None = None, out: str | Path | None = None):
        self.builder = builder
        self.jobs = default_jobs(jobs if jobs > 0 else None)
        self.backend = backend
        self.address = address
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if out is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="drillsim-invest-")
            out = self._tmp.name
        self.out = out
        self._threat_hashes: dict[str, str] = {}
        self.batches = 0
        """How many batches were run (each starts and stops its workers)."""

    def __enter__(self) -> "LossRunner":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the temporary chunk files (a folder given as ``out`` is kept)."""
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def name(self, variant: Variant) -> str:
        """The variant's name in the batch: ``threat|option+option`` (``threat|baseline``)."""
        return f"{variant.threat}|{'+'.join(variant.options) or 'baseline'}"

    def content_hash(self, variant: Variant) -> str:
        """Hash of the threat's document and the patches applied: the same inputs, the same hash."""
        threat = variant.threat
        if threat not in self._threat_hashes:
            self._threat_hashes[threat] = scenario_hash(self.builder.bases[threat])
        layers = [to_plain(self.builder.patches.get(o)) for o in variant.options]
        layers += [to_plain(self.builder.threat_patches.get(o, {}).get(threat)) for o in variant.options]
        text = json.dumps([self._threat_hashes[threat], list(variant.options), layers], sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def simulate(
        self,
        variants: Sequence[Variant] | dict[Variant, int],
        runs: int | None = None,
        seed: int = 0,
        progress: Callable[[int], None] | None = None,
        have: dict[Variant, int] | None = None,
    ) -> dict[Variant, RunRecords]:
        """The per-run records of every variant for runs ``0 .. n-1``.

        ``variants``: a list simulated for ``runs`` runs each, or ``variant -> runs``. Runs
        already in the chunk files are read back, not simulated again. Returns ``variant ->
        RunRecords``: the loss components ``(runs, 3)``, columns
        :data:`~drillsim.model.loss.COMPONENTS`, and per run the grade-1 RTO breaches and the
        systems whose data was lost for good.
        ``progress`` is called with the number of runs just finished; ``have``: runs each variant
        has in the chunk files already (they size the tasks: a task holds about half of a variant's
        new runs, so the scenario is compiled once per worker at most and both workers stay busy).
        A variant that does not validate, or a run that fails, raises
        :class:`~drillsim.model.diagnostics.DrillsimError`.
        """
        have = have or {}
        if isinstance(variants, dict):
            wanted = dict(variants)
        else:
            if runs is None:
                raise ValueError("simulate: give runs, or a dict of variant -> runs")
            wanted = {v: runs for v in dict.fromkeys(variants)}
        by_runs: dict[int, list[Variant]] = {}
        for variant, n in wanted.items():
            by_runs.setdefault(int(n), []).append(variant)
        out: dict[Variant, RunRecords] = {}
        group = max(24, 24 * self.jobs)
        for n, members in sorted(by_runs.items()):
            for start in range(0, len(members), group):
                chunk = members[start : start + group]
                new = max(n - have.get(v, 0) for v in chunk)
                out.update(self._batch(chunk, n, seed, progress, max(1, -(-new // 2))))
        return out

    def _batch(self, chunk: list[Variant], runs: int, seed: int, progress: Callable[[int], None] | None, task_runs: int | None = None) -> dict[Variant, RunRecords]:
        resolved = [ResolvedVariant(self.name(v), self.builder.loaded(v), v.describe(), self.content_hash(v)) for v in chunk]
        done = [0]
        total = runs * len(chunk)

        def advance(finished: int, _total: int) -> None:
            if progress and finished > done[0]:
                progress(finished - done[0])
            done[0] = finished

        result = run_batch(
            resolved, runs, seed, jobs=self.jobs, backend=self.backend, address=self.address, out=self.out, progress=advance, system_rows=True, chunk_size=task_runs
        )
        self.batches += 1
        out: dict[Variant, RunRecords] = {}
        for variant in chunk:
            name = self.name(variant)
            failed = result.errors(name)
            if failed:
                first = failed[0]
                raise DrillsimError(f"{variant.describe()}: run {first['run']} (seed {first['seed']}) failed: {first['error']}")
            parts = result.scenario_loss(name)
            out[variant] = RunRecords(
                np.column_stack([parts[c] for c in COMPONENTS]),
                np.asarray(result.metric(name, "grade1_rto_breaches"), dtype=float),
                np.asarray(result.metric(name, "data_lost_systems"), dtype=float),
            )
        if progress and done[0] < total:
            progress(total - done[0])  # runs reused from saved chunks
        return out


def simulate_losses(
    builder: VariantBuilder,
    variants: Sequence[Variant],
    runs: int,
    seed: int = 0,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> dict[Variant, RunRecords]:
    """The per-run records of ``variants`` over runs ``0 .. runs-1``: one-off use of :class:`LossRunner`."""
    with LossRunner(builder, jobs) as runner:
        return runner.simulate(variants, runs, seed, progress)

"""What a batch produced: :class:`BatchResult`, the object :func:`~drillsim.batch.run_batch` returns.

It holds the run rows of every variant in memory as one ``pyarrow.Table`` (compact: a few
kilobytes a run, curves included) and reads the larger system rows from the chunk files on demand,
one chunk at a time. Per-run numbers come out as numpy arrays aligned by run index, so run ``i``
of every variant (the same seed) can be paired directly.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Iterator, Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..model.diagnostics import DrillsimError
from ..model.loss import COMPONENTS, NO_LOSS, system_loss
from .rows import METRIC_INDEX
from .store import ChunkStore
from .summary import INDICATORS, SystemScan, changed_systems, comparison, curve_bands, indicator_values, scan_systems, spec_missing, variant_summary
from .variants import VariantInfo

__all__ = ["BatchResult", "VariantInfo"]  # VariantInfo lives in .variants; kept importable from here


class BatchResult:
    """Rows and statistics of a batch (see the package docstring for an example)."""

    def __init__(
        self,
        *,
        variants: list[VariantInfo],
        runs: int,
        seed: int,
        policy: str,
        until: float | None,
        grid_points: int,
        rows: pa.Table,
        store: ChunkStore,
        out: Path | None,
        executed: int,
        reused: int,
        seconds: float,
        backend: str,
        workers: int,
        system_rows: bool,
        tempdir: tempfile.TemporaryDirectory | None = None,
    ):
        self.variants = variants
        self.runs = runs
        self.seed = seed
        self.policy = policy
        self.until = until
        self.grid_points = grid_points
        self.rows = rows
        """Run rows of every variant: a ``variant`` column, then the columns of :mod:`~drillsim.batch.rows`."""
        self.out = out
        """The output folder (None: the chunks live in a temporary folder removed with this object)."""
        self.executed = executed
        """Runs executed by this call (the others were found on disk)."""
        self.reused = reused
        """Runs found already saved (a resumed or extended batch)."""
        self.seconds = seconds
        self.backend = backend
        self.workers = workers
        self.system_rows_kept = system_rows
        self._store = store
        self._tempdir = tempdir
        self._by_name = {v.name: v for v in variants}
        self._offsets = {v.name: k * runs for k, v in enumerate(variants)}  # rows: variant by variant
        self._cache: dict[tuple[str, str], np.ndarray] = {}
        self._scans: dict[tuple[str, str], SystemScan] = {}

    # -- rows -------------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        """Variant names, baseline first."""
        return [v.name for v in self.variants]

    def variant(self, name: str) -> VariantInfo:
        """The variant called ``name``."""
        try:
            return self._by_name[name]
        except KeyError:
            raise DrillsimError(f"no variant {name!r} in this batch (variants: {', '.join(self.names)})") from None

    def table(self, name: str) -> pa.Table:
        """Run rows of one variant, in run order (a zero-copy slice of :attr:`rows`)."""
        self.variant(name)
        return self.rows.slice(self._offsets[name], self.runs)

    def grid_hours(self, name: str | None = None) -> np.ndarray:
        """The times (hours) of the recovery-curve samples of a variant (default: the first)."""
        v = self.variant(name) if name else self.variants[0]
        return np.linspace(0.0, v.end_hours, self.grid_points)

    def ok(self, name: str) -> np.ndarray:
        """Per run: True if it ran without error."""
        key = (name, "__ok__")
        if key not in self._cache:
            self._cache[key] = pc.is_null(self.table(name).column("error")).to_numpy(zero_copy_only=False).astype(bool)
        return self._cache[key]

    def metric(self, name: str, column: str) -> np.ndarray:
        """Per-run values of a metric column or an indicator (float; NaN: missing or failed run)."""
        key = (name, column)
        if key not in self._cache:
            if column in INDICATORS:
                values = indicator_values(column, lambda c: self.metric(name, c), self.ok(name))
            else:
                table = self.table(name)
                if column not in table.column_names or column.startswith("curve_"):
                    raise DrillsimError(f"no metric {column!r} (metrics: {', '.join(METRIC_INDEX)}; indicators: {', '.join(INDICATORS)})")
                values = pc.cast(table.column(column), pa.float64()).to_numpy(zero_copy_only=False)
            values.setflags(write=False)
            self._cache[key] = values
        return self._cache[key]

    def curves(self, name: str, weighted: bool = False, dtype: Any = np.float64) -> np.ndarray:
        """Recovery curves of a variant, one row per run (NaN rows for failed runs).

        Values are stored as float32; ``dtype=np.float32`` avoids a copy twice the size.
        """
        column = self.table(name).column("curve_weighted" if weighted else "curve_systems")
        out = np.full((len(column), self.grid_points), np.nan, dtype=dtype)
        row = 0
        for chunk in column.chunks:  # chunk by chunk: no combined copy of the column
            valid = chunk.is_valid().to_numpy(zero_copy_only=False)
            if valid.any():
                flat = chunk.flatten().to_numpy(zero_copy_only=False)  # the values of the valid rows
                out[row : row + len(chunk)][valid] = flat.reshape(-1, self.grid_points)
            row += len(chunk)
        return out

    def errors(self, name: str | None = None) -> list[dict[str, Any]]:
        """The runs that raised: variant, run, seed and error."""
        out = []
        for v in self.variants if name is None else [self.variant(name)]:
            table = self.table(v.name)
            failed = table.filter(pc.is_valid(table.column("error")))
            for run, seed, error in zip(failed.column("run").to_pylist(), failed.column("seed").to_pylist(), failed.column("error").to_pylist()):
                out.append({"variant": v.name, "run": run, "seed": seed, "error": error})
        return out

    def loss(self, name: str, weights: Mapping[str, float]) -> np.ndarray:
        """Per-run loss: the sum of ``weight x value`` over the given metric columns.

        A null value counts as 0 when it means "nothing happened" (no grade-g system affected, no
        data lost) and as the run's length when it means "never reached" (a time to recovery:
        censored at the end). A failed run gives NaN. Example: won per system-hour of downtime by
        grade, ``{"g1_downtime_hours": 5e6, "g2_downtime_hours": 1e6}``.
        """
        if not weights:
            raise DrillsimError("loss() needs at least one metric weight")
        total = np.zeros(self.runs)
        ended = self.metric(name, "ended_hours")
        for column, weight in weights.items():
            values = self.metric(name, column).copy()
            missing = np.isnan(values)
            if spec_missing(column) == "worst":
                values[missing] = ended[missing]
            else:
                values[missing] = 0.0
            total += float(weight) * values
        total[~self.ok(name)] = np.nan
        return total

    def scenario_loss(self, name: str) -> dict[str, np.ndarray]:
        """Per-run loss from the scenario's own ``loss`` figures of each system (from system rows).

        The formula is :mod:`drillsim.model.loss`'s; its components, each an array indexed by run
        (NaN: failed run)::

            unserved  = sum over systems of per_unserved x unserved demand
            data_loss = sum over systems of per_data_loss_hour x hours of data lost (worst recovery)
            permanent = sum over systems whose data was lost for good of permanent_data_loss
        """
        rates = self.variant(name).loss_rates
        out = {part: np.zeros(self.runs) for part in COMPONENTS}
        if rates:
            for table in self.iter_system_rows(name):
                runs = table.column("run").to_numpy()
                encoded = table.column("system").dictionary_encode()
                if isinstance(encoded, pa.ChunkedArray):
                    encoded = encoded.combine_chunks()
                figures = np.array([rates.get(s, NO_LOSS) for s in encoded.dictionary.to_pylist()], dtype=np.float64).reshape(-1, 3)
                per = figures[encoded.indices.to_numpy(zero_copy_only=False)]  # each distinct system looked up once
                unserved = table.column("unserved_demand").to_numpy(zero_copy_only=False)
                loss_h = np.nan_to_num(table.column("data_loss_hours").to_numpy(zero_copy_only=False).astype(np.float64), nan=0.0)
                lost = table.column("data_lost").to_numpy(zero_copy_only=False).astype(np.float64)
                costs = system_loss(per.T, unserved, loss_h, lost)  # the one loss formula, per system row
                for part, cost in zip(COMPONENTS, costs):
                    np.add.at(out[part], runs, cost)
        failed = ~self.ok(name)
        for values in out.values():
            values[failed] = np.nan
        return out

    # -- system rows ------------------------------------------------------------------
    def iter_system_rows(self, name: str) -> Iterator[pa.Table]:
        """System rows of a variant, one chunk at a time (flat memory)."""
        self._need_system_rows()
        return self._store.iter_systems(self.variant(name).key, self.runs)

    def system_rows(self, name: str) -> pa.Table:
        """All system rows of a variant (one row per run and affected system; can be large)."""
        tables = list(self.iter_system_rows(name))
        if not tables:
            from .rows import SYSTEM_SCHEMA

            return SYSTEM_SCHEMA.empty_table()
        table = pa.concat_tables(tables)
        order = np.argsort(table.column("run").to_numpy(), kind="stable")
        return table.take(pa.array(order))

    def system_loss(self, name: str, rates: Mapping[str, float], column: str = "downtime_hours") -> np.ndarray:
        """Per-run loss from system rows: sum over systems of ``rates[system] x column`` (NaN: failed run).

        E.g. won per hour of downtime of each system; systems not in ``rates`` cost nothing.
        """
        total = np.zeros(self.runs)
        for table in self.iter_system_rows(name):
            if column not in table.column_names:
                raise DrillsimError(f"system rows have no column {column!r}")
            systems = table.column("system").to_pylist()
            weight = np.fromiter((float(rates.get(s, 0.0)) for s in systems), dtype=np.float64, count=len(systems))
            values = np.nan_to_num(pc.cast(table.column(column), pa.float64()).to_numpy(zero_copy_only=False), nan=0.0)
            np.add.at(total, table.column("run").to_numpy(), weight * values)
        total[~self.ok(name)] = np.nan
        return total

    def system_scan(self, name: str) -> SystemScan | None:
        """Per-system sums and per-grade restore histograms (None when system rows were not kept)."""
        if not self.system_rows_kept:
            return None
        key = ("__scan__", name)
        if key not in self._scans:
            self._scans[key] = scan_systems(self.iter_system_rows(name), self.variant(name).end_hours)
        return self._scans[key]

    def system_table(self, name: str) -> pa.Table | None:
        """Per-system statistics of a variant, worst first (None when system rows were not kept)."""
        scan = self.system_scan(name)
        if scan is None:
            return None
        return scan.table(max(1, int(self.ok(name).sum())), self.variant(name).labels)

    def _need_system_rows(self) -> None:
        if not self.system_rows_kept:
            raise DrillsimError("this batch did not keep system rows (system_rows=False / --no-system-rows)")

    # -- statistics -------------------------------------------------------------------
    def compare(self, baseline: str | None = None, variant: str | None = None) -> dict[str, dict[str, Any]]:
        """Paired comparisons against ``baseline`` (default: the first variant): {variant: {metric: ...}}."""
        base = self.variant(baseline).name if baseline else self.variants[0].name
        out = {}
        for v in self.variants:
            if v.name == base or (variant is not None and v.name != variant):
                continue
            out[v.name] = comparison(
                lambda c: self.metric(base, c), self.ok(base), lambda c, n=v.name: self.metric(n, c), self.ok(v.name)
            )
        return out

    def summary(self, top_systems: int = 50) -> dict[str, Any]:
        """Everything about the batch as one JSON-friendly document (``summary.json``)."""
        variants = []
        for v in self.variants:
            ok = self.ok(v.name)
            entry = v.as_dict()
            entry["runs_ok"] = int(ok.sum())
            entry["runs_failed"] = int((~ok).sum())
            entry["errors"] = self.errors(v.name)[:20]
            entry.update(variant_summary(lambda c, n=v.name: self.metric(n, c), ok))
            entry["recovery_curve"] = {
                "hours": [round(float(t), 6) for t in self.grid_hours(v.name)],
                "systems": curve_bands(self.curves(v.name, dtype=np.float32)),
                "weighted": curve_bands(self.curves(v.name, weighted=True, dtype=np.float32)),
            }
            table = self.system_table(v.name)
            if table is not None:
                entry["systems_affected_ever"] = table.num_rows
                entry["worst_systems"] = _json_rows(table.slice(0, top_systems))
            variants.append(entry)
        comparisons = []
        base = self.variants[0].name
        for name, metrics in self.compare().items():
            entry = {"baseline": base, "variant": name, "metrics": metrics}
            changed = self.system_changes(base, name, top_systems)
            if changed is not None:
                entry["systems_changed"] = changed
            comparisons.append(entry)
        return {
            "drillsim_batch": 1,
            "runs": self.runs,
            "seed": self.seed,
            "policy": self.policy,
            "until_hours": self.until,
            "grid_points": self.grid_points,
            "backend": self.backend,
            "workers": self.workers,
            "executed": self.executed,
            "reused": self.reused,
            "seconds": round(self.seconds, 3),
            "variants": variants,
            "comparisons": comparisons,
        }

    def system_changes(self, baseline: str, name: str, top: int = 50) -> list[dict[str, Any]] | None:
        """Systems whose outcome changed most from ``baseline`` to ``name`` (None without system rows).

        Ranked by the change in the probability of an RTO breach, then of losing data for good,
        then in mean time to restore. These are differences of per-variant estimates, not paired
        per-run differences.
        """
        a, b = self.system_table(baseline), self.system_table(name)
        if a is None or b is None:
            return None
        return changed_systems(a, b, top)

    def cleanup(self) -> None:
        """Remove the temporary chunk folder now (when the batch had no output folder)."""
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None


def _json_rows(table: pa.Table) -> list[dict[str, Any]]:
    rows = table.to_pylist()
    for row in rows:
        for k, value in row.items():
            if isinstance(value, float) and not np.isfinite(value):
                row[k] = None
    return rows

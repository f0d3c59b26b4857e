"""Compact rows of a run: what a batch keeps of each :class:`~drillsim.engine.RunResult`.

A worker turns every finished run into one **run row** (ecosystem metrics, per-grade aggregates,
the recovery curve sampled on a fixed time grid) and, on request, a few **system rows** (one per
system the run affected: down at least once, data lost, or demand unserved: time to restore, RTO
breach, data lost, unserved demand). Timelines and
event journals never leave the worker, so a batch of any size moves and stores a few kilobytes
per run.

Run-row columns (``None``/null where a value does not exist, and for every metric of a run that
raised, whose ``error`` column holds the exception):

- ``run``, ``seed``, ``error``, ``ended_hours``
- ``recover_50_hours`` / ``recover_90_hours`` / ``recover_100_hours``: time to 50/90/100 %
  recovery of the affected systems (null: not reached by the end of the run; 0 when nothing was
  affected);
  ``first_impact_hours``
- counts: ``systems_affected``, ``systems_down_at_end``, ``rto_breaches``,
  ``grade1_rto_breaches``, ``rpo_breaches``, ``data_lost_systems``
- ``downtime_hours`` (system-hours not serving, summed over systems), ``unserved_demand``,
  ``weighted_unserved_demand``, ``fallback_served_demand``, ``total_demand``,
  ``max_data_loss_hours`` (worst data loss of a recovery; null if none)
- per grade ``g`` in 1..4: ``g{g}_affected``, ``g{g}_rto_breaches``, ``g{g}_data_lost``,
  ``g{g}_downtime_hours``, ``g{g}_unserved_demand``, ``g{g}_restore_mean_hours`` and
  ``g{g}_restore_max_hours`` (time to restore over that grade's affected systems, an outage still
  open at the end counting up to the end; null if none was affected)
- ``curve_systems`` / ``curve_weighted``: the recovery curve (share of affected systems serving,
  share of their grade-weighted demand served) at each point of the batch's time grid
  (:func:`time_grid`); 1.0 before the first impact and when nothing was affected.

System-row columns: ``run``, ``system``, ``grade``, ``outages``, ``downtime_hours``,
``time_to_restore_hours``, ``restored``, ``rto_breach``, ``data_loss_hours``, ``data_lost``,
``rpo_breach``, ``unserved_demand``, ``fallback_served_demand``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from ..engine.results import RunResult, SystemResult

__all__ = [
    "GRADES",
    "DEFAULT_GRID_POINTS",
    "MetricSpec",
    "METRICS",
    "METRIC_INDEX",
    "RowBuilder",
    "run_schema",
    "SYSTEM_SCHEMA",
    "time_grid",
]

GRADES = (1, 2, 3, 4)
"""The impact grades of the scenario model (1 = most critical)."""

DEFAULT_GRID_POINTS = 121
"""Points of the time grid the recovery curve is sampled on (0 to the end of the run)."""


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """A per-run metric column: how it reads, its unit, and which direction is better."""

    name: str
    label: str
    unit: str
    """``h`` (hours), ``n`` (a count), ``demand`` (units of demand)."""
    better: str | None = "lower"
    """``lower`` when a smaller value is a better recovery; None when not a score (not compared)."""
    integer: bool = False
    missing: str = "best"
    """What a null value means when ranking runs: ``best`` (nothing to restore, no data lost) or
    ``worst`` (a recovery level never reached by the end of the run)."""
    system_hours: bool = False
    """Hours summed over systems (downtime), not a span of time: shown as hours, never as days."""


def _metrics() -> list[MetricSpec]:
    out = [
        MetricSpec("recover_50_hours", "time to 50 % recovery", "h", missing="worst"),
        MetricSpec("recover_90_hours", "time to 90 % recovery", "h", missing="worst"),
        MetricSpec("recover_100_hours", "time to 100 % recovery", "h", missing="worst"),
        MetricSpec("first_impact_hours", "first impact", "h", better=None),
        MetricSpec("systems_affected", "systems affected", "n", integer=True),
        MetricSpec("systems_down_at_end", "systems down at the end", "n", integer=True),
        MetricSpec("rto_breaches", "RTO breaches", "n", integer=True),
        MetricSpec("grade1_rto_breaches", "grade-1 RTO breaches", "n", integer=True),
        MetricSpec("rpo_breaches", "RPO breaches", "n", integer=True),
        MetricSpec("data_lost_systems", "systems whose data is lost for good", "n", integer=True),
        MetricSpec("downtime_hours", "downtime (system-hours)", "h", system_hours=True),
        MetricSpec("unserved_demand", "unserved demand", "demand"),
        MetricSpec("weighted_unserved_demand", "grade-weighted unserved demand", "demand"),
        MetricSpec("fallback_served_demand", "demand served by fallbacks", "demand", better=None),
        MetricSpec("total_demand", "total demand", "demand", better=None),
        MetricSpec("max_data_loss_hours", "worst data loss", "h"),
    ]
    for g in GRADES:
        out += [
            MetricSpec(f"g{g}_affected", f"grade-{g} systems affected", "n", integer=True),
            MetricSpec(f"g{g}_rto_breaches", f"grade-{g} RTO breaches", "n", integer=True),
            MetricSpec(f"g{g}_data_lost", f"grade-{g} systems with data lost for good", "n", integer=True),
            MetricSpec(f"g{g}_downtime_hours", f"grade-{g} downtime (system-hours)", "h", system_hours=True),
            MetricSpec(f"g{g}_unserved_demand", f"grade-{g} unserved demand", "demand"),
            MetricSpec(f"g{g}_restore_mean_hours", f"grade-{g} time to restore, mean over systems", "h"),
            MetricSpec(f"g{g}_restore_max_hours", f"grade-{g} time to restore, worst system", "h"),
        ]
    return out


METRICS: list[MetricSpec] = _metrics()
"""Every metric column of a run row, in column order."""

METRIC_INDEX: dict[str, MetricSpec] = {m.name: m for m in METRICS}


def run_schema(grid_points: int) -> pa.Schema:
    """The Arrow schema of run rows for a grid of ``grid_points`` points."""
    fields = [
        pa.field("run", pa.int32(), nullable=False),
        pa.field("seed", pa.int64(), nullable=False),
        pa.field("error", pa.string()),
        pa.field("ended_hours", pa.float64()),
    ]
    fields += [pa.field(m.name, pa.int32() if m.integer else pa.float64()) for m in METRICS]
    curve = pa.list_(pa.float32(), grid_points)
    fields += [pa.field("curve_systems", curve), pa.field("curve_weighted", curve)]
    return pa.schema(fields)


SYSTEM_SCHEMA = pa.schema(
    [
        pa.field("run", pa.int32(), nullable=False),
        pa.field("system", pa.string(), nullable=False),
        pa.field("grade", pa.int8(), nullable=False),
        pa.field("outages", pa.int32(), nullable=False),
        pa.field("downtime_hours", pa.float64(), nullable=False),
        pa.field("time_to_restore_hours", pa.float64()),
        pa.field("restored", pa.bool_(), nullable=False),
        pa.field("rto_breach", pa.bool_(), nullable=False),
        pa.field("data_loss_hours", pa.float64()),
        pa.field("data_lost", pa.bool_(), nullable=False),
        pa.field("rpo_breach", pa.bool_(), nullable=False),
        pa.field("unserved_demand", pa.float64(), nullable=False),
        pa.field("fallback_served_demand", pa.float64(), nullable=False),
    ]
)
"""The Arrow schema of system rows."""


def time_grid(end_hours: float, points: int = DEFAULT_GRID_POINTS) -> np.ndarray:
    """The times (hours) the recovery curve is sampled at: ``points`` evenly from 0 to ``end_hours``."""
    if points < 2:
        raise ValueError(f"the time grid needs at least 2 points, got {points}")
    return np.linspace(0.0, float(end_hours), int(points))


def _sample_curve(result: RunResult, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    curve = result.metrics.recovery_curve
    if not curve:
        ones = np.ones(len(grid), dtype=np.float32)
        return ones, ones.copy()
    ts = np.fromiter((p.t for p in curve), dtype=np.float64, count=len(curve))
    idx = np.searchsorted(ts, grid, side="right") - 1
    before = idx < 0
    idx[before] = 0
    systems = np.fromiter((p.systems for p in curve), dtype=np.float32, count=len(curve))[idx]
    weighted = np.fromiter((p.weighted for p in curve), dtype=np.float32, count=len(curve))[idx]
    systems[before] = 1.0
    weighted[before] = 1.0
    return systems, weighted


class RowBuilder:
    """Collects the rows of a chunk of runs (in a worker) and hands them over as Arrow tables."""

    def __init__(self, grid: np.ndarray, system_rows: bool = True):
        self.grid = np.asarray(grid, dtype=np.float64)
        self.system_rows = system_rows
        self._runs: dict[str, list[Any]] = {f.name: [] for f in run_schema(len(self.grid))}
        self._systems: dict[str, list[Any]] = {f.name: [] for f in SYSTEM_SCHEMA}

    def __len__(self) -> int:
        return len(self._runs["run"])

    def add(self, run: int, seed: int, result: RunResult) -> None:
        """Add the rows of a finished run."""
        m = result.metrics
        rows = self._runs
        rows["run"].append(run)
        rows["seed"].append(seed)
        rows["error"].append(None)
        rows["ended_hours"].append(result.ended_hours)
        ttr = m.time_to_recover_hours
        nothing = m.systems_affected == 0  # nothing to recover: recovered at once
        values: dict[str, Any] = {
            "recover_50_hours": 0.0 if nothing else ttr.get("p50"),
            "recover_90_hours": 0.0 if nothing else ttr.get("p90"),
            "recover_100_hours": 0.0 if nothing else ttr.get("p100"),
            "first_impact_hours": m.first_impact_hours,
            "systems_affected": m.systems_affected,
            "systems_down_at_end": m.systems_down_at_end,
            "rto_breaches": m.rto_breaches,
            "grade1_rto_breaches": m.grade1_rto_breaches,
            "rpo_breaches": m.rpo_breaches,
            "data_lost_systems": len(m.data_lost_permanently),
            "unserved_demand": m.unserved_demand,
            "weighted_unserved_demand": m.weighted_unserved_demand,
            "fallback_served_demand": m.fallback_served_demand,
            "total_demand": m.total_demand,
        }
        affected = {g: 0 for g in GRADES}
        breaches = {g: 0 for g in GRADES}
        lost = {g: 0 for g in GRADES}
        downtime = {g: 0.0 for g in GRADES}
        unserved = {g: 0.0 for g in GRADES}
        restore_sum = {g: 0.0 for g in GRADES}
        restore_max: dict[int, float | None] = {g: None for g in GRADES}
        worst_loss: float | None = None
        keep = self.system_rows
        kept: list[SystemResult] = []  # the systems with a system row
        for s in result.systems.values():
            g = s.grade
            downtime[g] = downtime.get(g, 0.0) + s.downtime_hours
            unserved[g] = unserved.get(g, 0.0) + s.unserved_demand
            if s.data_lost_permanently:
                lost[g] = lost.get(g, 0) + 1
            elif s.data_loss_hours is not None and (worst_loss is None or s.data_loss_hours > worst_loss):
                worst_loss = s.data_loss_hours
            if s.outages:
                affected[g] = affected.get(g, 0) + 1
                ttr_s = s.time_to_restore_hours or 0.0
                restore_sum[g] = restore_sum.get(g, 0.0) + ttr_s
                current = restore_max.get(g)
                restore_max[g] = ttr_s if current is None or ttr_s > current else current
                if s.rto_met is False:
                    breaches[g] = breaches.get(g, 0) + 1
            if keep and (s.outages or s.data_loss_hours is not None or s.data_lost_permanently or s.unserved_demand > 0 or s.fallback_served_demand > 0):
                kept.append(s)
        if kept:
            self._add_system_rows(run, kept)
        values["downtime_hours"] = sum(downtime.values())
        values["max_data_loss_hours"] = worst_loss
        for g in GRADES:
            values[f"g{g}_affected"] = affected[g]
            values[f"g{g}_rto_breaches"] = breaches[g]
            values[f"g{g}_data_lost"] = lost[g]
            values[f"g{g}_downtime_hours"] = downtime[g]
            values[f"g{g}_unserved_demand"] = unserved[g]
            values[f"g{g}_restore_mean_hours"] = restore_sum[g] / affected[g] if affected[g] else None
            values[f"g{g}_restore_max_hours"] = restore_max[g]
        for spec in METRICS:
            rows[spec.name].append(values[spec.name])
        systems, weighted = _sample_curve(result, self.grid)
        rows["curve_systems"].append(systems)
        rows["curve_weighted"].append(weighted)

    def _add_system_rows(self, run: int, kept: list[SystemResult]) -> None:
        """Append the system rows of one run, column by column."""
        srows = self._systems
        srows["run"].extend([run] * len(kept))
        srows["system"].extend([s.id for s in kept])
        srows["grade"].extend([s.grade for s in kept])
        srows["outages"].extend([s.outages for s in kept])
        srows["downtime_hours"].extend([s.downtime_hours for s in kept])
        srows["time_to_restore_hours"].extend([s.time_to_restore_hours for s in kept])
        srows["restored"].extend([s.restored for s in kept])
        srows["rto_breach"].extend([s.rto_met is False for s in kept])
        srows["data_loss_hours"].extend([s.data_loss_hours for s in kept])
        srows["data_lost"].extend([s.data_lost_permanently for s in kept])
        srows["rpo_breach"].extend([s.rpo_met is False for s in kept])
        srows["unserved_demand"].extend([s.unserved_demand for s in kept])
        srows["fallback_served_demand"].extend([s.fallback_served_demand for s in kept])

    def add_error(self, run: int, seed: int, error: str) -> None:
        """Record a run that raised: its seed and the error, every metric null."""
        rows = self._runs
        rows["run"].append(run)
        rows["seed"].append(seed)
        rows["error"].append(error)
        for name in rows:
            if name not in ("run", "seed", "error"):
                rows[name].append(None)

    def tables(self) -> tuple[pa.Table, pa.Table | None]:
        """The run rows and (if kept) the system rows collected so far."""
        schema = run_schema(len(self.grid))
        columns = []
        for f in schema:
            values = self._runs[f.name]
            if f.name.startswith("curve_"):
                columns.append(_curve_array(values, len(self.grid)))
            else:
                columns.append(pa.array(values, type=f.type))
        runs = pa.Table.from_arrays(columns, schema=schema)
        systems = None
        if self.system_rows:
            systems = pa.Table.from_pydict(self._systems, schema=SYSTEM_SCHEMA)
        return runs, systems


def _curve_array(values: list[np.ndarray | None], points: int) -> pa.Array:
    """A fixed-size-list column from per-run float32 arrays (None for failed runs)."""
    n = len(values)
    flat = np.zeros(n * points, dtype=np.float32)
    mask = np.zeros(n, dtype=bool)
    for k, v in enumerate(values):
        if v is None:
            mask[k] = True
        else:
            flat[k * points : (k + 1) * points] = v
    mask_array = pa.array(mask, type=pa.bool_()) if mask.any() else None
    return pa.FixedSizeListArray.from_arrays(pa.array(flat, type=pa.float32()), points, mask=mask_array)

"""From rows to findings: per-variant statistics, per-system statistics and paired comparisons.

Run rows of a variant become, for every metric of :data:`~drillsim.batch.rows.METRICS`, a
:class:`~drillsim.batch.stats.Summary`; a few yes/no questions become shares with intervals
(:data:`INDICATORS`); the recovery curves become percentile bands. System rows are scanned one
chunk file at a time (memory stays flat) into per-system statistics: how often each system went
down, breached its RTO, lost its data for good; its mean time to restore when down.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .rows import GRADES, METRIC_INDEX, METRICS
from .stats import describe, paired, proportion

__all__ = [
    "INDICATORS",
    "BANDS",
    "indicator_values",
    "curve_bands",
    "SystemScan",
    "scan_systems",
    "variant_summary",
    "comparison",
    "changed_systems",
    "spec_missing",
]

INDICATORS: dict[str, tuple[str, Callable[[Callable[[str], np.ndarray]], np.ndarray]]] = {
    "any_rto_breach": ("some system breaches its RTO", lambda m: m("rto_breaches") > 0),
    "any_grade1_rto_breach": ("a grade-1 system breaches its RTO", lambda m: m("grade1_rto_breaches") > 0),
    "any_data_lost": ("some data is lost for good", lambda m: m("data_lost_systems") > 0),
    "not_recovered": ("not fully recovered by the end", lambda m: np.isnan(m("recover_100_hours"))),
}
"""Yes/no questions asked of every run: name -> (label, function of a metric getter)."""

BANDS = (10, 25, 50, 75, 90)
"""Percentiles of the recovery-curve bands."""


def indicator_values(name: str, metric: Callable[[str], np.ndarray], ok: np.ndarray) -> np.ndarray:
    """Indicator ``name`` per run as 0.0/1.0 (NaN for runs that failed)."""
    _, fn = INDICATORS[name]
    with np.errstate(invalid="ignore"):
        values = fn(metric).astype(np.float64)
    values[~ok] = np.nan
    return values


def curve_bands(curves: np.ndarray) -> dict[str, list[float]]:
    """Percentile bands (and the mean) of curves, one row per run (NaN rows ignored)."""
    good = curves[~np.isnan(curves).any(axis=1)] if curves.size else curves
    if len(good) == 0:
        return {}
    q = np.percentile(good, BANDS, axis=0)
    out = {f"p{b}": [round(float(v), 6) for v in row] for b, row in zip(BANDS, q)}
    out["mean"] = [round(float(v), 6) for v in good.mean(axis=0)]
    return out


@dataclass
class SystemScan:
    """Per-system counts and sums over the runs of a variant, and per-grade restore histograms."""

    ids: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    grade: list[int] = field(default_factory=list)
    sums: dict[str, np.ndarray] = field(default_factory=dict)
    max_ttr: np.ndarray = field(default_factory=lambda: np.zeros(0))
    hist_edges: np.ndarray = field(default_factory=lambda: np.zeros(0))
    hist: dict[int, np.ndarray] = field(default_factory=dict)
    rows: int = 0

    _FIELDS = ("down", "breach", "lost", "open", "ttr", "ttr2", "downtime", "unserved", "fallback", "loss_n", "loss")

    def _grow(self, n: int) -> None:
        for name in self._FIELDS:
            old = self.sums.get(name, np.zeros(0))
            self.sums[name] = np.concatenate([old, np.zeros(n - len(old))])
        self.max_ttr = np.concatenate([self.max_ttr, np.zeros(n - len(self.max_ttr))])

    def add(self, table: pa.Table) -> None:
        """Add a chunk of system rows."""
        if table.num_rows == 0:
            return
        self.rows += table.num_rows
        encoded = pc.dictionary_encode(table.column("system")).combine_chunks()
        names = encoded.dictionary.to_pylist()
        grades = table.column("grade").to_numpy()
        local = encoded.indices.to_numpy()
        mapping = np.empty(len(names), dtype=np.int64)
        first_row = np.full(len(names), -1)
        first_row[local[::-1]] = np.arange(len(local))[::-1]
        for k, name in enumerate(names):
            i = self.index.get(name)
            if i is None:
                i = len(self.ids)
                self.index[name] = i
                self.ids.append(name)
                self.grade.append(int(grades[first_row[k]]))
            mapping[k] = i
        if len(self.max_ttr) < len(self.ids):
            self._grow(len(self.ids))
        idx = mapping[local]
        n = len(self.ids)

        def col(name: str) -> np.ndarray:
            return table.column(name).to_numpy(zero_copy_only=False).astype(np.float64)

        outages = col("outages")
        ttr = np.nan_to_num(col("time_to_restore_hours"), nan=0.0)
        loss = col("data_loss_hours")
        down = outages > 0
        add = {
            "down": down.astype(np.float64),
            "breach": col("rto_breach"),
            "lost": col("data_lost"),
            "open": (~table.column("restored").to_numpy(zero_copy_only=False) & down).astype(np.float64),
            "ttr": ttr,
            "ttr2": ttr * ttr,
            "downtime": col("downtime_hours"),
            "unserved": col("unserved_demand"),
            "fallback": col("fallback_served_demand"),
            "loss_n": (~np.isnan(loss)).astype(np.float64),
            "loss": np.nan_to_num(loss, nan=0.0),
        }
        for name, values in add.items():
            self.sums[name] += np.bincount(idx, weights=values, minlength=n)
        np.maximum.at(self.max_ttr, idx, ttr)
        if len(self.hist_edges):
            for g in GRADES:
                sel = down & (grades == g)
                if sel.any():
                    values = np.clip(ttr[sel], self.hist_edges[0], self.hist_edges[-1])
                    counts, _ = np.histogram(values, self.hist_edges)
                    self.hist[g] = self.hist.get(g, np.zeros(len(counts))) + counts

    def table(self, runs_ok: int, labels: dict[str, str] | None = None) -> pa.Table:
        """Per-system statistics (one row per system that was ever affected), worst first."""
        n = len(self.ids)
        s = self.sums
        if n == 0:
            return pa.table({"system": pa.array([], pa.string())})
        down = s["down"]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_ttr = np.where(down > 0, s["ttr"] / down, np.nan)
            var = np.where(down > 1, (s["ttr2"] - down * mean_ttr**2) / (down - 1), np.nan)
        sd_ttr = np.sqrt(np.clip(var, 0, None))
        p_breach = s["breach"] / runs_ok
        lows, highs = [], []
        for k in s["breach"]:
            pr = proportion(int(k), runs_ok)
            lows.append(pr.ci_low)
            highs.append(pr.ci_high)
        columns: dict[str, Any] = {
            "system": self.ids,
            "name": [(labels or {}).get(i, i) for i in self.ids],
            "grade": np.asarray(self.grade, dtype=np.int8),
            "p_down": s["down"] / runs_ok,
            "p_rto_breach": p_breach,
            "p_rto_breach_ci_low": np.asarray(lows, dtype=np.float64),
            "p_rto_breach_ci_high": np.asarray(highs, dtype=np.float64),
            "p_data_lost": s["lost"] / runs_ok,
            "p_not_restored": s["open"] / runs_ok,
            "restore_mean_hours": mean_ttr,
            "restore_sd_hours": sd_ttr,
            "restore_max_hours": np.where(down > 0, self.max_ttr, np.nan),
            "downtime_mean_hours": s["downtime"] / runs_ok,
            "unserved_mean": s["unserved"] / runs_ok,
            "fallback_served_mean": s["fallback"] / runs_ok,
            "data_loss_mean_hours": np.where(s["loss_n"] > 0, s["loss"] / np.maximum(s["loss_n"], 1), np.nan),
        }
        table = pa.table(columns)
        order = np.lexsort((np.asarray(self.grade), -np.nan_to_num(mean_ttr), -p_breach))
        return table.take(pa.array(order))


def scan_systems(chunks: Iterable[pa.Table], end_hours: float) -> SystemScan:
    """Accumulate system rows chunk by chunk (log-spaced restore-time bins from 1 minute to the end)."""
    scan = SystemScan()
    scan.hist_edges = np.geomspace(1.0 / 60.0, max(end_hours, 1.0 / 30.0), 49)
    for table in chunks:
        scan.add(table)
    return scan


def variant_summary(metric: Callable[[str], np.ndarray], ok: np.ndarray) -> dict[str, Any]:
    """Statistics of every metric and indicator of one variant."""
    n_ok = int(ok.sum())
    metrics = {}
    for spec in METRICS:
        summary = describe(metric(spec.name)[ok]).as_dict()
        metrics[spec.name] = {"label": spec.label, "unit": spec.unit, **summary}
    probabilities = {}
    for name, (label, _) in INDICATORS.items():
        values = indicator_values(name, metric, ok)[ok]
        probabilities[name] = {"label": label, **proportion(int(np.nansum(values)), n_ok).as_dict()}
    return {"metrics": metrics, "probabilities": probabilities}


def comparison(
    metric_a: Callable[[str], np.ndarray], ok_a: np.ndarray, metric_b: Callable[[str], np.ndarray], ok_b: np.ndarray
) -> dict[str, Any]:
    """Paired comparison of every scored metric and indicator, B against A."""
    valid = ok_a & ok_b
    metrics = {}
    for spec in METRICS:
        if spec.better is None:
            continue
        result = paired(metric_a(spec.name), metric_b(spec.name), better=spec.better, missing=spec.missing, valid=valid)
        metrics[spec.name] = {"label": spec.label, "unit": spec.unit, **result.as_dict()}
    for name, (label, _) in INDICATORS.items():
        a = indicator_values(name, metric_a, ok_a)
        b = indicator_values(name, metric_b, ok_b)
        result = paired(a, b, better="lower", valid=valid)
        metrics[name] = {"label": f"P({label})", "unit": "share", **result.as_dict()}
    return metrics


def spec_missing(name: str) -> str:
    """How a null value of metric ``name`` ranks (``best`` or ``worst``)."""
    spec = METRIC_INDEX.get(name)
    return spec.missing if spec is not None else "best"


def changed_systems(a: pa.Table, b: pa.Table, top: int = 50) -> list[dict[str, Any]]:
    """Systems whose outcome changed most from per-system table ``a`` (baseline) to ``b`` (variant).

    Ranked by the change in the probability of an RTO breach, then of losing data for good,
    then in mean time to restore (a change of a minute or less, or of no share, is no change).
    These are differences of per-variant estimates, not paired per-run differences.
    """
    fields = ("p_down", "p_rto_breach", "p_data_lost", "restore_mean_hours")
    rows_a = {r["system"]: r for r in a.select(["system", "name", "grade", *fields]).to_pylist()}
    rows_b = {r["system"]: r for r in b.select(["system", "name", "grade", *fields]).to_pylist()}
    out = []
    for system in rows_a.keys() | rows_b.keys():
        ra, rb = rows_a.get(system), rows_b.get(system)
        first = ra or rb
        entry: dict[str, Any] = {"system": system, "name": first["name"], "grade": first["grade"]}
        for f in fields:
            default = None if f == "restore_mean_hours" else 0.0
            va = ra[f] if ra else default
            vb = rb[f] if rb else default
            va = None if isinstance(va, float) and not np.isfinite(va) else va
            vb = None if isinstance(vb, float) and not np.isfinite(vb) else vb
            entry[f"{f}_baseline"] = va
            entry[f"{f}_variant"] = vb
            entry[f"{f}_change"] = vb - va if va is not None and vb is not None else None
        out.append(entry)

    def rank(e: dict[str, Any]) -> tuple[float, float, float, str]:
        return (
            -abs(e["p_rto_breach_change"] or 0.0),
            -abs(e["p_data_lost_change"] or 0.0),
            -abs(e["restore_mean_hours_change"] or 0.0),
            e["system"],
        )

    def changed(e: dict[str, Any]) -> bool:
        for f in fields:
            tolerance = 1.0 / 60.0 if f == "restore_mean_hours" else 1e-12  # a minute; any share
            change = e[f"{f}_change"]
            if change is None and (e[f"{f}_baseline"] is None) != (e[f"{f}_variant"] is None):
                return True
            if change is not None and abs(change) > tolerance:
                return True
        return False

    out.sort(key=rank)
    return [e for e in out if changed(e)][:top]

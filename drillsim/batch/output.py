"""Showing and saving a batch: rich tables for the terminal, Parquet/CSV/JSON files and plots.

Files written by :func:`write_outputs` (into the batch's output folder, beside ``chunks/``):

- ``runs.parquet``: run rows of every variant (a ``variant`` column first; recovery curves as
  fixed-size lists), for pandas/polars (``pd.read_parquet``); ``runs.csv`` with ``csv`` (curves
  left out: see ``recovery_curves.csv``).
- ``systems.parquet``: system rows of every variant (one per run and affected system), written
  chunk by chunk.
- ``system_summary.parquet`` (and ``.csv``): per variant and system, the probability of going
  down, of an RTO breach (with its interval), of losing data for good; restore times.
- ``summary.json``: :meth:`~drillsim.batch.BatchResult.summary`.
- ``recovery_curves.png`` and ``restore_by_grade.png`` (see :mod:`drillsim.batch.plots`);
  ``recovery_curves.csv`` with ``csv``: the percentile bands.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from rich.console import Group
from rich.markup import escape
from rich.table import Table

from ..model.diagnostics import DrillsimError
from ..model.timefmt import fmt_duration, fmt_system_hours
from ..model.units import human_count
from .result import BatchResult
from .rows import METRIC_INDEX, SYSTEM_SCHEMA
from .summary import BANDS, INDICATORS, curve_bands

__all__ = ["TABLE_METRICS", "fmt_value", "summary_tables", "write_outputs"]

TABLE_METRICS = (
    "recover_50_hours",
    "recover_90_hours",
    "recover_100_hours",
    "systems_affected",
    "rto_breaches",
    "grade1_rto_breaches",
    "data_lost_systems",
    "downtime_hours",
    "weighted_unserved_demand",
    "g1_restore_mean_hours",
    "g2_restore_mean_hours",
    "g3_restore_mean_hours",
)
"""Metrics shown in the terminal (every metric is in summary.json and runs.parquet)."""


def fmt_value(value: float | None, unit: str) -> str:
    """A metric value in its unit (``h`` a duration, ``system-h`` summed hours, demand compact, shares as %)."""
    if value is None or not math.isfinite(value):
        return "-"
    if unit == "h":
        return fmt_duration(value)
    if unit == "system-h":
        return fmt_system_hours(value)
    if unit == "share":
        return f"{value:.1%}"
    return human_count(value)


def _shown_unit(name: str, unit: str) -> str:
    """The unit a metric is shown in: ``system-h`` for hours summed over systems."""
    spec = METRIC_INDEX.get(name)
    return "system-h" if spec is not None and spec.system_hours else unit


def _metric_cells(entry: dict[str, Any], unit: str) -> tuple[str, str]:
    mean = fmt_value(entry["mean"], unit)
    if entry["ci_low"] is not None:
        mean += f" [{fmt_value(entry['ci_low'], unit)}, {fmt_value(entry['ci_high'], unit)}]"
    quantiles = " / ".join(fmt_value(entry[k], unit) for k in ("p50", "p90", "p99"))
    total = entry["n"] + entry["missing"]
    if entry["missing"] and total:
        quantiles += f"  ({entry['missing'] / total:.0%} none)"
    return mean, quantiles


def summary_tables(result: BatchResult, summary: dict[str, Any] | None = None, top: int = 10) -> Group:
    """The terminal view: metrics per variant, probabilities, paired comparisons, worst systems."""
    summary = summary or result.summary()
    variants = summary["variants"]
    parts: list[Any] = []
    title = f"{result.runs:,} runs per variant, seed {result.seed}, policy {result.policy}"
    caption = "mean [95 % CI]   P50 / P90 / P99 over runs; (x% none): runs where the value does not exist (never reached, or nothing affected)"
    metrics = Table(title=title, caption=caption, caption_justify="left")
    metrics.add_column("metric")
    for v in variants:
        metrics.add_column(escape(v["name"]) + "\nmean [95 % CI]", justify="right")
        metrics.add_column("P50 / P90 / P99", justify="right")
    for name in TABLE_METRICS:
        spec = METRIC_INDEX[name]
        cells = []
        for v in variants:
            cells.extend(_metric_cells(v["metrics"][name], _shown_unit(name, spec.unit)))
        metrics.add_row(spec.label, *cells)
    parts.append(metrics)

    probs = Table(title="How often (share of runs, 95 % Wilson interval)")
    probs.add_column("event")
    for v in variants:
        probs.add_column(escape(v["name"]), justify="right")
    for name, (label, _) in INDICATORS.items():
        cells = []
        for v in variants:
            p = v["probabilities"][name]
            cells.append("-" if p["p"] is None else f"{p['p']:.1%} [{p['ci_low']:.1%}, {p['ci_high']:.1%}]")
        probs.add_row(label, *cells)
    parts.append(probs)

    for comp in summary["comparisons"]:
        table = Table(
            title=f"{escape(comp['variant'])} against {escape(comp['baseline'])}, paired by seed",
            caption="difference = variant - baseline (negative: the variant does better); shares of runs in which each did better",
            caption_justify="left",
        )
        table.add_column("metric")
        table.add_column("mean difference [95 % CI]", justify="right")
        table.add_column(f"{escape(comp['variant'])} better", justify="right")
        table.add_column("tie", justify="right")
        table.add_column(f"{escape(comp['baseline'])} better", justify="right")
        for name in (*TABLE_METRICS, *INDICATORS):
            entry = comp["metrics"].get(name)
            if entry is None:
                continue
            unit = _shown_unit(name, entry["unit"])
            diff = fmt_value(entry["mean_diff"], unit)
            if entry["ci_low"] is not None:
                diff += f" [{fmt_value(entry['ci_low'], unit)}, {fmt_value(entry['ci_high'], unit)}]"
            significant = entry["ci_low"] is not None and (entry["ci_low"] > 0 or entry["ci_high"] < 0)
            if significant:
                diff = f"[green]{diff}[/]" if entry["mean_diff"] < 0 else f"[red]{diff}[/]"
            shares = [("-" if entry[k] is None else f"{entry[k]:.0%}") for k in ("b_better", "ties", "a_better")]
            table.add_row(entry["label"], diff, *shares)
        parts.append(table)

    for comp in summary["comparisons"]:
        changed = comp.get("systems_changed")
        if not changed:
            continue
        a, b = escape(comp["baseline"]), escape(comp["variant"])
        table = Table(
            title=f"{b} against {a}: systems that changed most",
            caption=f"values for {a} -> {b}; P(RTO breach) over all runs, restore mean over the runs where the system went down",
            caption_justify="left",
        )
        for column, justify in (("system", "left"), ("grade", "right"), ("P(RTO breach)", "right"), ("P(data lost)", "right"), ("restore mean", "right")):
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        for s in changed[:top]:
            table.add_row(
                escape(str(s["name"])),
                str(s["grade"]),
                f"{s['p_rto_breach_baseline']:.0%} -> {s['p_rto_breach_variant']:.0%}",
                f"{s['p_data_lost_baseline']:.0%} -> {s['p_data_lost_variant']:.0%}",
                f"{fmt_duration(s['restore_mean_hours_baseline'])} -> {fmt_duration(s['restore_mean_hours_variant'])}",
            )
        parts.append(table)

    for v in variants[:1]:
        worst = v.get("worst_systems")
        if not worst:
            continue
        table = Table(title=f"{escape(v['name'])}: systems most likely to breach their RTO")
        columns = (("system", "left"), ("grade", "right"), ("P(down)", "right"), ("P(RTO breach) [95 % CI]", "right"),
                   ("restore mean", "right"), ("restore max", "right"), ("P(data lost)", "right"))
        for column, justify in columns:
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        for s in worst[:top]:
            table.add_row(
                escape(str(s["name"])),
                str(s["grade"]),
                f"{s['p_down']:.0%}",
                f"{s['p_rto_breach']:.1%} [{s['p_rto_breach_ci_low']:.1%}, {s['p_rto_breach_ci_high']:.1%}]",
                fmt_duration(s["restore_mean_hours"]),
                fmt_duration(s["restore_max_hours"]),
                f"{s['p_data_lost']:.0%}" if s["p_data_lost"] else "-",
            )
        parts.append(table)
    return Group(*parts)


def _atomic(path: Path, write: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    write(tmp)
    os.replace(tmp, path)


def write_outputs(result: BatchResult, folder: str | Path, *, csv: bool = False, plots: bool = True, summary: dict[str, Any] | None = None) -> list[Path]:
    """Write the batch's files into ``folder`` (see the module docstring); return their paths."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DrillsimError(f"cannot create {folder}: {exc.strerror or exc}") from None
    written: list[Path] = []
    summary = summary or result.summary()

    path = folder / "runs.parquet"
    _atomic(path, lambda p: pq.write_table(result.rows, p, compression="zstd"))
    written.append(path)

    if result.system_rows_kept:
        path = folder / "systems.parquet"
        schema = pa.schema([pa.field("variant", pa.string()), *SYSTEM_SCHEMA])

        def write_systems(p: Path) -> None:
            with pq.ParquetWriter(p, schema, compression="zstd") as writer:
                for v in result.variants:
                    for table in result.iter_system_rows(v.name):
                        table = table.add_column(0, "variant", pa.array([v.name] * table.num_rows, pa.string()))
                        writer.write_table(table.cast(schema))

        _atomic(path, write_systems)
        written.append(path)
        tables = []
        for v in result.variants:
            table = result.system_table(v.name)
            if table is not None and table.num_rows:
                tables.append(table.add_column(0, "variant", pa.array([v.name] * table.num_rows, pa.string())))
        if tables:
            system_summary = pa.concat_tables(tables)
            path = folder / "system_summary.parquet"
            _atomic(path, lambda p: pq.write_table(system_summary, p))
            written.append(path)
            if csv:
                path = folder / "system_summary.csv"
                _atomic(path, lambda p: pacsv.write_csv(system_summary, p))
                written.append(path)

    path = folder / "summary.json"
    _atomic(path, lambda p: p.write_text(json.dumps(summary, indent=1, ensure_ascii=False, allow_nan=False, default=_json_default), encoding="utf-8"))
    written.append(path)

    if csv:
        flat = result.rows.drop_columns([c for c in result.rows.column_names if c.startswith("curve_")])
        path = folder / "runs.csv"
        _atomic(path, lambda p: pacsv.write_csv(flat, p))
        written.append(path)
        path = folder / "recovery_curves.csv"
        _atomic(path, lambda p: pacsv.write_csv(_curve_table(result), p))
        written.append(path)

    if plots:
        from .plots import plot_recovery_curves, plot_restore_by_grade

        path = folder / "recovery_curves.png"
        _atomic(path, lambda p: plot_recovery_curves(result, p))
        written.append(path)
        path = folder / "restore_by_grade.png"
        _atomic(path, lambda p: plot_restore_by_grade(result, p))
        written.append(path)
    return written


def _curve_table(result: BatchResult) -> pa.Table:
    columns: dict[str, list[Any]] = {"variant": [], "curve": [], "hours": []}
    for key in (*(f"p{b}" for b in BANDS), "mean"):
        columns[key] = []
    for v in result.variants:
        hours = result.grid_hours(v.name)
        for curve, weighted in (("systems", False), ("weighted", True)):
            bands = curve_bands(result.curves(v.name, weighted, dtype=np.float32))
            if not bands:
                continue
            for k, t in enumerate(hours):
                columns["variant"].append(v.name)
                columns["curve"].append(curve)
                columns["hours"].append(float(t))
                for key in bands:
                    columns[key].append(bands[key][k])
    return pa.table(columns)


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return str(value)

"""PNG plots of a batch (matplotlib, no display needed: the Agg canvas, no pyplot state).

- :func:`plot_recovery_curves`: for each variant, the median recovery curve with P25-P75 and
  P10-P90 bands over runs; left the share of affected systems serving, right the share of their
  grade-weighted demand served; time since the start in days, ticks read as durations (``5d``).
  Variants whose curves coincide (median and bands) are drawn dashed over each other, and the
  title says which ones coincide.
- :func:`plot_restore_by_grade`: distribution of time to restore per grade, one panel per grade,
  one line per variant: from the system rows (every affected system of every run, log-spaced
  bins), or, without system rows, from each run's mean time to restore of that grade; the
  log-scale time axis reads as durations (``6m``, ``1h``, ``4d 4h``:
  :func:`drillsim.model.timefmt.fmt_duration`).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import NullFormatter

from ..model.timefmt import fmt_duration
from .result import BatchResult
from .rows import GRADES

__all__ = ["plot_recovery_curves", "recovery_curves_figure", "plot_restore_by_grade", "coincident"]

_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def _save(fig: Figure, path: str | Path) -> None:
    FigureCanvasAgg(fig)
    fig.savefig(path, format="png", dpi=110)


def coincident(curves: dict[str, np.ndarray]) -> dict[str, str]:
    """Which curves are drawn exactly on top of an earlier one: {later name: first name}."""
    out: dict[str, str] = {}
    names = list(curves)
    for k, name in enumerate(names):
        for first in names[:k]:
            if first not in out and curves[first].shape == curves[name].shape and np.allclose(curves[first], curves[name], rtol=0.0, atol=1e-6):
                out[name] = first
                break
    return out


def _same_text(same: dict[str, str]) -> str:
    firsts: dict[str, list[str]] = {}
    for later, first in same.items():
        firsts.setdefault(first, []).append(later)
    parts = [f"{' and '.join(later)} {'coincide' if len(later) > 1 else 'coincides'} with {first}" for first, later in firsts.items()]
    return "; ".join(parts)


def recovery_curves_figure(result: BatchResult) -> Figure:
    """The recovery-curve figure (see :func:`plot_recovery_curves`)."""
    fig = Figure(figsize=(12, 4.8), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    notes = []
    for ax, weighted in zip(axes, (False, True)):
        bands: dict[str, np.ndarray] = {}
        for v in result.variants:
            curves = result.curves(v.name, weighted, dtype=np.float32)
            curves = curves[~np.isnan(curves).any(axis=1)]
            if len(curves):
                bands[v.name] = np.percentile(curves, [10, 25, 50, 75, 90], axis=0)
        same = coincident(bands)  # median and every band the same: one would hide the other
        groups = {name: [later for later, first in same.items() if first == name] for name in bands if name not in same}
        for k, v in enumerate(result.variants):
            if v.name not in bands:
                continue
            color = _COLORS[k % len(_COLORS)]
            days = result.grid_hours(v.name) / 24.0
            p10, p25, p50, p75, p90 = bands[v.name]
            if v.name in same:
                # Drawn dashed over the first one, dashes of each in turn, so that both colours show.
                first = same[v.name]
                members = [first, *groups[first]]
                m, j = len(members), members.index(v.name)
                ax.step(days, p50, where="post", color=color, linewidth=1.8, linestyle=(5 * (j - 1), (5, 5 * (m - 1))), label=f"{v.name}: the same curves as {first}")
                continue
            ax.fill_between(days, p10, p90, color=color, alpha=0.15, linewidth=0, step="post")
            ax.fill_between(days, p25, p75, color=color, alpha=0.3, linewidth=0, step="post")
            ax.step(days, p50, where="post", color=color, linewidth=1.8, label=f"{v.name} (median, P25-P75, P10-P90)")
        notes.append(_same_text(same))
    axes[0].set_title("Affected systems serving")
    axes[1].set_title("Grade-weighted demand served (affected systems)")
    for ax in axes:
        ax.set_xlabel("time since the start")
        ax.xaxis.set_major_formatter(lambda days, _pos: fmt_duration(days * 24.0))
        ax.set_ylim(-0.02, 1.02)
        ax.grid(alpha=0.3)
        ax.yaxis.set_major_formatter(lambda y, _pos: f"{y:.0%}")
    axes[0].set_ylabel("share")
    for ax in axes:
        handles, labels = ax.get_legend_handles_labels()
        # A dashed line drawn in turns shows gaps in a legend's short sample: plain dashes there.
        handles = [Line2D([], [], color=h.get_color(), linewidth=1.8, linestyle="--") if "the same curves as" in label else h for h, label in zip(handles, labels)]
        ax.legend(handles, labels, loc="lower right", fontsize="small")
    lines = [f"Recovery over {result.runs:,} runs per variant (seed {result.seed})"]
    what = "identical median and percentile bands, drawn dashed over one another"
    if notes[0] and notes[0] == notes[1]:
        lines += textwrap.wrap(f"Coinciding curves: {notes[0]} ({what}, in both panels).", 120)
    else:
        for side, note in zip(("left", "right"), notes):
            if note:
                lines += textwrap.wrap(f"Coinciding curves in the {side} panel: {note} ({what}).", 120)
    fig.suptitle("\n".join(lines))
    return fig


def plot_recovery_curves(result: BatchResult, path: str | Path) -> None:
    """Recovery curves with percentile bands, one colour per variant; curves that coincide are said so."""
    _save(recovery_curves_figure(result), path)


def plot_restore_by_grade(result: BatchResult, path: str | Path) -> None:
    """Distribution of time to restore per grade (share of restore episodes per log-spaced bin)."""
    fig = Figure(figsize=(12, 7), layout="constrained")
    axes = fig.subplots(2, 2).ravel()
    source = "every affected system of every run" if result.system_rows_kept else "per-run mean over the grade's affected systems"
    limits = (1.0 / 60.0, max(v.end_hours for v in result.variants))
    for k, v in enumerate(result.variants):
        color = _COLORS[k % len(_COLORS)]
        scan = result.system_scan(v.name)
        if scan is not None:
            edges = scan.hist_edges
            hists = {g: scan.hist.get(g) for g in GRADES}
        else:
            edges = np.geomspace(1.0 / 60.0, max(v.end_hours, 1.0 / 30.0), 49)
            hists = {}
            for g in GRADES:
                values = result.metric(v.name, f"g{g}_restore_mean_hours")
                values = values[~np.isnan(values)]
                hists[g] = np.histogram(np.clip(values, edges[0], edges[-1]), edges)[0].astype(float) if len(values) else None
        for ax, g in zip(axes, GRADES):
            counts = hists.get(g)
            if counts is None or counts.sum() == 0:
                continue
            share = counts / counts.sum()
            ax.stairs(share, edges, color=color, linewidth=1.6, label=v.name)
    for ax, g in zip(axes, GRADES):
        ax.set_xscale("log")
        ax.set_xlim(*limits)
        ax.set_title(f"grade {g}")
        ax.set_xlabel("time to restore (log scale)")
        ax.xaxis.set_major_formatter(lambda hours, _pos: fmt_duration(hours))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_ylabel("share")
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize="small")
        else:
            ax.text(0.5, 0.5, "no system of this grade went down", ha="center", va="center", transform=ax.transAxes, color="grey")
    fig.suptitle(f"Time to restore by grade ({source})")
    _save(fig, path)

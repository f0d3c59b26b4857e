"""The cost-risk Pareto front as a PNG (matplotlib, no display needed).

x: budget cost of a portfolio (capital + years x yearly); y: its residual expected annual loss.
Grey dots: every portfolio simulated; orange squares: single options (labelled); the line: the
Pareto front, its points numbered and listed under the plot, each with the 95 % interval of its
EAL avoided (paired against the baseline, so the baseline's own uncertainty, shown as a grey band,
is not counted twice); a star: the chosen portfolio; a dashed vertical line: the budget.
"""

from __future__ import annotations

import math
from pathlib import Path

from ..model.diagnostics import DrillsimError
from .analysis import InvestReport, Portfolio

__all__ = ["plot_pareto"]


def _label(p: Portfolio) -> str:
    return " + ".join(p.options) if p.options else "baseline"


def plot_pareto(report: InvestReport, path: str | Path) -> Path:
    """Write the Pareto-front plot of ``report`` to ``path`` (PNG); return the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    from .report import money

    path = Path(path)
    front = report.pareto
    key_lines = [f"[{i}] {_label(p)}" for i, p in enumerate(front, 1)]
    note = "Pareto front: " + "; ".join(key_lines) + ".\nBars: 95% interval of the EAL avoided (paired runs against the baseline)."
    lines = math.ceil(len(note) / 170) + 1  # about 170 characters a line at this size
    fig, ax = plt.subplots(figsize=(10, 6.5 + 0.15 * lines), dpi=110)
    try:
        everything = report.portfolios
        ax.scatter([p.budget_cost for p in everything], [p.eal.mean for p in everything], s=14, color="0.7", label=f"portfolios simulated ({len(everything)})", zorder=1)
        ax.plot([p.budget_cost for p in front], [p.eal.mean for p in front], "-o", color="tab:blue", label="Pareto front [numbered below]", zorder=3)
        for i, p in enumerate(front, 1):
            # The bar is the paired interval of the difference from the baseline: the uncertainty
            # of the baseline's own level is common to every portfolio and is left out.
            if p.options and p.avoided.low is not None and p.avoided.high is not None:
                ax.errorbar(p.budget_cost, p.eal.mean, yerr=[[p.avoided.high - p.avoided.mean], [p.avoided.mean - p.avoided.low]], color="tab:blue", capsize=3, zorder=2)
            ax.annotate(f"[{i}]", (p.budget_cost, p.eal.mean), textcoords="offset points", xytext=(-4, -13), fontsize=8, color="tab:blue")
        singles = [p for p in everything if len(p.options) == 1]
        ax.scatter([p.budget_cost for p in singles], [p.eal.mean for p in singles], s=30, marker="s", color="tab:orange", label="single options", zorder=4)
        for p in singles:
            ax.annotate(p.options[0], (p.budget_cost, p.eal.mean), textcoords="offset points", xytext=(5, 4), fontsize=7, rotation=20)
        if report.choice is not None:
            c = report.choice.portfolio
            ax.scatter([c.budget_cost], [c.eal.mean], s=180, marker="*", color="tab:red", label=f"chosen: {_label(c)}", zorder=5)
            if report.choice.budget is not None:
                ax.axvline(report.choice.budget, linestyle="--", color="tab:red", linewidth=1, label="budget")
        base = next((p for p in everything if not p.options), None)
        if base is not None and base.eal.low is not None and base.eal.high is not None:
            ax.axhspan(base.eal.low, base.eal.high, color="0.9", zorder=0, label="baseline EAL, 95% interval")
        fig.text(0.01, 0.01, note, fontsize=7, wrap=True, va="bottom")
        fmt = FuncFormatter(lambda v, _pos: money(v))
        ax.xaxis.set_major_formatter(fmt)
        ax.yaxis.set_major_formatter(fmt)
        ax.set_xlabel(f"budget cost ({report.currency}: capital + {report.settings.years:g} x yearly)")
        ax.set_ylabel(f"residual expected annual loss ({report.currency}/year)")
        ax.set_title(f"Cost-risk Pareto front: {Path(report.options_file).name} ({report.runs_label} per threat)")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8, loc="upper right")
        fig.tight_layout(rect=(0, 0.015 + 0.018 * lines, 1, 1))
        try:
            fig.savefig(path, format="png")
        except OSError as exc:
            raise DrillsimError(f"--plot: cannot write {path}: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)
    return path

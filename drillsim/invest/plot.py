"""The cost-risk Pareto front as a PNG (matplotlib, no display needed).

x: budget cost of a portfolio (capital + years x yearly); y: its residual expected annual loss,
with the 95 % interval as an error bar. Grey dots: every portfolio simulated; the line: the
Pareto front; labelled: single options and the front; a star: the chosen portfolio; a dashed
vertical line: the budget.
"""

from __future__ import annotations

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
    fig, ax = plt.subplots(figsize=(10, 6.5), dpi=110)
    try:
        everything = report.portfolios
        ax.scatter([p.budget_cost for p in everything], [p.eal.mean for p in everything], s=14, color="0.7", label=f"portfolios simulated ({len(everything)})", zorder=1)
        front = report.pareto
        ax.plot([p.budget_cost for p in front], [p.eal.mean for p in front], "-o", color="tab:blue", label="Pareto front", zorder=3)
        for p in front:
            if p.eal.low is not None and p.eal.high is not None:
                ax.errorbar(p.budget_cost, p.eal.mean, yerr=[[p.eal.mean - p.eal.low], [p.eal.high - p.eal.mean]], color="tab:blue", capsize=3, zorder=2)
        labelled = {p.options for p in front} | {p.options for p in everything if len(p.options) == 1}
        for p in everything:
            if p.options in labelled:
                ax.annotate(_label(p), (p.budget_cost, p.eal.mean), textcoords="offset points", xytext=(5, 4), fontsize=7)
        singles = [p for p in everything if len(p.options) == 1]
        ax.scatter([p.budget_cost for p in singles], [p.eal.mean for p in singles], s=30, marker="s", color="tab:orange", label="single options", zorder=4)
        if report.choice is not None:
            c = report.choice.portfolio
            ax.scatter([c.budget_cost], [c.eal.mean], s=180, marker="*", color="tab:red", label=f"chosen: {_label(c)}", zorder=5)
            if report.choice.budget is not None:
                ax.axvline(report.choice.budget, linestyle="--", color="tab:red", linewidth=1, label="budget")
        fmt = FuncFormatter(lambda v, _pos: money(v))
        ax.xaxis.set_major_formatter(fmt)
        ax.yaxis.set_major_formatter(fmt)
        ax.set_xlabel(f"budget cost ({report.currency}: capital + {report.settings.years:g} x yearly)")
        ax.set_ylabel(f"residual expected annual loss ({report.currency}/year)")
        ax.set_title(f"Cost-risk Pareto front: {Path(report.options_file).name} ({report.settings.runs} runs per threat)")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8, loc="upper right")
        fig.tight_layout()
        try:
            fig.savefig(path, format="png")
        except OSError as exc:
            raise DrillsimError(f"--plot: cannot write {path}: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)
    return path

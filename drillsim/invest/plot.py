"""The cost-risk Pareto front as a PNG (matplotlib's Agg canvas, no display and no pyplot state).

x: budget cost of a portfolio (capital + years x yearly); y: its residual expected annual loss.
Grey dots: every portfolio simulated; the blue line: the Pareto front; orange squares: single
options; a star: the chosen portfolio; a dashed vertical line: the budget. The front's points and
the single options carry short numbers ``[k]`` placed where they overlap no other number, and a key
under the plot names them. Bars: the 95 % interval of each portfolio's EAL avoided, paired against
the baseline. The baseline's own interval is common to every portfolio (the same random worlds), so
it is stated in the key rather than drawn: drawn as a band it would dwarf every difference shown.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from ..model.diagnostics import DrillsimError
from .analysis import InvestReport, Portfolio

__all__ = ["plot_pareto", "pareto_figure"]

_OFFSETS = ((6, 5), (6, -13), (-22, 5), (-22, -13), (6, 15), (6, -23), (-22, 15), (-22, -23), (16, -4), (-32, -4), (16, 22), (-32, 22), (16, -30), (-32, -30))
"""Where a number may go around its point, in points, tried in order."""


def _label(p: Portfolio) -> str:
    return " + ".join(p.options) if p.options else "baseline (nothing bought)"


def _numbered(report: InvestReport) -> list[tuple[int, Portfolio, bool]]:
    """(number, portfolio, on the front): the front cheapest first, then single options off it."""
    out = [(k, p, True) for k, p in enumerate(report.pareto, 1)]
    seen = {p.options for p in report.pareto}
    singles = sorted((p for p in report.portfolios if len(p.options) == 1 and p.options not in seen), key=lambda p: (p.budget_cost, p.options))
    out += [(len(out) + k, p, False) for k, p in enumerate(singles, 1)]
    return out


def _lines(entries: list[str], width: int) -> list[str]:
    """The entries on as few lines as fit ``width`` characters, never one cut in two."""
    lines: list[str] = []
    for entry in entries:
        if lines and len(lines[-1]) + 3 + len(entry) <= width:
            lines[-1] += "   " + entry
        else:
            lines.append(entry)
    return lines


def _place_numbers(fig: Any, ax: Any, numbered: list[tuple[int, Portfolio, bool]]) -> list[Any]:
    """Annotate each point with its number, at the first offset that overlaps no number already placed."""
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed: list[Any] = []
    texts = []
    for number, p, front in numbered:
        best = None
        for dx, dy in _OFFSETS:
            text = ax.annotate(f"[{number}]", (p.budget_cost, p.eal.mean), textcoords="offset points", xytext=(dx, dy),
                               fontsize=8, color="tab:blue" if front else "tab:orange", zorder=6)
            box = text.get_window_extent(renderer).expanded(1.05, 1.1)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(other) for other in placed):
                best = (text, box)
                break
            text.remove()
        if best is None:  # nowhere free: the first place, so that the number is at least shown
            dx, dy = _OFFSETS[0]
            text = ax.annotate(f"[{number}]", (p.budget_cost, p.eal.mean), textcoords="offset points", xytext=(dx, dy),
                               fontsize=8, color="tab:blue" if front else "tab:orange", zorder=6)
            best = (text, text.get_window_extent(renderer))
        placed.append(best[1])
        texts.append(best[0])
    return texts


def pareto_figure(report: InvestReport) -> Any:
    """The Pareto-front plot of ``report`` as a matplotlib Figure (on an Agg canvas)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    from .report import money

    numbered = _numbered(report)
    entries = [f"[{k}] {_label(p)}" + ("" if front else " (off the front)") for k, p, front in numbered]
    base = next((p for p in report.portfolios if not p.options), None)
    baseline = ""
    if base is not None:
        interval = f", 95% interval {money(base.eal.low)} to {money(base.eal.high)}" if base.eal.low is not None and base.eal.high is not None else ""
        baseline = (f"Baseline (nothing bought): residual EAL {money(base.eal.mean)}/year{interval}; this uncertainty is common to "
                    "every portfolio (same random worlds), so the bars show only each portfolio's paired interval of EAL avoided.")
    key = "\n".join(_lines(entries, 150) + textwrap.wrap(baseline, 150))
    key_lines = key.count("\n") + 1
    fig = Figure(figsize=(12, 6.2 + 0.16 * key_lines), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    ax, key_ax = fig.subplots(2, 1, height_ratios=(6.0, 0.16 * key_lines + 0.1))
    everything = report.portfolios
    ax.scatter([p.budget_cost for p in everything], [p.eal.mean for p in everything], s=14, color="0.7", label=f"portfolios simulated ({len(everything)})", zorder=1)
    front = report.pareto
    ax.plot([p.budget_cost for p in front], [p.eal.mean for p in front], "-o", color="tab:blue", label="Pareto front", zorder=3)
    for p in front:
        if p.options and p.avoided.low is not None and p.avoided.high is not None:
            ax.errorbar(p.budget_cost, p.eal.mean, yerr=[[p.avoided.high - p.avoided.mean], [p.avoided.mean - p.avoided.low]], color="tab:blue", capsize=3, zorder=2)
    singles = [p for p in everything if len(p.options) == 1]
    ax.scatter([p.budget_cost for p in singles], [p.eal.mean for p in singles], s=30, marker="s", color="tab:orange", label="single options", zorder=4)
    if report.choice is not None:
        c = report.choice.portfolio
        ax.scatter([c.budget_cost], [c.eal.mean], s=180, marker="*", color="tab:red", label=f"chosen: {_label(c)}", zorder=5)
        if report.choice.budget is not None:
            ax.axvline(report.choice.budget, linestyle="--", color="tab:red", linewidth=1, label=f"budget {money(report.choice.budget)}")
    fmt = FuncFormatter(lambda v, _pos: money(v))
    ax.xaxis.set_major_formatter(fmt)
    ax.yaxis.set_major_formatter(fmt)
    ax.margins(x=0.06, y=0.12)
    ax.set_xlabel(f"budget cost ({report.currency}: capital + {report.settings.years:g} x yearly)")
    ax.set_ylabel(f"residual expected annual loss ({report.currency}/year)")
    ax.set_title(f"Cost-risk Pareto front: {Path(report.options_file).name} ({report.runs_label} per threat)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    key_ax.axis("off")
    key_ax.text(0.0, 1.0, key, fontsize=8, va="top", ha="left", transform=key_ax.transAxes)
    fig.canvas.draw()  # fixes the layout, so that the numbers are placed where they will be drawn
    fig.set_layout_engine("none")
    _place_numbers(fig, ax, numbered)
    return fig


def plot_pareto(report: InvestReport, path: str | Path) -> Path:
    """Write the Pareto-front plot of ``report`` to ``path`` (PNG); return the path."""
    path = Path(path)
    fig = pareto_figure(report)
    try:
        fig.savefig(path, format="png")
    except OSError as exc:
        raise DrillsimError(f"--plot: cannot write {path}: {exc.strerror or exc}") from None
    return path

"""The budget office's plots as PNG: loss exceedance curves, the tornado, the ranking under the assumptions.

matplotlib is imported inside the functions (Agg backend, no display). Each ``*_png`` function
returns the PNG bytes (the HTML report embeds them); :func:`write_png` writes them to a file.
Labels that could collide are kept apart by construction: figures are read from legends and a
column of text beside the axes, never from annotations placed next to data points.

Amounts in Korean units (``--korean-units``) need a font with Hangul; when matplotlib has none,
the axes count in units of 억 (10^8) and say so in their labels, in Latin letters.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ..model.diagnostics import DrillsimError
from .amounts import EOK, compact, korean
from .results import InvestReport

__all__ = ["exceedance_png", "tornado_png", "ranking_png", "write_png", "hangul_font"]

BASE_COLOUR, CHOSEN_COLOUR = "tab:blue", "tab:orange"


@lru_cache(maxsize=1)
def hangul_font() -> str | None:
    """The name of an installed font that has Hangul (None if matplotlib finds none)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    for entry in font_manager.fontManager.ttflist:
        if "last resort" in entry.name.lower():
            continue  # draws every character as a box
        try:
            if FT2Font(entry.fname).get_char_index(ord("억")):
                return entry.name
        except (OSError, RuntimeError):  # pragma: no cover - an unreadable font file
            continue
    return None


def _money(report: InvestReport, korean_units: bool) -> tuple[Callable[[float], str], str, dict[str, Any]]:
    """Tick formatter, unit label and rc settings for amounts."""
    if not korean_units:
        return (lambda v: compact(v)), report.currency, {}
    font = hangul_font()
    if font is not None:
        return (lambda v: korean(v)), "원", {"font.family": [font, "DejaVu Sans"]}
    return (lambda v: f"{v / EOK:,.4g}"), "eok won = 100 million won", {}


def _label(options: tuple[str, ...]) -> str:
    return " + ".join(options) if options else "baseline (no option)"


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def write_png(data: bytes, path: str | Path, what: str = "--plot") -> Path:
    """Write PNG bytes to ``path``; a DrillsimError naming ``what`` if it cannot be written."""
    path = Path(path)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise DrillsimError(f"{what}: cannot write {path}: {exc.strerror or exc}") from None
    return path


def exceedance_png(report: InvestReport, korean_units: bool = False) -> bytes:
    """Aggregate and occurrence exceedance curves of the baseline and the chosen portfolio, log-log."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    risk = report.risk
    if risk is None:
        raise DrillsimError("no annual loss distribution to plot (--risk-years 0)")
    fmt, unit, rc = _money(report, korean_units)
    entries = [(risk.baseline, BASE_COLOUR)]
    chosen = risk.get(risk.chosen) if risk.chosen else None
    if chosen is not None and chosen.options:
        entries.append((chosen, CHOSEN_COLOUR))
    floor = 0.5 / risk.years
    with plt.rc_context(rc):
        fig, axes = plt.subplots(1, 2, figsize=(12.5, 5.4), dpi=110, sharey=True, layout="constrained")
        try:
            for ax, kind, title, prefix in (
                (axes[0], "aggregate", "A year's total loss (aggregate)", ""),
                (axes[1], "occurrence", "The year's largest single event (occurrence)", "occurrence_"),
            ):
                for entry, colour in entries:
                    curve = entry.curves.get(kind)
                    if not curve:
                        continue
                    x = np.asarray(curve["loss"], dtype=float)
                    p = np.asarray(curve["p"], dtype=float)
                    low = np.clip(np.array(curve["low"], dtype=float), floor, 1)  # None (no bootstrap) -> NaN
                    high = np.clip(np.array(curve["high"], dtype=float), floor, 1)
                    var, tvar = entry.metrics[f"{prefix}var99"]["value"], entry.metrics[f"{prefix}tvar99"]["value"]
                    label = f"{_label(entry.options)}: 1 in 100 years {fmt(var)}, tail mean {fmt(tvar)}"
                    width = 3.5 if colour == BASE_COLOUR else 1.8  # the baseline under the portfolio where they agree
                    ax.plot(x, np.where(p > 0, p, np.nan), color=colour, linewidth=width, label=label)
                    if np.isfinite(low).all() and np.isfinite(high).all():
                        ax.fill_between(x, low, high, color=colour, alpha=0.2, linewidth=0)
                for level, text in ((0.1, "1 in 10 years"), (0.01, "1 in 100 years")):
                    ax.axhline(level, color="0.5", linestyle=":", linewidth=1)
                    ax.text(0.01, level * 1.08, text, transform=ax.get_yaxis_transform(), fontsize=8, color="0.35", va="bottom")
                ax.set_xscale("log")
                ax.set_yscale("log")
                ax.set_ylim(floor, 1.0)
                ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(v)))
                ax.set_xlabel(f"loss x ({unit})")
                ax.set_title(title, fontsize=11)
                ax.grid(True, which="major", alpha=0.3)
                ax.legend(fontsize=8, loc="lower left")
            axes[0].set_ylabel("P(loss > x) in a year")
            right = axes[1].secondary_yaxis("right", functions=(lambda p: 1 / np.maximum(p, 1e-300), lambda r: 1 / np.maximum(r, 1e-300)))
            right.set_ylabel("return period (years)")
            fig.suptitle(f"Loss exceedance over {risk.years:,} simulated years (bands: 95 % bootstrap over runs and years)", fontsize=12)
            return _png(fig)
        finally:
            plt.close(fig)


def _short(label: str) -> str:
    """``ups-battery-room: capital cost`` -> ``capital cost: ups-battery-room`` (the kind first, for aligned reading)."""
    if label.startswith("loss figures "):
        return "loss factor: " + label[len("loss figures "):].replace(": factor", "")
    target, _, kind = label.partition(": ")
    return f"{kind.replace(' (per year)', '').replace(' (years)', '')}: {target}"


def tornado_png(report: InvestReport, korean_units: bool = False, top: int = 6) -> bytes:
    """One tornado per option (small multiples): the NPV with each range at its 5th and 95th percentile."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    u = report.uncertainty
    if u is None:
        raise DrillsimError("no assumption is a range: nothing for a tornado")
    fmt, unit, rc = _money(report, korean_units)
    n = len(u.options)
    cols = 2 if n > 1 else 1
    rows = math.ceil(n / cols)
    point = {r.option.id: r.npv.mean for r in report.options}
    with plt.rc_context(rc):
        fig, axes = plt.subplots(rows, cols, figsize=(13, 0.9 + 2.5 * rows), dpi=110, squeeze=False, layout="constrained")
        try:
            for ax in axes.ravel()[n:]:
                ax.set_visible(False)
            for ax, o in zip(axes.ravel(), u.options):
                centre = point.get(o.id, o.npv.p50)
                biggest = o.tornado[0].swing if o.tornado else 0.0
                bars = [b for b in o.tornado[:top] if b.swing >= 0.005 * biggest]  # the JSON keeps the rest
                labels = [_short(b.label) for b in bars]
                y = np.arange(len(bars) + (1 if o.simulation_npv else 0))
                for k, b in enumerate(bars):
                    ax.barh(k, b.npv_low - centre, left=centre, color=BASE_COLOUR, height=0.6)
                    ax.barh(k, b.npv_high - centre, left=centre, color=CHOSEN_COLOUR, height=0.6)
                if o.simulation_npv:
                    low, high = o.simulation_npv
                    ax.barh(len(bars), high - low, left=low, color="0.7", height=0.6)
                    labels.append("simulation noise (95 % over runs)")
                ax.set_yticks(y, labels, fontsize=7)
                ax.invert_yaxis()
                ax.axvline(centre, color="black", linewidth=1)
                ax.axvline(0, color="tab:red", linestyle="--", linewidth=1)
                ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(v)))
                ax.tick_params(axis="x", labelsize=7)
                ax.set_title(f"{o.rank}. {o.id}: NPV {fmt(centre)}, P(worth it) {o.p_worth:.0%}", fontsize=9)
                ax.grid(True, axis="x", alpha=0.3)
            legend = [
                Patch(color=BASE_COLOUR, label="assumption at its 5th percentile"),
                Patch(color=CHOSEN_COLOUR, label="at its 95th percentile"),
                Patch(color="0.7", label="simulation noise"),
            ]
            fig.legend(handles=legend, loc="outside lower center", ncols=3, fontsize=8)
            fig.suptitle(f"Tornado: what moves each option's NPV ({unit}); black line: point NPV, red dashed: NPV = 0", fontsize=11)
            return _png(fig)
        finally:
            plt.close(fig)


def ranking_png(report: InvestReport, korean_units: bool = False) -> bytes:
    """Each option's NPV under the assumptions (5th to 95th percentile), its point NPV, P(worth it) and rank interval."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    fmt, unit, rc = _money(report, korean_units)
    u = report.uncertainty
    options = report.options
    with plt.rc_context(rc):
        fig, (ax, side) = plt.subplots(1, 2, figsize=(12.5, 1.6 + 0.5 * len(options)), dpi=110, sharey=True, width_ratios=[3, 1.5], layout="constrained")
        try:
            side.axis("off")
            for k, r in enumerate(options):
                if u is not None:
                    o = u.option(r.option.id)
                    band = "NPV under the assumptions, 5th-95th percentile" if k == 0 else None
                    ax.plot([o.npv.p5, o.npv.p95], [k, k], color=BASE_COLOUR, linewidth=6, alpha=0.45, solid_capstyle="butt", label=band)
                    ax.plot(o.npv.mean, k, "o", markerfacecolor="white", markeredgecolor=BASE_COLOUR, label="mean under the assumptions" if k == 0 else None)
                    low, high = o.rank_interval
                    rank = f"rank {low}" if low == high else f"rank {low}-{high}, uncertain"
                    side.text(0.0, k, f"P(worth it) {o.p_worth:.0%}, P(in best portfolio) {o.p_in_best:.0%}, {rank}", va="center", fontsize=8, transform=side.get_yaxis_transform())
                if r.npv.low is not None and r.npv.high is not None:
                    ax.plot([r.npv.low, r.npv.high], [k, k], color="black", linewidth=1.5, label="point NPV, 95 % over runs" if k == 0 else None)
                ax.plot(r.npv.mean, k, "D", color="black", markersize=5, label="point NPV" if k == 0 else None)
            ax.axvline(0, color="tab:red", linestyle="--", linewidth=1)
            ax.set_yticks(range(len(options)), [f"{r.rank}. {r.option.id}" for r in options], fontsize=8)
            ax.set_ylim(len(options) - 0.5, -0.5)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(v)))
            ax.set_xlabel(f"NPV ({unit}) over each option's lifetime at {report.discount_rate:.1%}")
            ax.grid(True, axis="x", alpha=0.3)
            fig.legend(loc="outside lower center", ncols=4, fontsize=7, frameon=False)
            fig.suptitle("Options ranked (point figures) and their NPV under the assumptions", fontsize=11)
            return _png(fig)
        finally:
            plt.close(fig)

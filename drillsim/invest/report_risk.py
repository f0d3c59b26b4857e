"""The annual loss distribution and the robustness of the ranking in the terminal (rich tables)."""

from __future__ import annotations

from typing import Callable

from rich.console import RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .office_tables import percent
from .results import InvestReport

__all__ = ["risk_table", "uncertainty_table"]

Money = Callable[..., str]


def _band(entry: dict[str, float], fmt: Money) -> str:
    value, low, high = entry["value"], entry.get("low"), entry.get("high")
    if low is None or high is None:
        return fmt(value)
    return f"{fmt(value)}\n[{fmt(low)}, {fmt(high)}]"


def risk_table(report: InvestReport, fmt: Money) -> RenderableType:
    """Per portfolio: EAL over the simulated years, VaR and TVaR at 90 and 99 %, P(grade-1 breach), P(data lost)."""
    risk = report.risk
    if risk is None:
        return Text("")
    table = Table(
        title=f"Annual loss over {risk.years:,} simulated years (the runs reused; 95 % bootstrap intervals)",
        caption=(
            f"Money in {report.currency}. VaR 99 %: the 1-in-100-year loss; TVaR 99 %: the mean loss of the worst 1 % of years. "
            "Each threat occurs a Poisson number of times a year (a year of background failures once), each occurrence one of its runs; "
            "every portfolio sees the same years."
        ),
        caption_justify="left",
    )
    for column in ("portfolio", "EAL/yr", "VaR 90 %", "TVaR 90 %", "VaR 99 %", "TVaR 99 %", "P(grade-1\nbreach)", "P(data lost\nfor good)"):
        table.add_column(column, justify="left" if column == "portfolio" else "right")
    for p in risk.portfolios:
        m = p.metrics
        name = " + ".join(p.options) or "baseline"
        if risk.chosen is not None and p.options == tuple(risk.chosen) and p.options:
            name = f"[bold]{escape(name)}[/] (chosen)"
        else:
            name = escape(name)
        table.add_row(
            name,
            fmt(m["mean"]["value"]),
            _band(m["var90"], fmt),
            _band(m["tvar90"], fmt),
            _band(m["var99"], fmt),
            _band(m["tvar99"], fmt),
            percent(m["p_grade1_breach"]["value"]),
            percent(m["p_data_lost"]["value"]),
        )
    return table


def uncertainty_table(report: InvestReport, fmt: Money) -> RenderableType:
    """Per option under the assumptions' ranges: NPV spread, P(worth it), P(in best portfolio), rank interval, break-even."""
    u = report.uncertainty
    if u is None:
        return Text("")
    table = Table(
        title=f"The ranking under the assumptions' ranges ({u.samples:,} outer samples; {len(u.ranged)} ranges; the runs reweighted)",
        caption=(
            "NPV: 5th / 95th percentile and mean over the samples. Rank in yellow: its 90 % interval spans more than one rank. "
            + (f"The chosen portfolio is the best in {percent(u.p_chosen_best)} of samples. " if u.p_chosen_best is not None else "")
            + "".join(f"Order of {escape(f['above'])} above {escape(f['below'])} kept in {percent(f['p_kept'])} of samples. " for f in u.flips[:5])
        ),
        caption_justify="left",
    )
    for column in ("#", "option", "NPV p5 .. p95\n(mean)", "P(worth\nits cost)", "P(in best\nportfolio)", "rank\n(90 %)", "break-even"):
        table.add_column(column, justify="left" if column in ("option", "break-even") else "right")
    for o in u.options:
        low, high = o.rank_interval
        rank = f"{low}" if low == high else f"[yellow]{low}-{high}[/]"
        table.add_row(
            str(o.rank),
            escape(o.id),
            f"{fmt(o.npv.p5)} .. {fmt(o.npv.p95)}\n({fmt(o.npv.mean)})",
            percent(o.p_worth),
            percent(o.p_in_best),
            rank,
            escape(o.break_even.sentence()),
        )
    return table

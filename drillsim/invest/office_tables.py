"""The tables of the office outputs, built once for the HTML report and the XLSX workbook alike.

Each :class:`Sheet` is a title, typed columns and rows of plain values; the HTML report formats a
``money`` cell as text (``2.51bn`` or ``2,510억``), the workbook writes it as a number with a
number format, so both show the same figures. Money is in the options file's currency.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .results import InvestReport

__all__ = ["Column", "Sheet", "office_tables", "KINDS", "percent"]

KINDS = ("text", "money", "share", "number", "int", "years", "rate")
"""Cell kinds: text, an amount of money, a probability or share (0..1), a plain number, a whole
number, a number of years, occurrences per year."""


@dataclass
class Column:
    """A column: its title and the kind of its cells (see :data:`KINDS`)."""

    title: str
    kind: str = "text"
    width: int = 14
    """Width in the workbook (characters)."""


@dataclass
class Sheet:
    """One table: a short name (the workbook's sheet), a title, columns, rows and a note under it."""

    name: str
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""

    def kind(self, row: list[Any], col: int) -> str:
        """The kind of one cell: the column's, unless the cell is a ``(value, kind)`` pair."""
        cell = row[col]
        return cell[1] if isinstance(cell, tuple) else self.columns[col].kind

    @staticmethod
    def value(cell: Any) -> Any:
        """The value of a cell (a ``(value, kind)`` pair gives its value); non-finite floats are None."""
        value = cell[0] if isinstance(cell, tuple) else cell
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return value


def percent(value: float) -> str:
    """A probability in per cent: one decimal near 0 and 1 (``0.1%``, ``99.5%``), else none (``65%``)."""
    return f"{value:.1%}" if 0 < value < 0.1 or 0.9 < value < 1 else f"{value:.0%}"


def _band(entry: dict[str, float] | None) -> tuple[Any, Any, Any]:
    if not entry:
        return None, None, None
    return entry.get("value"), entry.get("low"), entry.get("high")


def _ranking(report: InvestReport) -> Sheet:
    sheet = Sheet(
        "Ranking",
        f"Options ranked by {report.settings.rank_by}, each alone (point figures; 95 % intervals over runs)",
        [
            Column("rank", "int", 6), Column("option", "text", 24), Column("name", "text", 36), Column("capital cost", "money"), Column("yearly cost", "money"),
            Column("lifetime", "years", 9), Column("budget cost", "money"), Column("EAL avoided / year", "money"), Column("low", "money"),
            Column("high", "money"), Column("NPV", "money"), Column("NPV low", "money"), Column("NPV high", "money"),
            Column("benefit/cost", "number", 10), Column("payback (years)", "years", 10), Column("helps", "text", 30),
        ],
        note=f"Discount rate {report.discount_rate:.1%}; budget cost = capital + {report.settings.years:g} x yearly cost.",
    )
    for r in report.options:
        o = r.option
        sheet.rows.append([
            r.rank, o.id, o.label, o.figure("capital_cost"), o.figure("yearly_cost"), o.figure("lifetime"), r.budget_cost,
            r.avoided.mean, r.avoided.low, r.avoided.high, r.npv.mean, r.npv.low, r.npv.high,
            r.bcr.mean if r.bcr is not None else None, r.payback_years, ", ".join(r.helps),
        ])
    return sheet


def _robustness(report: InvestReport) -> Sheet | None:
    u = report.uncertainty
    if u is None:
        return None
    sheet = Sheet(
        "Robustness",
        f"The ranking under the assumptions' ranges ({u.samples:,} outer samples, the runs reweighted)",
        [
            Column("rank", "int", 6), Column("option", "text", 24), Column("NPV mean", "money"), Column("NPV p5", "money"),
            Column("NPV median", "money"), Column("NPV p95", "money"), Column("P(worth its cost)", "share", 10),
            Column("P(in best portfolio)", "share", 10), Column("rank interval (90 %)", "text", 10), Column("P(point rank)", "share", 10),
            Column("ranking", "text", 10), Column("break-even", "text", 60),
        ],
        note="A rank is uncertain when its 90 % interval spans more than one rank. " + " ".join(n[0].upper() + n[1:] + "." for n in u.notes),
    )
    for o in u.options:
        low, high = o.rank_interval
        sheet.rows.append([
            o.rank, o.id, o.npv.mean, o.npv.p5, o.npv.p50, o.npv.p95, o.p_worth, o.p_in_best,
            f"{low}" if low == high else f"{low}-{high}", o.p_rank, "uncertain" if o.uncertain else "settled", o.break_even.sentence(),
        ])
    return sheet


def _portfolio(report: InvestReport) -> Sheet | None:
    c = report.choice
    if c is None:
        return None
    p = c.portfolio
    sheet = Sheet("Portfolio", "The best portfolio within the budget", [Column("", "text", 30), Column("value", "text", 40)])
    rows: list[list[Any]] = [
        ["options", " + ".join(p.options) or "(nothing)"],
        ["budget", (c.budget, "money") if c.budget is not None else "no limit"],
        ["search", f"{c.search}, {c.candidates} portfolios simulated"],
        ["budget cost", (p.budget_cost, "money")],
        ["EAL avoided / year", (p.avoided.mean, "money")],
        ["residual EAL / year", (p.eal.mean, "money")],
        ["equivalent annual cost", (p.eac, "money")],
        ["net yearly benefit", (p.avoided.mean - p.eac, "money")],
    ]
    risk = report.risk
    if risk is not None:
        chosen, base = risk.get(p.options), risk.baseline
        if chosen is not None:
            for key, label in (("var99", "1-in-100-year loss (VaR 99 %)"), ("tvar99", "tail expectation beyond it (TVaR 99 %)")):
                rows.append([f"{label}, baseline", (base.metrics[key]["value"], "money")])
                rows.append([f"{label}, with the portfolio", (chosen.metrics[key]["value"], "money")])
    u = report.uncertainty
    if u is not None and u.p_chosen_best is not None:
        rows.append(["P(best under the assumptions)", (u.p_chosen_best, "share")])
        for entry in u.best[:5]:
            rows.append([f"best in {percent(entry['probability'])} of samples", " + ".join(entry["options"]) or "(nothing)"])
    sheet.rows = rows
    return sheet


def _annual(report: InvestReport) -> list[Sheet]:
    risk = report.risk
    if risk is None:
        return []
    columns = [Column("portfolio", "text", 30)]
    keys = [
        ("mean", "EAL (simulated years)"),
        ("var90", "VaR 90 %"),
        ("tvar90", "TVaR 90 %"),
        ("var99", "VaR 99 %"),
        ("tvar99", "TVaR 99 %"),
        ("occurrence_var99", "largest event, VaR 99 %"),
    ]
    for _, label in keys:
        columns += [Column(label, "money"), Column("low", "money"), Column("high", "money")]
    columns += [Column("P(grade-1 RTO breach)", "share", 10), Column("P(data lost for good)", "share", 10)]
    annual = Sheet(
        "Annual loss",
        f"Annual loss distribution over {risk.years:,} simulated years (95 % bootstrap intervals, {risk.bootstrap} replicates)",
        columns,
        note="Each threat occurs a Poisson number of times a year (every-year threats once), each occurrence one of its simulated runs; every portfolio sees the same years. "
        "VaR q: the loss not exceeded in a share q of years; TVaR q: the mean loss of the worst 1 - q of years.",
    )
    for p in risk.portfolios:
        row: list[Any] = [" + ".join(p.options) or "baseline (no option)"]
        for key, _ in keys:
            row += list(_band(p.metrics.get(key)))
        row += [p.metrics["p_grade1_breach"]["value"], p.metrics["p_data_lost"]["value"]]
        annual.rows.append(row)
    periods = Sheet("Return periods", "Aggregate annual loss by return period (once in N years)", [Column("portfolio", "text", 30)])
    shown = [p for p in risk.portfolios if p.curves]
    span = sorted({rp for p in shown for rp in p.return_periods})
    for rp in span:
        periods.columns += [Column(f"1 in {rp} years", "money")]
    for p in shown:
        periods.rows.append([" + ".join(p.options) or "baseline (no option)", *(p.return_periods[rp]["value"] for rp in span)])
    curves = Sheet(
        "Exceedance",
        "Exceedance curves: P(annual loss > x), with 95 % bands",
        [
            Column("curve", "text", 12),
            Column("portfolio", "text", 30),
            Column("loss x", "money"),
            Column("P(loss > x)", "share", 10),
            Column("low", "share", 10),
            Column("high", "share", 10),
        ],
    )
    for p in shown:
        for kind, curve in p.curves.items():
            for x, q, lo, hi in zip(curve["loss"], curve["p"], curve["low"], curve["high"]):
                curves.rows.append([kind, " + ".join(p.options) or "baseline", x, q, lo, hi])
    return [annual, periods, curves]


def _tornado(report: InvestReport) -> list[Sheet]:
    u = report.uncertainty
    if u is None:
        return []
    tornado = Sheet(
        "Tornado",
        "What moves each option's NPV: one range at its 5th, then 95th percentile, the others at their point figures",
        [
            Column("option", "text", 24),
            Column("assumption", "text", 40),
            Column("at p5", "number"),
            Column("at p95", "number"),
            Column("NPV at p5", "money"),
            Column("NPV at p95", "money"),
            Column("swing", "money"),
        ],
    )
    kinds = {a["key"]: a["kind"] for a in report.assumptions}
    cell = {"frequency": "rate", "capital_cost": "money", "yearly_cost": "money", "lifetime": "years", "loss_figure": "number"}
    for o in u.options:
        for b in o.tornado:
            kind = cell.get(kinds.get(b.key, ""), "number")
            tornado.rows.append([o.id, b.label, (b.at_low, kind), (b.at_high, kind), b.npv_low, b.npv_high, b.swing])
    breakeven = Sheet(
        "Break-even",
        "Break-even frequency of each option's main threat (NPV = 0)",
        [
            Column("option", "text", 24),
            Column("main threat", "text", 20),
            Column("assumed per year", "rate"),
            Column("break-even per year", "rate"),
            Column("once in (years)", "years"),
            Column("p5", "rate"),
            Column("p95", "rate"),
            Column("in words", "text", 70),
        ],
    )
    for o in u.options:
        be = o.break_even
        low, high = be.interval or (None, None)
        breakeven.rows.append([o.id, be.threat or "-", be.frequency, be.break_even, be.once_in_years, low, high, be.sentence()])
    flips = Sheet(
        "Rank flips",
        "Pairs of options whose order flips under the assumptions",
        [Column("ranked above (point)", "text", 24), Column("ranked below", "text", 24), Column("P(order kept)", "share", 12)],
    )
    flips.rows = [[f["above"], f["below"], f["p_kept"]] for f in u.flips]
    return [tornado, breakeven, flips]


def _assumptions(report: InvestReport) -> Sheet:
    sheet = Sheet(
        "Assumptions",
        "Every assumption: its point figure, its range if it has one, and its basis",
        [
            Column("assumption", "text", 36),
            Column("point figure", "number"),
            Column("distribution", "text", 40),
            Column("low (p5 / min)", "number"),
            Column("most likely", "number"),
            Column("high (p95 / max)", "number"),
            Column("mean", "number"),
            Column("where", "text", 30),
            Column("basis", "text", 80),
        ],
        note=(
            "The point analysis uses the point figure; the uncertainty analysis samples the range"
            " (lognormal for a 90 % interval, PERT or triangular for min / most likely / max, uniform for min / max)."
        ),
    )
    kind = {"frequency": "rate", "capital_cost": "money", "yearly_cost": "money", "lifetime": "years", "loss_figure": "number"}
    for a in report.assumptions:
        k = kind.get(a["kind"], "number")
        r = a["range"]
        if r:
            describe = f"{r['dist']}" + (", 90 % interval" if r["dist"] == "lognormal" else "")
            sheet.rows.append([a["label"], (a["value"], k), describe, (r["low"], k), (r.get("mode"), k), (r["high"], k), (r["mean"], k), a["source"], (a["basis"] or "").strip()])
        else:
            sheet.rows.append([a["label"], (a["value"], k), "point figure", None, None, None, None, a["source"], (a["basis"] or "").strip()])
    return sheet


def _threats(report: InvestReport) -> Sheet:
    sheet = Sheet(
        "Threats",
        "Threats (baseline)",
        [
            Column("threat", "text", 24),
            Column("per year", "rate"),
            Column("runs", "int", 6),
            Column("loss per occurrence", "money"),
            Column("low", "money"),
            Column("high", "money"),
            Column("EAL / year", "money"),
            Column("share of EAL", "share", 10),
        ],
    )
    total = report.baseline_eal.mean
    for t in report.threats:
        sheet.rows.append([t.id, t.frequency, t.loss.n, t.loss.mean, t.loss.low, t.loss.high, t.eal.mean, t.eal.mean / total if total > 0 else 0.0])
    return sheet


def office_tables(report: InvestReport) -> list[Sheet]:
    """Every table of the office outputs, in reading order."""
    sheets = [_ranking(report), _robustness(report), _portfolio(report), *_annual(report), *_tornado(report), _assumptions(report), _threats(report)]
    return [s for s in sheets if s is not None]

"""The investment report as one self-contained HTML file: headline, tables, plots embedded as PNG.

Everything taken from the input files (names, ids, bases) is HTML-escaped; the plots are embedded
as base64 PNG (``data:`` URLs), so the file can be mailed or archived alone. The tables are those
of :mod:`drillsim.invest.office_tables`, the same as in the XLSX workbook.
"""

from __future__ import annotations

import base64
import html
import math
import tempfile
from pathlib import Path
from typing import Any, Callable

from ..model.diagnostics import DrillsimError
from .amounts import compact, korean
from .office_tables import Sheet, office_tables, percent
from .results import InvestReport

__all__ = ["html_report", "write_html", "cell_text", "headline"]

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans KR", "Malgun Gothic", sans-serif; margin: 2em auto; max-width: 1200px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.6em 0 0.3em; font-size: 0.85em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.5em; vertical-align: top; }
th { background: #f2f4f7; text-align: left; } td.n { text-align: right; white-space: nowrap; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 0.3em 0; }
p.note { font-size: 0.8em; color: #555; margin-top: 0; } img { max-width: 100%; border: 1px solid #eee; }
.uncertain { color: #b35900; font-weight: 600; } .headline li { margin: 0.3em 0; } footer { margin-top: 3em; font-size: 0.8em; color: #666; }
"""


def _money_fmt(report: InvestReport, korean_units: bool) -> Callable[[float | None], str]:
    if korean_units:
        unit = " 원" if report.currency.upper() == "KRW" else f" {report.currency}"
        return lambda v: "-" if v is None else korean(v) + unit
    return lambda v: "-" if v is None else f"{compact(v)} {report.currency}"


def cell_text(value: Any, kind: str, money: Callable[[float | None], str]) -> str:
    """A cell as text: money in the chosen units, shares in per cent, frequencies with their return period."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    if kind == "money":
        return money(float(value))
    if kind == "share":
        return percent(float(value))
    if kind == "rate":
        v = float(value)
        return f"{v:.3g} (once in {1 / v:,.3g} y)" if 0 < v < 1 else f"{v:.3g}"
    if kind == "years":
        return f"{float(value):.1f}"
    if kind == "number":
        return f"{float(value):.3g}"
    if kind == "int":
        return str(int(value))
    return str(value)


def _table(sheet: Sheet, money: Callable[[float | None], str]) -> str:
    head = "".join(f"<th>{html.escape(c.title)}</th>" for c in sheet.columns)
    body = []
    for row in sheet.rows:
        cells = []
        for k, cell in enumerate(row):
            kind = sheet.kind(row, k)
            text = html.escape(cell_text(Sheet.value(cell), kind, money))
            css = ' class="n"' if kind != "text" else (' class="uncertain"' if text == "uncertain" else "")
            cells.append(f"<td{css}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<p class="note">{html.escape(sheet.note)}</p>' if sheet.note else ""
    return f"<table><caption>{html.escape(sheet.title)}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}"


def _img(data: bytes | None, alt: str) -> str:
    if not data:
        return ""
    return f'<p><img alt="{html.escape(alt, quote=True)}" src="data:image/png;base64,{base64.b64encode(data).decode("ascii")}"></p>'


def headline(report: InvestReport, money: Callable[[float | None], str]) -> list[str]:
    """The findings in a few sentences (plain text)."""
    out = [f"Without any option, the expected annual loss is {money(report.baseline_eal.mean)} a year."]
    risk = report.risk
    if risk is not None:
        m = risk.baseline.metrics
        out.append(
            f"A 1-in-100-year loss (VaR 99 %) is {money(m['var99']['value'])}, and the worst 1 % of years lose {money(m['tvar99']['value'])} on average (TVaR 99 %); "
            f"P(a year with a grade-1 RTO breach) = {percent(m['p_grade1_breach']['value'])}, P(a year in which data is lost for good) = {percent(m['p_data_lost']['value'])}."
        )
    c = report.choice
    if c is not None:
        p = c.portfolio
        names = " + ".join(p.options) or "nothing"
        budget = f"within the budget of {money(c.budget)}" if c.budget is not None else "with no budget limit"
        text = f"The best portfolio {budget} is {names} (budget cost {money(p.budget_cost)}): it avoids {money(p.avoided.mean)} of expected loss a year"
        chosen = risk.get(p.options) if risk is not None and p.options else None
        if chosen is not None:
            text += f" and brings the 1-in-100-year loss to {money(chosen.metrics['var99']['value'])}"
        out.append(text + ".")
    u = report.uncertainty
    if u is not None:
        if u.p_chosen_best is not None:
            out.append(f"Under the assumptions' ranges ({u.samples:,} samples) that portfolio is the best in {percent(u.p_chosen_best)} of samples.")
        shaky = [o.id for o in u.options if o.uncertain]
        out.append(
            "Ranks that move within the ranges: " + ", ".join(shaky) + "." if shaky else "No option's rank moves within the assumptions' ranges (90 % of samples)."
        )
        for o in u.options:
            if o.break_even.status == "above" and o.p_worth > 0.05:
                out.append(f"{o.id}: {o.break_even.sentence()}.")
    return out


def _pareto_png(report: InvestReport) -> bytes | None:
    from .plot import plot_pareto

    with tempfile.TemporaryDirectory(prefix="drillsim-invest-") as folder:
        path = Path(folder) / "pareto.png"
        plot_pareto(report, path)
        return path.read_bytes()


def html_report(report: InvestReport, korean_units: bool = False, plots: bool = True) -> str:
    """The whole report as an HTML document."""
    from .risk_plot import exceedance_png, ranking_png, tornado_png

    money = _money_fmt(report, korean_units)
    sheets = {s.name: s for s in office_tables(report)}
    shown = ("Ranking", "Robustness", "Portfolio", "Annual loss", "Return periods", "Tornado", "Break-even", "Rank flips", "Assumptions", "Threats")
    tables = {name: _table(sheets[name], money) if name in sheets else "" for name in shown}
    u, risk = report.uncertainty, report.risk
    pics = {}
    if plots:
        pics["ranking"] = _img(ranking_png(report, korean_units), "options ranked, NPV under the assumptions")
        pics["pareto"] = _img(_pareto_png(report), "cost-risk Pareto front")
        pics["curves"] = _img(exceedance_png(report, korean_units), "loss exceedance curves") if risk is not None else ""
        pics["tornado"] = _img(tornado_png(report, korean_units), "tornado chart per option") if u is not None else ""
    s = report.settings
    title = f"Investment report: {Path(report.options_file).name}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>Model {html.escape(report.model)}; threats {html.escape(report.threats_file)}; options {html.escape(report.options_file)}. "
        f"Money in {html.escape(report.currency)}{' (Korean units: 1만 = 10⁴, 1억 = 10⁸, 1조 = 10¹²)' if korean_units else ''}.</p>",
        '<h2>Findings</h2><ul class="headline">' + "".join(f"<li>{html.escape(line)}</li>" for line in headline(report, money)) + "</ul>",
        "<h2>Ranking</h2>", pics.get("ranking", ""), tables["Ranking"], tables["Robustness"],
        "<h2>Portfolio</h2>", tables["Portfolio"], pics.get("pareto", ""),
    ]
    if risk is not None:
        parts += ["<h2>Annual loss distribution</h2>", pics.get("curves", ""), tables["Annual loss"], tables["Return periods"]]
    if u is not None:
        flips = tables["Rank flips"] if sheets.get("Rank flips") and sheets["Rank flips"].rows else ""
        parts += ["<h2>What moves the ranking</h2>", pics.get("tornado", ""), tables["Break-even"], flips, tables["Tornado"]]
    parts += ["<h2>Assumptions</h2>", tables["Assumptions"], "<h2>Threats</h2>", tables["Threats"]]
    parts.append(
        f"<footer>drillsim invest: {report.runs_simulated:,} runs (seed {s.seed}, {html.escape(report.runs_label)} per threat and portfolio, common random numbers); "
        f"{risk.years if risk else 0:,} simulated years; {u.samples if u else 0:,} outer samples of the assumptions; discount rate {report.discount_rate:.1%}.</footer>"
    )
    parts.append("</body></html>")
    return "\n".join(p for p in parts if p)


def write_html(report: InvestReport, path: str | Path, korean_units: bool = False) -> Path:
    """Write :func:`html_report` to ``path``."""
    path = Path(path)
    try:
        path.write_text(html_report(report, korean_units), encoding="utf-8")
    except OSError as exc:
        raise DrillsimError(f"--html: cannot write {path}: {exc.strerror or exc}") from None
    return path

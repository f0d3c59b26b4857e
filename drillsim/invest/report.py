"""Showing an :class:`~drillsim.invest.analysis.InvestReport` in the terminal (rich tables).

Money is printed compactly (``12.3bn``, ``450M``, ``8.0k``) in the options file's currency, or in
Korean units (``2,510억``, ``1.2조``: :mod:`drillsim.invest.amounts`); each
interval is the 95 % interval over runs (see :mod:`drillsim.invest.estimate`).
"""

from __future__ import annotations

from typing import Callable

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .amounts import compact, formatter
from .analysis import InvestReport, Portfolio
from .estimate import Estimate

Money = Callable[..., str]

__all__ = ["money", "render", "options_table", "threats_table", "portfolio_table", "pareto_table"]


def money(value: float | None, signed: bool = False) -> str:
    """``1234567890`` -> ``1.23bn``: three significant digits, suffixes k, M, bn, tn; None -> ``-``."""
    return compact(value, signed)


def _interval(e: Estimate, fmt: Money = money) -> str:
    if e.low is None or e.high is None:
        return fmt(e.mean)
    return f"{fmt(e.mean)} {_ci(e, fmt)}"


def _ci(e: Estimate, fmt: Money = money) -> str:
    if e.low is None or e.high is None:
        return "-"
    return f"[{fmt(e.low)}, {fmt(e.high)}]"


def _years(value: float | None) -> str:
    if value is None:
        return "never"
    if value < 0.1:
        return f"{value * 12:.1f} mo"
    return f"{value:.1f} y"


def threats_table(report: InvestReport, fmt: Money = money) -> Table:
    """The baseline: each threat's frequency, loss per occurrence and share of the expected annual loss."""
    total = report.baseline_eal.mean
    table = Table(
        title="Threats (baseline)",
        caption=f"Expected annual loss without any option: {_interval(report.baseline_eal, fmt)} {report.currency}/year",
        caption_justify="left",
    )
    columns = (
        ("threat", "left"), ("per year", "right"), ("runs", "right"), ("loss per occurrence\n[95% CI]", "right"),
        ("EAL/yr", "right"), ("share", "right"), ("data lost\nfor good", "right"),
    )
    for column, justify in columns:
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for t in report.threats:
        share = t.eal.mean / total if total > 0 else 0.0
        permanent = t.components.get("permanent", 0.0)
        table.add_row(
            escape(t.id),
            f"{t.frequency:.3g}",
            str(t.loss.n),
            f"{fmt(t.loss.mean)}\n{_ci(t.loss, fmt)}",
            fmt(t.eal.mean),
            f"{share:.0%}",
            fmt(permanent) if permanent else "-",
        )
    return table


def options_table(report: InvestReport, fmt: Money = money) -> Table:
    """The options, ranked, each simulated alone against the baseline."""
    by = {"npv": "NPV", "bcr": "benefit/cost ratio", "avoided": "expected annual loss avoided"}[report.settings.rank_by]
    table = Table(
        title=f"Options ranked by {by} (discount rate {report.discount_rate:.1%}, each option alone)",
        caption=(
            f"Money in {report.currency}. EAL: expected annual loss; avoided per year against the baseline, with the 95% interval "
            "over paired runs. Cost: capital, + yearly, lifetime. Payback in red: not within the lifetime. Helps: threats whose "
            "avoided loss is above zero with 95% confidence (in red: made worse)."
        ),
        caption_justify="left",
    )
    for column, justify in (
        ("#", "right"),
        ("option", "left"),
        ("cost", "right"),
        ("EAL avoided/yr\n[95% CI]", "right"),
        ("NPV\n±95% half-width", "right"),
        ("B/C", "right"),
        ("payback", "right"),
        ("helps", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for r in report.options:
        o = r.option
        npv_style = "green" if r.npv.mean > 0 else "red"
        payback = _years(r.payback_years)
        if r.payback_years is None or r.payback_years > o.figure("lifetime"):
            payback = f"[red]{payback}[/]"
        helps = ", ".join(r.helps) or "-"
        if r.hurts:
            helps += " " + " ".join(f"[red]{escape(t)}[/]" for t in r.hurts)
        capital, yearly, life = o.figure("capital_cost"), o.figure("yearly_cost"), o.figure("lifetime")
        cost = fmt(capital) + (f"\n+ {fmt(yearly)}/y" if yearly else "") + f"\n{life:g} years"
        table.add_row(
            str(r.rank),
            escape(o.id),
            cost,
            f"{fmt(r.avoided.mean)}\n{_ci(r.avoided, fmt)}",
            f"[{npv_style}]{fmt(r.npv.mean)}[/]" + (f"\n±{fmt(r.npv.width / 2)}" if r.npv.width is not None else ""),
            f"{r.bcr.mean:.2f}" if r.bcr is not None else "free",
            payback,
            helps,
        )
    return table


def _names(report: InvestReport, portfolio: Portfolio) -> str:
    return " + ".join(portfolio.options) if portfolio.options else "(nothing)"


def pareto_table(report: InvestReport, fmt: Money = money) -> Table:
    """The cost-risk Pareto front: no other simulated portfolio is both cheaper and less risky."""
    table = Table(
        title=f"Cost-risk Pareto front ({len(report.pareto)} of {len(report.portfolios)} portfolios simulated)",
        caption_justify="left",
    )
    for column, justify in (("portfolio", "left"), ("budget cost", "right"), ("residual\nEAL/yr", "right"), ("EAL avoided/yr\n[95% CI]", "right"), ("net/yr", "right")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for p in report.pareto:
        name = escape(_names(report, p)) + (f"\n[dim](added up: {', '.join(escape(t) for t in p.added_up)})[/]" if p.added_up else "")
        table.add_row(name, fmt(p.budget_cost), fmt(p.eal.mean), f"{fmt(p.avoided.mean)}\n{_ci(p.avoided, fmt)}", fmt(p.avoided.mean - p.eac, signed=True))
    return table


def portfolio_table(report: InvestReport, fmt: Money = money) -> RenderableType:
    """The best portfolio within the budget, simulated as a combination, and how it was found."""
    choice = report.choice
    if choice is None:
        return Text("")
    p = choice.portfolio
    budget = f"budget {fmt(choice.budget)} {report.currency} over {report.settings.years:g} years" if choice.budget is not None else "no budget limit"
    objective = "net yearly benefit (EAL avoided - equivalent annual cost)" if report.settings.objective == "net" else "EAL avoided"
    table = Table(title="Best portfolio", show_header=False, title_justify="left")
    table.add_column("what", no_wrap=True)
    table.add_column("value")
    table.add_row("options", escape(_names(report, p)))
    table.add_row("within", budget)
    table.add_row("search", f"{choice.search}, over {choice.candidates} portfolios simulated as combinations, maximising {objective}")
    table.add_row("budget cost", f"{fmt(p.budget_cost)} {report.currency}")
    table.add_row("EAL avoided/yr [95% CI]", f"{_interval(p.avoided, fmt)} (residual EAL {fmt(p.eal.mean)})")
    if len(p.options) > 1:
        note = "the options overlap: together they avoid less than the sum of each alone" if p.avoided.mean < choice.sum_of_singles * 0.99 else (
            "together they avoid more than the sum of each alone" if p.avoided.mean > choice.sum_of_singles * 1.01 else "about the sum of each alone"
        )
        table.add_row("sum of each alone", f"{fmt(choice.sum_of_singles)} ({note})")
    if p.added_up:
        where = ", ".join(escape(t) for t in p.added_up)
        table.add_row("added up", f"not simulated as a combination for {where}: its options influence disjoint systems there, so per-run losses add")
    table.add_row("equivalent annual cost", fmt(p.eac))
    table.add_row("net yearly benefit", fmt(p.avoided.mean - p.eac, signed=True))
    for i, step in enumerate(choice.steps, 1):
        per = step["marginal_value_per_budget_cost"]
        budget_note = f" ({per:.3g} per unit of budget cost)" if per is not None else " (free)"
        table.add_row(f"greedy pick {i}", f"{escape(step['pick'])}: +{fmt(step['marginal_value'])}/yr" + budget_note)
    for path, owners in choice.overlaps.items():
        table.add_row("[yellow]overlap[/]", f"{escape(path)} set by {', '.join(owners)} (the later in the file wins)")
    return table


def render(report: InvestReport, korean_units: bool = False) -> RenderableType:
    """Everything, in reading order (amounts in Korean units with ``korean_units``)."""
    from .report_risk import risk_table, uncertainty_table
    from .report_runs import questions_table, runs_table

    fmt = formatter(korean_units)
    footer = Text(
        f"{report.runs_simulated:,} runs in {report.elapsed_seconds:.1f} s (seed {report.settings.seed}, {report.runs_label} per threat and portfolio).",
        style="dim",
    )
    return Group(
        threats_table(report, fmt),
        options_table(report, fmt),
        portfolio_table(report, fmt),
        pareto_table(report, fmt),
        runs_table(report),
        questions_table(report, fmt),
        risk_table(report, fmt),
        uncertainty_table(report, fmt),
        footer,
    )

"""Terminal tables of how firmly the analysis answered: runs used per threat, the questions and their intervals.

- :func:`runs_table`: per threat, the baseline's runs and each option's alone (or how its figures
  were obtained without runs of its own: ``not reachable``, the baseline's runs reused because
  the threat cannot reach what the option changes; ``unchanged``, the option does not patch the
  threat's scenario), with the portfolios added up from their options' runs;
- :func:`questions_table`: every question the output answers (:mod:`drillsim.invest.sequential`),
  its difference with the 95 % interval and its width, the runs it used, and whether it was
  decided (at the decision level) or is still open at ``--max-runs``.
"""

from __future__ import annotations

from typing import Callable

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .amounts import compact
from .results import InvestReport

__all__ = ["runs_table", "questions_table"]

Money = Callable[..., str]


def runs_table(report: InvestReport) -> RenderableType:
    """Runs per threat for the baseline and each option alone, and the shortcuts taken."""
    rep = report.replication
    if rep is None:
        return Text("")
    if rep.mode == "sequential":
        title = (
            f"Runs per threat (sequential: {rep.min_runs} to {rep.max_runs} runs, {rep.rounds} round{'s' if rep.rounds != 1 else ''}, "
            f"questions decided at {rep.decision_level:.2%})"
        )
    else:
        title = f"Runs per threat (fixed: --runs {rep.min_runs})"
    threats = list(rep.baseline_runs)
    table = Table(
        title=title,
        caption=(
            "The baseline's runs are shared by every option and portfolio (run i has the same seed everywhere). "
            "'not reachable': the threat cannot reach what the option changes, so its runs are the baseline's; "
            "'unchanged': the option does not patch this threat."
        ),
        caption_justify="left",
    )
    table.add_column("")
    for t in threats:
        table.add_column(escape(t), justify="right")
    table.add_row("baseline", *(str(rep.baseline_runs[t]) for t in threats))
    for option, runs in rep.option_runs.items():
        table.add_row(escape(option), *(escape(str(runs[t])) for t in threats))
    parts: list[RenderableType] = [table]
    if rep.added:
        lines = [f"  {escape(' + '.join(a['portfolio']))} on {escape(a['threat'])}: " + " | ".join(escape("+".join(g)) for g in a["groups"]) for a in rep.added]
        parts.append(Text.from_markup("Added up, not simulated (the groups influence disjoint systems, so per-run losses add):\n" + "\n".join(lines)))
    parts.append(Text(f"{rep.runs_simulated:,} runs of {rep.variants_simulated} simulated variants.", style="dim"))
    return Group(*parts)


def questions_table(report: InvestReport, fmt: Money = compact) -> RenderableType:
    """Each question, its interval and width, its runs and its answer."""
    rep = report.replication
    if rep is None or not rep.comparisons:
        return Text("")
    table = Table(
        title=f"How firmly: {len(rep.comparisons) - len(rep.open)} of {len(rep.comparisons)} questions decided",
        caption=(
            "worth-it: the option's NPV (or EAL avoided) against zero; ranking: an option against the next; budget: the chosen portfolio "
            f"against each other portfolio valued. Decided: the interval at {rep.decision_level:.2%} excludes zero"
            + (" (Bonferroni over the rounds, so stopping early keeps the 5 % error per question)." if rep.mode == "sequential" else ".")
            + " Intervals shown at 95 %. Runs: per threat that weighs in it."
        ),
        caption_justify="left",
    )
    for column, justify in (("question", "left"), ("what", "left"), ("difference\n[95% CI]", "right"), ("width", "right"), ("runs", "left"), ("answer", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for c in rep.comparisons:
        e = c.estimate
        ci = f"[{fmt(e.low)}, {fmt(e.high)}]" if e.low is not None and e.high is not None else "-"
        runs = ", ".join(f"{escape(t)} {n}" for t, n in c.runs.items()) or "-"
        answer = c.verdict if c.decided else f"[yellow]{escape(c.verdict)}[/]"
        table.add_row(c.kind, escape(c.label), f"{fmt(e.mean)}\n{ci}", fmt(e.width) if e.width is not None else "-", runs, answer)
    return table

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
        mode = (
            f"Sequential: {rep.min_runs} to {rep.max_runs} runs, {rep.rounds} round{'s' if rep.rounds != 1 else ''}, "
            f"questions decided at {rep.decision_level:.2%}."
        )
    else:
        mode = f"Fixed: --runs {rep.min_runs}."
    threats = list(rep.baseline_runs)
    table = Table(
        title="Runs per threat",
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
    parts: list[RenderableType] = [table, Text(mode)]
    if rep.added:
        lines = [f"  {escape(' + '.join(a['portfolio']))} on {escape(a['threat'])}: " + " | ".join(escape("+".join(g)) for g in a["groups"]) for a in rep.added]
        parts.append(Text.from_markup("Added up, not simulated (the groups influence disjoint systems, so per-run losses add):\n" + "\n".join(lines)))
    parts.append(Text(f"{rep.runs_simulated:,} runs of {rep.variants_simulated} simulated variants.", style="dim"))
    return Group(*parts)


def _runs(runs: dict[str, int]) -> str:
    """``10`` when every threat that weighs had as many runs, else ``10-40``; ``-`` when none weighs."""
    if not runs:
        return "-"
    low, high = min(runs.values()), max(runs.values())
    return str(low) if low == high else f"{low}-{high}"


def questions_table(report: InvestReport, fmt: Money = compact) -> RenderableType:
    """Each option's questions, and the budget questions summed up by their closest call."""
    rep = report.replication
    if rep is None or not rep.comparisons:
        return Text("")
    table = Table(
        title=f"How firmly: {len(rep.comparisons) - len(rep.open)} of {len(rep.comparisons)} questions decided",
        caption=(
            "worth it: the option's NPV (EAL avoided with --rank-by avoided) against zero; ranking: the ranking key of an option minus "
            "the next one's; budget: the chosen portfolio's value minus each other portfolio's (the closest shown). Decided: the "
            f"interval at {rep.decision_level:.2%} excludes zero"
            + (" (Bonferroni over the rounds: stopping early keeps a 5 % chance of a wrong answer per question)" if rep.mode == "sequential" else "")
            + ". Shown: the 95 % interval and its width; runs per threat that weighs in."
        ),
        caption_justify="left",
    )
    for column, justify in (("question", "left"), ("what", "left"), ("difference [95% CI]", "right"), ("width", "right"), ("runs", "right"), ("answer", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]

    def row(kind: str, label: str, c) -> None:  # type: ignore[no-untyped-def]
        e = c.estimate
        ci = f" [{fmt(e.low)}, {fmt(e.high)}]" if e.low is not None and e.high is not None else ""
        answer = c.verdict if c.decided else f"[yellow]{escape(c.verdict)}[/]"
        table.add_row(kind, label, f"{fmt(e.mean)}{ci}", fmt(e.width) if e.width is not None else "-", _runs(c.runs), answer)

    budget = []
    for c in rep.comparisons:
        if c.kind == "budget":
            budget.append(c)
            continue
        name = c.label.rsplit(": ", 1)[0]
        row("worth it" if c.kind == "worth-it" else "ranking", escape(name), c)
    if budget:
        closest = min(budget, key=lambda c: (c.decided, abs(c.estimate.mean) / (c.estimate.width or 1e-300)))
        best = closest.label.split(" - ", 1)[0]
        other = closest.label.split(" - ", 1)[1].rsplit(": ", 1)[0]
        open_ = sum(not c.decided for c in budget)
        row("budget", escape(f"{best} vs {len(budget)} others (closest: {other})"), closest)
        if open_:
            table.add_row("", "", "", "", "", f"[yellow]{open_} of {len(budget)} still open[/]")
    return table

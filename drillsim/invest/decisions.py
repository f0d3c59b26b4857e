"""The questions the analysis answers, and what its runs say about them: how firmly each was decided.

:class:`DecisionQuestions` is a mixin of :class:`~drillsim.invest.analysis.InvestAnalysis`: from the
point analysis (the options ranked, the best portfolio) it builds the
:class:`~drillsim.invest.sequential.Comparison` of every question the output answers (each
option worth its cost, each option against the next in the ranking, the chosen portfolio
against every other one valued), which sequential replication keeps adding runs to while they
are open (:mod:`drillsim.invest.sequential`); and the :class:`~drillsim.invest.results.ReplicationReport`: runs used per
threat and option, what was decided and how firmly, and where a shortcut replaced a simulation
(:mod:`drillsim.invest.shortcuts`).
"""

from __future__ import annotations

from typing import Any

from . import finance
from .options import OptionSet
from .results import OptionResult, Portfolio, PortfolioChoice, ReplicationReport
from .sequential import Comparison, Linear
from .settings import Settings
from .shortcuts import Recipe, Shortcuts
from .threats import ThreatSet
from .variants import Variant

__all__ = ["DecisionQuestions", "KEY_NAMES", "how_obtained"]

KEY_NAMES = {"npv": "NPV", "bcr": "B/C", "avoided": "EAL avoided"}
"""The ranking keys, as named in the questions."""


def how_obtained(recipe: Recipe, runs: int) -> int | str:
    """A cell of the runs table: the runs used, or ``unchanged`` / ``not reachable`` / ``added up``."""
    if recipe.kind == "baseline":
        return "not reachable" if recipe.skipped else "unchanged"
    if recipe.kind == "added":
        return f"added up ({runs})"
    return runs


class DecisionQuestions:
    """The questions and the replication report, mixed into the analysis (see the module docstring)."""

    settings: Settings
    threats: ThreatSet
    options: OptionSet
    shortcuts: Shortcuts
    rate: float
    rounds: int
    comparisons: list[Comparison]
    _portfolios: dict[tuple[str, ...], Portfolio]
    _figures: dict[tuple[str, ...], Linear]
    _sims: dict[Variant, Any]

    def _fits(self, options: tuple[str, ...]) -> bool:
        raise NotImplementedError  # the portfolio search

    def recipe(self, threat: str, options: tuple[str, ...] = ()) -> Recipe:
        raise NotImplementedError  # the analysis

    def records(self, threat: str, options: tuple[str, ...] = ()) -> Any:
        raise NotImplementedError  # the analysis

    def _value_figure(self, portfolio: Portfolio) -> Linear:
        figure = self._figures[portfolio.options]
        return figure.shifted(-portfolio.eac) if self.settings.objective == "net" else figure

    def questions(self, results: list[OptionResult], choice: PortfolioChoice | None) -> list[Comparison]:
        """Every question the output answers, as a figure that must not straddle zero."""
        s = self.settings
        name = KEY_NAMES[s.rank_by]
        keys: dict[str, Linear | None] = {}
        out = []
        for r in results:
            o = r.option
            avoided = self._figures[(o.id,)]
            a = finance.annuity_factor(self.rate, o.figure("lifetime"))
            pv_cost = o.figure("capital_cost") + o.figure("yearly_cost") * a
            npv = avoided.scaled(a).shifted(-pv_cost)
            worth = avoided if s.rank_by == "avoided" else npv
            out.append(Comparison("worth-it", f"{o.id}: {'EAL avoided' if s.rank_by == 'avoided' else 'NPV'}", worth))
            keys[o.id] = {"npv": npv, "bcr": avoided.scaled(a / pv_cost) if pv_cost > 0 else None, "avoided": avoided}[s.rank_by]
        for first, second in zip(results, results[1:]):
            ka, kb = keys[first.option.id], keys[second.option.id]
            if ka is not None and kb is not None:
                out.append(Comparison("ranking", f"{first.option.id} - {second.option.id}: {name}", ka - kb))
        if choice is not None:
            best = choice.portfolio
            for other in sorted(self._portfolios.values(), key=lambda p: (len(p.options), p.options)):
                if other.options == best.options or not self._fits(other.options):
                    continue
                label = f"{'+'.join(best.options) or '(nothing)'} - {'+'.join(other.options) or '(nothing)'}: value"
                out.append(Comparison("budget", label, self._value_figure(best) - self._value_figure(other)))
        return out

    def replication_summary(self, level: float) -> ReplicationReport:
        """Runs used, shortcuts taken and the questions' answers (after the last round)."""
        s = self.settings
        fixed = s.runs is not None
        option_runs: dict[str, dict[str, Any]] = {}
        for o in self.options.ids:
            option_runs[o] = {t: how_obtained(self.recipe(t, (o,)), self.records(t, (o,)).runs) for t in self.threats.ids}
        skipped = [{"threat": t, "option": o} for o in self.options.ids for t in self.threats.ids if self.recipe(t, (o,)).skipped]
        added = []
        for key in sorted(self._portfolios, key=lambda k: (len(k), k)):
            for t in self.threats.ids:
                r = self.recipe(t, key)
                if r.kind == "added":
                    added.append({"threat": t, "portfolio": list(key), "groups": [list(p.options) for p in r.parts]})
        return ReplicationReport(
            mode="fixed" if fixed else "sequential",
            min_runs=s.runs if s.runs is not None else s.min_runs,
            max_runs=s.runs if s.runs is not None else s.max_runs,
            rounds=self.rounds + 1,
            decision_level=level,
            runs_simulated=sum(r.runs for r in self._sims.values()),
            variants_simulated=len(self._sims),
            baseline_runs={t: self.records(t).runs for t in self.threats.ids},
            option_runs=option_runs,
            skipped=skipped,
            added=added,
            comparisons=list(self.comparisons),
            runs_range=(min((r.runs for r in self._sims.values()), default=0), max((r.runs for r in self._sims.values()), default=0)),
        )


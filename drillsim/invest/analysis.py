"""The investment analysis: expected annual loss with and without each option, ranking, portfolios.

Formulas (also in the README's Invest section):

- Loss of a run: :mod:`drillsim.model.loss` (the formula), :mod:`drillsim.invest.loss` (of one engine result).
- Expected annual loss of the baseline (no option), over its ``n_t`` runs of each threat::

      EAL({}) = sum over threats t of frequency(t) * mean over runs i < n_t of loss(t, {}, i)

  run ``i`` using the same seed for every threat and portfolio (the batch runner's seed of run
  ``i``: common random numbers).
- EAL avoided by a portfolio ``P``, over the ``n_t(P)`` runs ``P`` has of threat ``t`` (paired with
  the baseline's runs of the same index)::

      B(P) = sum over t of frequency(t) * mean over i < n_t(P) of (loss(t, {}, i) - loss(t, P, i))

  with a 95 % interval over those paired differences (all threats together, their correlation
  through common seeds included: :func:`drillsim.replication.weighted_sum_interval`); per threat,
  ``frequency(t) *`` the mean paired difference of that threat. The residual expected annual loss
  is ``EAL(P) = EAL({}) - B(P)`` (with equal runs everywhere, the mean of ``P``'s own losses).
  How many runs each threat and portfolio gets: ``--runs`` (fixed) or sequential replication
  (:mod:`drillsim.invest.sequential`); which records are simulated, reused or added up:
  :mod:`drillsim.invest.shortcuts`.
- Per option: NPV, benefit/cost ratio, payback and equivalent annual cost from ``B`` and its costs
  (:mod:`drillsim.invest.finance`); the NPV and B/C intervals follow from ``B``'s, being linear in it.
  "Helps" lists the threats whose avoided loss has an interval above zero ("hurts": below zero).
- Value of a portfolio (what the search maximises): ``B(P) - sum of the options' EAC`` (objective
  ``net``, the default: net yearly benefit), or ``B(P)`` (objective ``avoided``). Its budget cost
  is the sum of its options' ``capital + years * yearly``.
- Best portfolio within the budget: :mod:`drillsim.invest.search`; the Pareto front:
  :func:`drillsim.invest.results.pareto_front`. Settings: :mod:`drillsim.invest.settings`; the
  records filled here: :mod:`drillsim.invest.results`.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from ..model.loading import scenario_from_data
from ..model.loss import COMPONENTS
from ..model.overlays import resolve_extends
from ..replication.intervals import CONFIDENCE
from . import finance
from .decisions import DecisionQuestions
from .estimate import Estimate, estimate
from .options import Option, OptionSet, load_options
from .results import InvestReport, OptionResult, Portfolio, PortfolioChoice, ThreatSummary, pareto_front
from .robustness import RobustnessAnalysis
from .runner import LossRunner
from .runs import RunRecords
from .search import PortfolioSearch
from .sequential import Comparison, Linear, Term, decision_level, plan_round, screening_runs
from .settings import DEFAULT_DISCOUNT_RATE, OBJECTIVES, RANKINGS, SEARCHES, ProgressSink, Settings
from .shortcuts import Recipe, Shortcuts
from .threats import ThreatSet, load_threats
from .variants import Variant, VariantBuilder

__all__ = [
    "Settings",
    "ProgressSink",
    "ThreatSummary",
    "Portfolio",
    "OptionResult",
    "PortfolioChoice",
    "InvestReport",
    "InvestAnalysis",
    "pareto_front",
    "DEFAULT_DISCOUNT_RATE",
    "OBJECTIVES",
    "RANKINGS",
    "SEARCHES",
]


class InvestAnalysis(PortfolioSearch, RobustnessAnalysis, DecisionQuestions):
    """Loads the model, threats and options, simulates, and builds the :class:`InvestReport`."""

    def __init__(self, model: str | Path, threats: str | Path, options: str | Path, settings: Settings | None = None, progress: ProgressSink | None = None):
        self.settings = settings or Settings()
        self.settings.check()
        self.progress = progress
        self.paths = (Path(model), Path(threats), Path(options))
        model_data, model_files = resolve_extends(Path(model))
        loaded = scenario_from_data(model_data, model_files)
        self.model_warnings = loaded.warnings
        self.threats: ThreatSet = load_threats(threats, model_data, model_files)
        self.options: OptionSet = load_options(options, model_data, self.threats)
        self.builder = VariantBuilder(self.threats, self.options)
        rate = self.settings.discount_rate
        if rate is None:
            rate = self.options.document.discount_rate
        self.rate = DEFAULT_DISCOUNT_RATE if rate is None else rate
        self.freq = {spec.id: spec.frequency for spec in self.threats.specs}
        self._sims: dict[Variant, RunRecords] = {}
        """The simulated variants' records (a variant may hold more runs than another)."""
        self._target: dict[Variant, int] = {}
        """Runs wanted per simulated variant (sequential replication raises them round by round)."""
        self._derived: dict[tuple[str, tuple[str, ...]], RunRecords] = {}
        self._portfolios: dict[tuple[str, ...], Portfolio] = {}
        self._figures: dict[tuple[str, ...], Linear] = {}
        self.comparisons: list[Comparison] = []
        self.rounds = 0
        self.shortcuts = Shortcuts(self.builder, self.settings.shortcuts)
        self._runner: LossRunner | None = None
        self._check_variants()

    # -- setup -----------------------------------------------------------------------------
    def check_all(self) -> int:
        """Build (validate) every option on every threat, without running anything; return how many variants."""
        count = 0
        for threat in self.threats.ids:
            for option in self.options.ids:
                self.builder.loaded(self.builder.variant(threat, (option,)))
                count += 1
        return count

    def _check_variants(self) -> None:
        """Build (validate) each threat's baseline and each option once, so bad input fails before any run."""
        first = self.threats.ids[0]
        for threat in self.threats.ids:
            self.builder.build(Variant(threat))
        for option in self.options.ids:
            targets = list(self.options.threat_patches.get(option, {})) or [first]
            for threat in targets:
                self.builder.build(Variant(threat, (option,)))

    # -- costs -----------------------------------------------------------------------------
    def option_budget_cost(self, option_id: str) -> float:
        """capital + years x yearly."""
        o = self.options.get(option_id)
        return finance.budget_cost(o.figure("capital_cost"), o.figure("yearly_cost"), self.settings.years)

    def option_eac(self, option_id: str) -> float:
        """Equivalent annual cost."""
        o = self.options.get(option_id)
        return finance.equivalent_annual_cost(o.figure("capital_cost"), o.figure("yearly_cost"), o.figure("lifetime"), self.rate)

    # -- simulation ------------------------------------------------------------------------
    def _new_runs(self, variant: Variant) -> int:
        """Runs a variant gets when first simulated: ``--runs``; else ``--min-runs`` for the baseline and
        an option alone, and :func:`~drillsim.invest.sequential.screening_runs` for a combination."""
        s = self.settings
        if s.runs is not None:
            return s.runs
        return s.min_runs if len(variant.options) < 2 else screening_runs(s.min_runs)

    def _simulate(self, recipes: list[Recipe], description: str) -> None:
        """Simulate what the recipes need and is not simulated yet (or not to the runs wanted)."""
        for recipe in recipes:
            for leaf in recipe.leaves():
                self._target.setdefault(leaf, self._new_runs(leaf))
        for leaf, n in list(self._target.items()):  # a threat's baseline keeps the most runs
            base = Variant(leaf.threat)
            if self._target.get(base, 0) < n:
                self._target[base] = n
        missing = {v: n for v, n in self._target.items() if v not in self._sims or self._sims[v].runs < n}
        if not missing:
            return
        s = self.settings
        if self.progress:
            self.progress.start(description, sum(n - (self._sims[v].runs if v in self._sims else 0) for v, n in missing.items()))
        advance = self.progress.advance if self.progress else None
        if self._runner is None:
            self._runner = LossRunner(self.builder, s.jobs, s.backend, s.address, s.out)
        have = {v: self._sims[v].runs for v in missing if v in self._sims}
        self._sims.update(self._runner.simulate(missing, seed=s.seed, progress=advance, have=have))
        self._derived.clear()

    def recipe(self, threat: str, options: tuple[str, ...] = ()) -> Recipe:
        """Where the records of ``threat`` under ``options`` come from (:mod:`drillsim.invest.shortcuts`)."""
        return self.shortcuts.recipe(threat, options)

    def records(self, threat: str, options: tuple[str, ...] = ()) -> RunRecords:
        """The per-run records of ``threat`` with the portfolio ``options`` (simulated already, reused or added up)."""
        key = (threat, self.builder.ordered(options))
        if key not in self._derived:
            self._derived[key] = self.recipe(threat, key[1]).records(self._sims.__getitem__)
        return self._derived[key]

    def _term(self, threat: str, series: np.ndarray, weight: float, options: tuple[str, ...]) -> Term:
        return Term(weight, series, threat, tuple(self.recipe(threat, options).leaves()))

    def avoided_figure(self, options: tuple[str, ...]) -> Linear:
        """``B(P) = sum_t f_t mean_i (loss(t, {}, i) - loss(t, P, i))`` over the runs ``P`` has on each threat."""
        terms = []
        for t in self.threats.ids:
            if self.recipe(t, options).kind == "baseline":
                continue
            mine = self.records(t, options)
            terms.append(self._term(t, self.records(t).head(mine.runs).total - mine.total, self.freq[t], options))
        return Linear(terms)

    def baseline_figure(self) -> Linear:
        """``EAL({}) = sum_t f_t mean_i loss(t, {}, i)`` over every baseline run."""
        return Linear([self._term(t, self.records(t).total, self.freq[t], ()) for t in self.threats.ids])

    def component_means(self, threat: str, options: tuple[str, ...]) -> np.ndarray:
        """Mean loss per occurrence by component, as the point analysis counts it: the baseline's minus the paired mean avoided."""
        base = self.records(threat)
        mine = self.records(threat, options)
        return base.components.mean(axis=0) - (base.head(mine.runs).components - mine.components).mean(axis=0)

    def evaluate(self, portfolios: list[tuple[str, ...]], description: str = "simulating") -> list[Portfolio]:
        """Simulate (what is not cached) and summarise each portfolio."""
        keys = [self.builder.ordered(p) for p in portfolios]
        self._simulate([self.recipe(t, k) for k in dict.fromkeys([(), *keys]) for t in self.threats.ids], description)
        base = self.baseline_figure()
        for key in dict.fromkeys([(), *keys]):
            if key not in self._portfolios:
                figure = self.avoided_figure(key)
                avoided = figure.estimate()
                by_threat = {}
                for t in self.threats.ids:
                    if self.recipe(t, key).kind == "baseline":  # the baseline's own runs: exactly nothing avoided
                        by_threat[t] = Estimate(0.0, 0.0, 0.0, self.records(t).runs)
                    else:
                        by_threat[t] = Linear([term for term in figure.terms if term.threat == t]).estimate()
                eac = sum(self.option_eac(o) for o in key)
                value = avoided.mean - eac if self.settings.objective == "net" else avoided.mean
                runs = {t: self.records(t, key).runs for t in self.threats.ids}
                how = {t: _how(self.recipe(t, key)) for t in self.threats.ids}
                self._portfolios[key] = Portfolio(key, sum(self.option_budget_cost(o) for o in key), eac, (base - figure).estimate(), avoided, by_threat, value, runs, how)
                self._figures[key] = figure
        return [self._portfolios[key] for key in keys]

    # -- results ---------------------------------------------------------------------------
    def _threat_summaries(self) -> list[ThreatSummary]:
        out = []
        for spec in self.threats.specs:
            losses = self.records(spec.id).components
            loss = estimate(losses.sum(axis=1))
            out.append(
                ThreatSummary(
                    spec.id,
                    spec.label,
                    spec.frequency,
                    loss,
                    loss.shifted(spec.frequency, 0.0),
                    {name: float(losses[:, k].mean()) for k, name in enumerate(COMPONENTS)},
                )
            )
        return out

    def _option_result(self, option: Option, portfolio: Portfolio) -> OptionResult:
        capital, yearly = option.figure("capital_cost"), option.figure("yearly_cost")
        a = finance.annuity_factor(self.rate, option.figure("lifetime"))
        pv_cost = capital + yearly * a
        npv = portfolio.avoided.shifted(a, -pv_cost)
        bcr = portfolio.avoided.shifted(a / pv_cost, 0.0) if pv_cost > 0 else None
        payback = finance.payback_years(portfolio.avoided.mean, capital, yearly, self.rate)
        # Above (below) zero with 95 % confidence, and more than rounding noise of that threat's EAL.
        tol = {t.id: 1e-9 * max(1.0, t.eal.mean) for t in self._threat_summaries()}
        helps = [t for t, e in portfolio.by_threat.items() if e.mean > tol[t] and (e.low is None or e.low > tol[t])]
        hurts = [t for t, e in portfolio.by_threat.items() if e.mean < -tol[t] and (e.high is None or e.high < -tol[t])]
        return OptionResult(option, portfolio, npv, bcr, payback, self.option_eac(option.id), self.option_budget_cost(option.id), helps, hurts)

    def _rank(self, results: list[OptionResult]) -> list[OptionResult]:
        key = {
            "npv": lambda r: r.npv.mean,
            "bcr": lambda r: r.bcr.mean if r.bcr is not None else float("inf") if r.avoided.mean > 0 else float("-inf"),
            "avoided": lambda r: r.avoided.mean,
        }[self.settings.rank_by]
        ranked = sorted(results, key=lambda r: -key(r))
        for i, r in enumerate(ranked, 1):
            r.rank = i
        return ranked

    def run(self) -> InvestReport:
        """Simulate the baseline, every option alone, and the portfolios the search needs."""
        try:
            return self._run()
        finally:
            if self._runner is not None:
                self._runner.close()
                self._runner = None

    def _point(self) -> tuple[list[OptionResult], PortfolioChoice | None]:
        """The point analysis on the records as they are: options ranked, the best portfolio."""
        self._portfolios.clear()
        self._figures.clear()
        # One batch for the options alone and the portfolios an exhaustive search will value anyway.
        keys = [(), *((o,) for o in self.options.ids), *(self.builder.ordered(p) for p in self.planned())]
        self._simulate([self.recipe(t, k) for k in dict.fromkeys(keys) for t in self.threats.ids], "the baseline, each option and the portfolios that fit")
        singles = self.evaluate([(o,) for o in self.options.ids], f"baseline and {len(self.options.ids)} options x {len(self.threats.ids)} threats")
        results = self._rank([self._option_result(self.options.get(p.options[0]), p) for p in singles])
        return results, self.best_portfolio()

    def _run(self) -> InvestReport:
        began = time.perf_counter()
        s = self.settings
        level = CONFIDENCE if s.runs is not None else decision_level(s.min_runs, s.max_runs)
        while True:
            results, choice = self._point()
            self.comparisons = self.questions(results, choice)
            for c in self.comparisons:
                c.judge(level)
            if s.runs is not None:
                break
            more = plan_round(self.comparisons, {v: r.runs for v, r in self._sims.items()}, self.rounds + 1, s.min_runs, s.max_runs)
            if not more:
                break
            self.rounds += 1
            for variant, n in more.items():
                self._target[variant] = max(n, self._target.get(variant, 0))
            self._simulate([], f"round {self.rounds + 1}: more runs for {sum(not c.decided for c in self.comparisons)} open questions")
        portfolios = sorted(self._portfolios.values(), key=lambda p: (p.budget_cost, p.options))
        simulated = time.perf_counter() - began
        risk = self.annual_risk(choice) if s.risk_years > 0 else None
        uncertainty = self.uncertainty(results, choice) if s.outer_samples > 0 else None
        return InvestReport(
            model=str(self.paths[0]),
            threats_file=str(self.paths[1]),
            options_file=str(self.paths[2]),
            currency=self.options.document.currency,
            settings=s,
            discount_rate=self.rate,
            threats=self._threat_summaries(),
            baseline_eal=self._portfolios[()].eal,
            options=results,
            pareto=pareto_front(portfolios),
            portfolios=portfolios,
            choice=choice,
            runs_simulated=sum(r.runs for r in self._sims.values()),
            elapsed_seconds=simulated,
            warnings=[*self.threats.warnings, *self.options.warnings],
            assumptions=self.assumptions().table(),
            risk=risk,
            uncertainty=uncertainty,
            replication=self.replication_summary(level),
        )


def _how(recipe: Recipe) -> str:
    """How a portfolio's records of a threat were obtained: simulated, added, not-reachable, unchanged."""
    if recipe.kind == "baseline":
        return "not-reachable" if recipe.skipped else "unchanged"
    return recipe.kind

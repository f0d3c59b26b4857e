"""The investment analysis: expected annual loss with and without each option, ranking, portfolios.

Formulas (also in the README's Invest section):

- Loss of a run: :mod:`drillsim.model.loss` (the formula), :mod:`drillsim.invest.loss` (of one engine result).
- Expected annual loss of a portfolio ``P`` (the baseline is the empty portfolio)::

      EAL(P) = sum over threats t of frequency(t) * mean over runs i of loss(t, P, i)

  estimated on ``runs`` runs per threat and portfolio, run ``i`` using the same seed everywhere
  (the batch runner's seed of run ``i``: common random numbers).
- EAL avoided by ``P``: ``B(P) = EAL(baseline) - EAL(P)``, with a 95 % interval over the paired
  per-run differences (:mod:`drillsim.invest.estimate`); per threat, ``frequency(t) *`` the mean
  paired difference of that threat.
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
from ..model.overlays import resolve_extends
from . import finance
from .estimate import estimate
from ..model.loss import COMPONENTS
from .options import Option, OptionSet, load_options
from .results import InvestReport, OptionResult, Portfolio, PortfolioChoice, ThreatSummary, pareto_front
from .runner import LossRunner
from .runs import RunRecords
from .robustness import RobustnessAnalysis
from .search import PortfolioSearch
from .settings import DEFAULT_DISCOUNT_RATE, OBJECTIVES, RANKINGS, SEARCHES, ProgressSink, Settings
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


class InvestAnalysis(PortfolioSearch, RobustnessAnalysis):
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
        self._records: dict[Variant, RunRecords] = {}
        self._portfolios: dict[tuple[str, ...], Portfolio] = {}
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
    def _simulate(self, portfolios: list[tuple[str, ...]], description: str) -> None:
        variants = [self.builder.variant(t, p) for p in portfolios for t in self.threats.ids]
        missing = [v for v in dict.fromkeys(variants) if v not in self._records]
        if not missing:
            return
        s = self.settings
        if self.progress:
            self.progress.start(description, len(missing) * s.runs)
        advance = self.progress.advance if self.progress else None
        if self._runner is None:
            self._runner = LossRunner(self.builder, s.jobs, s.backend, s.address, s.out)
        self._records.update(self._runner.simulate(missing, s.runs, s.seed, advance))

    def records(self, threat: str, options: tuple[str, ...] = ()) -> RunRecords:
        """The per-run records of ``threat`` with the portfolio ``options`` (simulated already)."""
        return self._records[self.builder.variant(threat, options)]

    def _annual(self, options: tuple[str, ...]) -> np.ndarray:
        """Per-run annual loss ``sum_t f_t * loss(t, P, i)``."""
        total = np.zeros(self.settings.runs)
        for t in self.threats.ids:
            total += self.freq[t] * self.records(t, options).total
        return total

    def evaluate(self, portfolios: list[tuple[str, ...]], description: str = "simulating") -> list[Portfolio]:
        """Simulate (what is not cached) and summarise each portfolio."""
        keys = [self.builder.ordered(p) for p in portfolios]
        self._simulate([()] + keys, description)
        base = self._annual(())
        for key in dict.fromkeys([(), *keys]):
            if key not in self._portfolios:
                annual = self._annual(key)
                by_threat = {}
                for t in self.threats.ids:
                    diff = self.records(t).total - self.records(t, key).total
                    by_threat[t] = estimate(self.freq[t] * diff)
                avoided = estimate(base - annual)
                eac = sum(self.option_eac(o) for o in key)
                value = avoided.mean - eac if self.settings.objective == "net" else avoided.mean
                self._portfolios[key] = Portfolio(key, sum(self.option_budget_cost(o) for o in key), eac, estimate(annual), avoided, by_threat, value)
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

    def _run(self) -> InvestReport:
        began = time.perf_counter()
        s = self.settings
        singles = self.evaluate([(o,) for o in self.options.ids], f"baseline and {len(self.options.ids)} options x {len(self.threats.ids)} threats")
        results = self._rank([self._option_result(self.options.get(p.options[0]), p) for p in singles])
        choice = self.best_portfolio()
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
            runs_simulated=len(self._records) * s.runs,
            elapsed_seconds=simulated,
            warnings=[*self.threats.warnings, *self.options.warnings],
            assumptions=self.assumptions().table(),
            risk=risk,
            uncertainty=uncertainty,
        )

"""The investment analysis: expected annual loss with and without each option, ranking, portfolios.

Formulas (also in the README's Invest section):

- Loss of a run: :mod:`drillsim.invest.loss`.
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
- Best portfolio within the budget: every subset of options that fits (exhaustive search, used up
  to ``exhaustive_limit`` options), each simulated as a combination; or, for more options, the
  greedy search: start empty; in each round simulate the current portfolio plus each option that
  still fits, and add the one with the largest marginal value per won of budget cost
  ``(value(P + o) - value(P)) / budget_cost(o)`` (a free option with a positive gain first); stop
  when no option adds value or none fits. Greedy can miss the optimum (a knapsack can be better
  filled by two smaller options than by the best ratio), which is why small sets are searched
  exhaustively.
- Pareto front: among the portfolios simulated, those no other beats on both budget cost and
  residual EAL (mean).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..model.diagnostics import Diagnostic, DrillsimError
from ..model.loading import scenario_from_data
from ..model.overlays import resolve_extends
from . import finance
from .estimate import Estimate, estimate
from .loss import COMPONENTS
from .options import Option, OptionSet, load_options
from .runner import LossRunner
from .threats import ThreatSet, load_threats
from .variants import Variant, VariantBuilder, overlaps

__all__ = [
    "Settings",
    "ProgressSink",
    "ThreatSummary",
    "Portfolio",
    "OptionResult",
    "PortfolioChoice",
    "InvestReport",
    "InvestAnalysis",
    "DEFAULT_DISCOUNT_RATE",
    "OBJECTIVES",
    "RANKINGS",
    "SEARCHES",
]

DEFAULT_DISCOUNT_RATE = 0.045
"""Yearly discount rate when neither the options file nor the command line gives one.

4.5 %: the social discount rate of Korea's preliminary feasibility studies for public
investments, lowered from 5.5 % by the Ministry of Economy and Finance in August 2017
(http://m.newsis.com/view.html?ar_id=NISX20170811_0000065386)."""

OBJECTIVES = ("net", "avoided")
"""What the portfolio search maximises: net yearly benefit, or expected annual loss avoided."""

RANKINGS = ("npv", "bcr", "avoided")
"""How single options are ranked."""

SEARCHES = ("auto", "exhaustive", "greedy")
"""Portfolio search: auto is exhaustive up to ``exhaustive_limit`` options, greedy above."""


@dataclass
class Settings:
    """How the analysis is run."""

    runs: int = 20
    """Runs per threat and portfolio (the same seeds for all)."""
    seed: int = 0
    """Root seed: run i of every threat and portfolio uses the batch seed of (seed, i)."""
    jobs: int = 1
    """Worker processes (0: one per CPU)."""
    backend: str = "local"
    """Where runs go: local processes, dask or ray (see :mod:`drillsim.batch.backends`)."""
    address: str | None = None
    """Dask scheduler or Ray cluster address (default: start a local one)."""
    out: str | None = None
    """Folder for the batch's chunk files: a second call with the same inputs reuses them (resume)."""
    discount_rate: float | None = None
    """Yearly discount rate; None: the options file's, else :data:`DEFAULT_DISCOUNT_RATE`."""
    years: float = 5.0
    """Budget period in years: an option's budget cost is capital + years x yearly cost."""
    budget: float | None = None
    """Budget for the portfolio (in budget cost); None: no limit."""
    objective: str = "net"
    """What the portfolio search maximises (see :data:`OBJECTIVES`)."""
    search: str = "auto"
    """Portfolio search (see :data:`SEARCHES`)."""
    exhaustive_limit: int = 10
    """Largest number of options searched exhaustively by ``auto``."""
    rank_by: str = "npv"
    """Ranking of single options (see :data:`RANKINGS`)."""

    def check(self) -> None:
        """Raise DrillsimError on a setting out of range."""
        if self.runs < 1:
            raise DrillsimError(f"--runs must be at least 1, got {self.runs}")
        if self.seed < 0:
            raise DrillsimError(f"--seed must not be negative, got {self.seed}")
        if self.discount_rate is not None and not 0 <= self.discount_rate < 1:
            raise DrillsimError(f"--discount-rate is a yearly rate such as 0.045, from 0 to below 1; got {self.discount_rate}")
        if self.years < 0:
            raise DrillsimError(f"--years must not be negative, got {self.years}")
        if self.budget is not None and self.budget < 0:
            raise DrillsimError(f"--budget must not be negative, got {self.budget}")
        for name, value, allowed in (("--objective", self.objective, OBJECTIVES), ("--rank-by", self.rank_by, RANKINGS), ("--search", self.search, SEARCHES)):
            if value not in allowed:
                raise DrillsimError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")


class ProgressSink(Protocol):
    """Where the analysis reports progress (the CLI shows a rich progress bar)."""

    def start(self, description: str, total: int) -> None:
        """A new phase of ``total`` runs begins."""

    def advance(self, runs: int) -> None:
        """``runs`` more runs are done."""


@dataclass
class ThreatSummary:
    """One threat in the baseline: frequency, loss per occurrence, share of the expected annual loss."""

    id: str
    name: str
    frequency: float
    loss: Estimate
    """Loss per occurrence (mean over runs)."""
    eal: Estimate
    """frequency x loss per occurrence."""
    components: dict[str, float]
    """Mean loss per occurrence by component (unserved demand, hours of data lost, data lost for good)."""

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "id": self.id,
            "name": self.name,
            "frequency_per_year": self.frequency,
            "loss_per_occurrence": self.loss.as_dict(),
            "expected_annual_loss": self.eal.as_dict(),
            "loss_components": self.components,
        }


@dataclass
class Portfolio:
    """A set of options simulated together."""

    options: tuple[str, ...]
    budget_cost: float
    eac: float
    """Sum of the options' equivalent annual costs."""
    eal: Estimate
    """Residual expected annual loss."""
    avoided: Estimate
    """Expected annual loss avoided against the baseline (paired)."""
    by_threat: dict[str, Estimate]
    """Avoided expected annual loss per threat."""
    value: float
    """What the search maximises (see Settings.objective)."""

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "options": list(self.options),
            "budget_cost": self.budget_cost,
            "equivalent_annual_cost": self.eac,
            "expected_annual_loss": self.eal.as_dict(),
            "eal_avoided": self.avoided.as_dict(),
            "eal_avoided_by_threat": {k: v.as_dict() for k, v in self.by_threat.items()},
            "value": self.value,
        }


@dataclass
class OptionResult:
    """One option on its own: what it avoids, what it is worth, when it pays back."""

    option: Option
    portfolio: Portfolio
    npv: Estimate
    bcr: Estimate | None
    payback_years: float | None
    eac: float
    budget_cost: float
    helps: list[str]
    hurts: list[str]
    rank: int = 0

    @property
    def avoided(self) -> Estimate:
        """Expected annual loss avoided."""
        return self.portfolio.avoided

    @property
    def net_annual(self) -> float:
        """Avoided EAL minus equivalent annual cost."""
        return self.portfolio.avoided.mean - self.eac

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        o = self.option
        return {
            "rank": self.rank,
            "id": o.id,
            "name": o.label,
            "capital_cost": o.capital_cost,
            "yearly_cost": o.yearly_cost,
            "lifetime_years": o.lifetime,
            "budget_cost": self.budget_cost,
            "equivalent_annual_cost": self.eac,
            "eal_avoided": self.avoided.as_dict(),
            "eal_avoided_by_threat": {k: v.as_dict() for k, v in self.portfolio.by_threat.items()},
            "helps": self.helps,
            "hurts": self.hurts,
            "npv": self.npv.as_dict(),
            "benefit_cost_ratio": self.bcr.as_dict() if self.bcr else None,
            "payback_years": self.payback_years,
            "pays_back_within_lifetime": self.payback_years is not None and self.payback_years <= o.lifetime,
            "net_annual_benefit": self.net_annual,
            "cost_basis": o.cost_basis,
        }


@dataclass
class PortfolioChoice:
    """The best portfolio found within the budget, and how it was found."""

    search: str
    budget: float | None
    portfolio: Portfolio
    sum_of_singles: float
    """Sum of the chosen options' avoided EAL when each is simulated alone."""
    candidates: int
    """Portfolios simulated by the search."""
    steps: list[dict[str, Any]] = field(default_factory=list)
    """Greedy: one entry per pick."""
    overlaps: dict[str, list[str]] = field(default_factory=dict)
    """Fields set by more than one chosen option (the later one in the file wins)."""

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "search": self.search,
            "budget": self.budget,
            **self.portfolio.as_dict(),
            "sum_of_singles_eal_avoided": self.sum_of_singles,
            "portfolios_simulated": self.candidates,
            "greedy_steps": self.steps,
            "overlapping_fields": self.overlaps,
        }


@dataclass
class InvestReport:
    """Everything ``drillsim invest`` found."""

    model: str
    threats_file: str
    options_file: str
    currency: str
    settings: Settings
    discount_rate: float
    threats: list[ThreatSummary]
    baseline_eal: Estimate
    options: list[OptionResult]
    """Ranked, best first."""
    pareto: list[Portfolio]
    """Cost-risk Pareto front, cheapest first."""
    portfolios: list[Portfolio]
    """Every portfolio simulated."""
    choice: PortfolioChoice | None
    runs_simulated: int
    elapsed_seconds: float
    warnings: list[Diagnostic] = field(default_factory=list)

    def _portfolio_dict(self, portfolio: Portfolio) -> dict[str, Any]:
        """A portfolio's JSON form, with the sum of its options' avoided EAL alone (the interaction shows in the gap)."""
        out = portfolio.as_dict()
        if len(portfolio.options) > 1:
            alone = {r.option.id: r.avoided.mean for r in self.options}
            out["sum_of_singles_eal_avoided"] = sum(alone[o] for o in portfolio.options)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``drillsim invest --json``."""
        s = self.settings
        return {
            "model": self.model,
            "threats_file": self.threats_file,
            "options_file": self.options_file,
            "currency": self.currency,
            "settings": {
                "runs": s.runs,
                "seed": s.seed,
                "discount_rate": self.discount_rate,
                "budget_years": s.years,
                "budget": s.budget,
                "objective": s.objective,
                "search": s.search,
                "rank_by": s.rank_by,
            },
            "threats": [t.as_dict() for t in self.threats],
            "baseline_expected_annual_loss": self.baseline_eal.as_dict(),
            "options": [o.as_dict() for o in self.options],
            "pareto_front": [self._portfolio_dict(p) for p in self.pareto],
            "portfolio": self.choice.as_dict() if self.choice else None,
            "portfolios_simulated": len(self.portfolios),
            "portfolios": [self._portfolio_dict(p) for p in self.portfolios],
            "runs_simulated": self.runs_simulated,
            "elapsed_seconds": self.elapsed_seconds,
            "warnings": [d.format() for d in self.warnings],
        }


def pareto_front(portfolios: list[Portfolio]) -> list[Portfolio]:
    """Portfolios not beaten on both budget cost and residual EAL, cheapest first."""
    ordered = sorted(portfolios, key=lambda p: (p.budget_cost, p.eal.mean, len(p.options)))
    front: list[Portfolio] = []
    best = float("inf")
    for p in ordered:
        if p.eal.mean < best:
            front.append(p)
            best = p.eal.mean
    return front


class InvestAnalysis:
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
        self._losses: dict[Variant, np.ndarray] = {}
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
        return finance.budget_cost(o.capital_cost, o.yearly_cost, self.settings.years)

    def option_eac(self, option_id: str) -> float:
        """Equivalent annual cost."""
        o = self.options.get(option_id)
        return finance.equivalent_annual_cost(o.capital_cost, o.yearly_cost, o.lifetime, self.rate)

    # -- simulation ------------------------------------------------------------------------
    def _simulate(self, portfolios: list[tuple[str, ...]], description: str) -> None:
        variants = [self.builder.variant(t, p) for p in portfolios for t in self.threats.ids]
        missing = [v for v in dict.fromkeys(variants) if v not in self._losses]
        if not missing:
            return
        s = self.settings
        if self.progress:
            self.progress.start(description, len(missing) * s.runs)
        advance = self.progress.advance if self.progress else None
        if self._runner is None:
            self._runner = LossRunner(self.builder, s.jobs, s.backend, s.address, s.out)
        self._losses.update(self._runner.simulate(missing, s.runs, s.seed, advance))

    def _annual(self, options: tuple[str, ...]) -> np.ndarray:
        """Per-run annual loss ``sum_t f_t * loss(t, P, i)``."""
        total = np.zeros(self.settings.runs)
        for t in self.threats.ids:
            total += self.freq[t] * self._losses[self.builder.variant(t, options)].sum(axis=1)
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
                    diff = self._losses[self.builder.variant(t)].sum(axis=1) - self._losses[self.builder.variant(t, key)].sum(axis=1)
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
            losses = self._losses[self.builder.variant(spec.id)]
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
        a = finance.annuity_factor(self.rate, option.lifetime)
        pv_cost = option.capital_cost + option.yearly_cost * a
        npv = portfolio.avoided.shifted(a, -pv_cost)
        bcr = portfolio.avoided.shifted(a / pv_cost, 0.0) if pv_cost > 0 else None
        payback = finance.payback_years(portfolio.avoided.mean, option.capital_cost, option.yearly_cost, self.rate)
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

    # -- portfolio search ------------------------------------------------------------------
    def _fits(self, options: tuple[str, ...]) -> bool:
        budget = self.settings.budget
        return budget is None or sum(self.option_budget_cost(o) for o in options) <= budget * (1 + 1e-12)

    def _exhaustive(self) -> PortfolioChoice:
        ids = self.options.ids
        subsets = [c for k in range(1, len(ids) + 1) for c in itertools.combinations(ids, k) if self._fits(c)]
        self.evaluate(subsets, f"portfolios (all {len(subsets)} that fit)")
        candidates = [self._portfolios[()]] + [self._portfolios[self.builder.ordered(c)] for c in subsets]
        best = max(candidates, key=lambda p: (p.value, -p.budget_cost, -len(p.options)))
        return self._choice("exhaustive", best, len(candidates))

    def _greedy(self) -> PortfolioChoice:
        chosen: tuple[str, ...] = ()
        current = self._portfolios[()]
        steps: list[dict[str, Any]] = []
        simulated = 1
        while True:
            remaining = [o for o in self.options.ids if o not in chosen and self._fits(chosen + (o,))]
            if not remaining:
                break
            trials = self.evaluate([chosen + (o,) for o in remaining], f"greedy round {len(steps) + 1}: {len(remaining)} candidates")
            simulated += len(trials)
            best: tuple[float, float, str, Portfolio] | None = None
            for option, trial in zip(remaining, trials):
                gain = trial.value - current.value
                if gain <= 0:
                    continue
                cost = self.option_budget_cost(option)
                score = gain / cost if cost > 0 else float("inf")
                if best is None or (score, gain) > (best[0], best[1]):
                    best = (score, gain, option, trial)
            if best is None:
                break
            score, gain, option, trial = best
            chosen = trial.options
            current = trial
            steps.append({"pick": option, "marginal_value": gain, "marginal_value_per_budget_cost": score if score != float("inf") else None, "portfolio_value": trial.value})
        return self._choice("greedy", current, simulated, steps)

    def _choice(self, search: str, best: Portfolio, candidates: int, steps: list[dict[str, Any]] | None = None) -> PortfolioChoice:
        singles = sum(p.avoided.mean for p in self.evaluate([(o,) for o in best.options]))
        patches = {o: self.options.patches.get(o, {}) for o in best.options}
        for o in best.options:
            for t, tp in self.options.threat_patches.get(o, {}).items():
                patches[o] = {**patches[o], f"threat_patches[{t}]": tp}
        return PortfolioChoice(search, self.settings.budget, best, singles, candidates, steps or [], overlaps(patches))

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
        search = s.search
        if search == "auto":
            search = "exhaustive" if len(self.options.ids) <= s.exhaustive_limit else "greedy"
        choice = self._exhaustive() if search == "exhaustive" else self._greedy()
        portfolios = sorted(self._portfolios.values(), key=lambda p: (p.budget_cost, p.options))
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
            runs_simulated=len(self._losses) * s.runs,
            elapsed_seconds=time.perf_counter() - began,
            warnings=[*self.threats.warnings, *self.options.warnings],
        )

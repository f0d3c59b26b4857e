"""What the investment analysis found: threats, portfolios, options, the chosen portfolio, the report.

These are plain records (dataclasses with a JSON form); :mod:`drillsim.invest.analysis` fills them.
The Pareto front: among the portfolios simulated, those no other beats on both budget cost and
residual EAL (mean).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model.diagnostics import Diagnostic
from .estimate import Estimate
from .options import Option
from .sequential import Comparison
from .settings import Settings
from .uncertainty import UncertaintyReport
from .years import RiskReport

__all__ = ["ThreatSummary", "Portfolio", "OptionResult", "PortfolioChoice", "ReplicationReport", "InvestReport", "pareto_front"]


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
    runs: dict[str, int] = field(default_factory=dict)
    """Per threat: the runs its figures rest on."""
    how: dict[str, str] = field(default_factory=dict)
    """Per threat: ``simulated``, ``added`` (from its options' runs: they influence disjoint systems),
    ``not-reachable`` (the threat cannot reach what it changes: the baseline's runs) or ``unchanged``
    (no option of it patches the threat's scenario)."""

    @property
    def added_up(self) -> list[str]:
        """Threats whose records were added up from the options' own runs, not simulated."""
        return [t for t, how in self.how.items() if how == "added"]

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
            "runs_by_threat": self.runs,
            "how_by_threat": self.how,
            "eal_avoided_interval_width": self.avoided.width,
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
            "capital_cost": o.figure("capital_cost"),
            "yearly_cost": o.figure("yearly_cost"),
            "lifetime_years": o.figure("lifetime"),
            "budget_cost": self.budget_cost,
            "equivalent_annual_cost": self.eac,
            "eal_avoided": self.avoided.as_dict(),
            "eal_avoided_by_threat": {k: v.as_dict() for k, v in self.portfolio.by_threat.items()},
            "helps": self.helps,
            "hurts": self.hurts,
            "npv": self.npv.as_dict(),
            "npv_interval_width": self.npv.width,
            "runs_by_threat": self.portfolio.runs,
            "how_by_threat": self.portfolio.how,
            "benefit_cost_ratio": self.bcr.as_dict() if self.bcr else None,
            "payback_years": self.payback_years,
            "pays_back_within_lifetime": self.payback_years is not None and self.payback_years <= o.figure("lifetime"),
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
class ReplicationReport:
    """How many runs went where, what they decided, and which shortcuts replaced simulations."""

    mode: str
    """``sequential`` (runs added while a question is open) or ``fixed`` (``--runs``)."""
    min_runs: int
    max_runs: int
    rounds: int
    """Rounds run (1: the first runs decided everything)."""
    decision_level: float
    """Level of the intervals questions are decided at (``1 - 0.05 / K`` in sequential mode)."""
    runs_simulated: int
    variants_simulated: int
    baseline_runs: dict[str, int]
    """Per threat: the baseline's runs (shared by every option and portfolio)."""
    option_runs: dict[str, dict[str, Any]]
    """Per option alone, per threat: runs used (an int) or how it was obtained without runs of its own."""
    skipped: list[dict[str, Any]] = field(default_factory=list)
    """``{threat, option}``: the threat cannot reach what the option changes (the baseline's runs reused)."""
    added: list[dict[str, Any]] = field(default_factory=list)
    """``{threat, portfolio, groups}``: portfolios whose records were added up from their groups' runs."""
    comparisons: list[Comparison] = field(default_factory=list)
    runs_range: tuple[int, int] = (0, 0)
    """The fewest and the most runs a simulated variant got."""

    @property
    def open(self) -> list[Comparison]:
        """Questions still open (at ``--max-runs``)."""
        return [c for c in self.comparisons if not c.decided]

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "mode": self.mode,
            "min_runs": self.min_runs,
            "max_runs": self.max_runs,
            "rounds": self.rounds,
            "decision_level": self.decision_level,
            "runs_simulated": self.runs_simulated,
            "variants_simulated": self.variants_simulated,
            "baseline_runs_by_threat": self.baseline_runs,
            "option_runs_by_threat": self.option_runs,
            "reachability_skips": self.skipped,
            "added_up_portfolios": self.added,
            "questions": [c.as_dict() for c in self.comparisons],
            "open_questions": len(self.open),
            "runs_per_variant": {"fewest": self.runs_range[0], "most": self.runs_range[1]},
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
    """Wall time of the simulations and the point analysis (the annual-loss and uncertainty analyses report their own CPU time)."""
    warnings: list[Diagnostic] = field(default_factory=list)
    assumptions: list[dict[str, Any]] = field(default_factory=list)
    """The assumptions table (:meth:`drillsim.invest.sampling.AssumptionSet.table`)."""
    risk: RiskReport | None = None
    """The annual loss distribution (None: not asked for)."""
    uncertainty: UncertaintyReport | None = None
    """The second-order Monte Carlo over the assumptions' ranges (None: no range, or not asked for)."""
    replication: ReplicationReport | None = None
    """Runs used per threat and option, the questions decided and how firmly, the shortcuts taken."""

    @property
    def runs_label(self) -> str:
        """``20 runs`` (fixed) or ``10-80 runs, sequential``: how many runs each threat and portfolio got."""
        s = self.settings
        if s.runs is not None:
            return f"{s.runs} runs"
        rep = self.replication
        low, high = rep.runs_range if rep is not None else (s.min_runs, s.max_runs)
        return f"{low} runs, sequential" if low == high else f"{low}-{high} runs, sequential"

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
                "min_runs": s.min_runs,
                "max_runs": s.max_runs,
                "shortcuts": s.shortcuts,
                "seed": s.seed,
                "discount_rate": self.discount_rate,
                "budget_years": s.years,
                "budget": s.budget,
                "objective": s.objective,
                "search": s.search,
                "rank_by": s.rank_by,
                "risk_years": s.risk_years,
                "bootstrap": s.bootstrap,
                "outer_samples": s.outer_samples,
            },
            "threats": [t.as_dict() for t in self.threats],
            "baseline_expected_annual_loss": self.baseline_eal.as_dict(),
            "options": [o.as_dict() for o in self.options],
            "pareto_front": [self._portfolio_dict(p) for p in self.pareto],
            "portfolio": self.choice.as_dict() if self.choice else None,
            "portfolios_simulated": len(self.portfolios),
            "portfolios": [self._portfolio_dict(p) for p in self.portfolios],
            "assumptions": self.assumptions,
            "annual_loss": self.risk.as_dict() if self.risk else None,
            "uncertainty": self.uncertainty.as_dict() if self.uncertainty else None,
            "replication": self.replication.as_dict() if self.replication else None,
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



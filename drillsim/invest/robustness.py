"""The budget office's questions, asked of the runs the point analysis simulated: tail risk and robustness.

:class:`RobustnessAnalysis` is a mixin of :class:`~drillsim.invest.analysis.InvestAnalysis`. After
the point analysis it builds, from the per-run records alone (nothing is simulated again):

- the annual loss distribution of the baseline, of each option alone and of the chosen portfolio
  (:func:`drillsim.invest.years.analyse_years`);
- the assumptions table (:class:`~drillsim.invest.sampling.AssumptionSet`) and, when some of them
  are ranges, the second-order Monte Carlo over them (:func:`drillsim.invest.uncertainty.analyse_uncertainty`
  on :class:`~drillsim.invest.economics.Economics`).

What it reads of the analysis: ``records(threat, portfolio)`` (one
:class:`~drillsim.invest.runs.RunRecords` per threat and portfolio, runs paired by index),
``component_means(threat, portfolio)`` (the point analysis' mean loss by component), the
portfolios summarised so far, the threats, options and settings. Records of different
portfolios may hold different numbers of runs (sequential replication): the simulated years use,
per threat, the runs every portfolio shown has (the first ``n``, paired run by run), and the
uncertainty analysis the same means as the point analysis, so its point figures reproduce it.
"""

from __future__ import annotations

import numpy as np

from .economics import Economics
from .options import OptionSet
from .results import OptionResult, Portfolio, PortfolioChoice
from .runs import RunRecords
from .sampling import AssumptionSet
from .settings import Settings
from .threats import ThreatSet
from .uncertainty import UncertaintyReport, analyse_uncertainty
from .variants import Variant, VariantBuilder
from .years import RiskReport, analyse_years

__all__ = ["RobustnessAnalysis", "YEAR_HOURS"]

YEAR_HOURS = 8760.0
"""A threat simulated this long or longer is a year of background failures (``occurs: auto``)."""


class RobustnessAnalysis:
    """Annual loss distribution and uncertainty analysis, mixed into the analysis (see the module docstring)."""

    settings: Settings
    threats: ThreatSet
    options: OptionSet
    builder: VariantBuilder
    rate: float
    _portfolios: dict[tuple[str, ...], Portfolio]

    def records(self, threat: str, options: tuple[str, ...] = ()) -> RunRecords:
        raise NotImplementedError  # the analysis holds the runs

    def component_means(self, threat: str, options: tuple[str, ...]) -> np.ndarray:
        raise NotImplementedError  # the analysis holds the runs

    def every_year(self) -> list[bool]:
        """Per threat: whether it occurs once every year in the simulated years (else a Poisson number of times)."""
        out = []
        for spec in self.threats.specs:
            occurs = spec.threat.occurs
            if occurs == "auto":
                occurs = "every-year" if self.builder.build(Variant(spec.id)).horizon >= YEAR_HOURS - 1e-9 else "poisson"
            out.append(occurs == "every-year")
        return out

    def annual_risk(self, choice: PortfolioChoice | None) -> RiskReport:
        """The annual loss distribution of the baseline, each option alone and the chosen portfolio."""
        s = self.settings
        keys: list[tuple[str, ...]] = [(), *((o,) for o in self.options.ids)]
        chosen = choice.portfolio.options if choice is not None else None
        if chosen and chosen not in keys:
            keys.append(chosen)
        shared = {t: min(self.records(t, key).runs for key in keys) for t in self.threats.ids}
        records = {key: [self.records(t, key).head(shared[t]) for t in self.threats.ids] for key in keys}
        curves = [()] + ([chosen] if chosen else [])
        return analyse_years(
            self.threats.ids,
            [spec.frequency for spec in self.threats.specs],
            self.every_year(),
            records,
            s.risk_years,
            s.seed,
            s.bootstrap,
            chosen,
            curves,
        )

    def assumptions(self) -> AssumptionSet:
        """Every assumption of the analysis (frequencies, costs, lifetimes, loss-figure factors)."""
        return AssumptionSet(self.threats, self.options)

    def economics(self) -> Economics:
        """The economics of every portfolio summarised so far, at any values of the assumptions."""
        keys = sorted(self._portfolios, key=lambda k: (len(k), k))
        means = np.array([[self.component_means(t, key) for t in self.threats.ids] for key in keys])
        s = self.settings
        return Economics(self.assumptions(), means, keys, self.rate, s.years, s.budget, s.objective)

    def uncertainty(self, results: list[OptionResult], choice: PortfolioChoice | None) -> UncertaintyReport | None:
        """The second-order Monte Carlo over the ranges (None when no assumption is a range)."""
        eco = self.economics()
        if not eco.assumptions.ranged:
            return None
        noise = {r.option.id: (r.npv.low, r.npv.high) for r in results if r.npv.low is not None and r.npv.high is not None}
        s = self.settings
        chosen = choice.portfolio.options if choice is not None else None
        return analyse_uncertainty(eco, s.rank_by, s.outer_samples, s.seed, chosen, noise)

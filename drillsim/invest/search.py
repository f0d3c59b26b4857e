"""The best portfolio within the budget: exhaustive search over every subset that fits, or greedy.

- Exhaustive (used up to ``exhaustive_limit`` options): every subset of options that fits the
  budget is simulated as a combination, and the one of largest value wins.
- Greedy, for more options: start empty; in each round simulate the current portfolio plus each
  option that still fits, and add the one with the largest marginal value per won of budget cost
  ``(value(P + o) - value(P)) / budget_cost(o)`` (a free option with a positive gain first); stop
  when no option adds value or none fits. Greedy can miss the optimum (a knapsack can be better
  filled by two smaller options than by the best ratio), which is why small sets are searched
  exhaustively.

:class:`PortfolioSearch` is a mixin of :class:`~drillsim.invest.analysis.InvestAnalysis`: it uses
its ``evaluate``, ``option_budget_cost``, ``settings``, ``options``, ``builder`` and the cache of
portfolios already summarised.
"""

from __future__ import annotations

import itertools
from typing import Any

from .options import OptionSet
from .results import Portfolio, PortfolioChoice
from .settings import Settings
from .variants import VariantBuilder, overlaps

__all__ = ["PortfolioSearch"]


class PortfolioSearch:
    """The portfolio searches, mixed into the analysis (see the module docstring)."""

    settings: Settings
    options: OptionSet
    builder: VariantBuilder
    _portfolios: dict[tuple[str, ...], Portfolio]

    def evaluate(self, portfolios: list[tuple[str, ...]], description: str = "simulating") -> list[Portfolio]:
        raise NotImplementedError  # the analysis simulates and summarises

    def option_budget_cost(self, option_id: str) -> float:
        raise NotImplementedError

    def _fits(self, options: tuple[str, ...]) -> bool:
        budget = self.settings.budget
        return budget is None or sum(self.option_budget_cost(o) for o in options) <= budget * (1 + 1e-12)

    def _subsets(self) -> list[tuple[str, ...]]:
        ids = self.options.ids
        return [c for k in range(1, len(ids) + 1) for c in itertools.combinations(ids, k) if self._fits(c)]

    def _kind(self) -> str:
        kind = self.settings.search
        if kind == "auto":
            kind = "exhaustive" if len(self.options.ids) <= self.settings.exhaustive_limit else "greedy"
        return kind

    def planned(self) -> list[tuple[str, ...]]:
        """The portfolios the search will value whatever the runs say (exhaustive: every subset that fits; greedy: none)."""
        return self._subsets() if self._kind() == "exhaustive" else []

    def _exhaustive(self) -> PortfolioChoice:
        subsets = self._subsets()
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

    def best_portfolio(self) -> PortfolioChoice:
        """The best portfolio by the search the settings ask for (``auto``: exhaustive up to the limit)."""
        return self._exhaustive() if self._kind() == "exhaustive" else self._greedy()

"""Expected annual losses and the options' economics at any values of the assumptions, with no simulation.

The runs are simulated once, at the model's loss figures; a threat's frequency and the loss
figures only weigh what the runs found. With ``m[P, t, c]`` the mean over runs of component ``c``
(unserved demand, hours of data lost, data lost for good) of threat ``t`` under portfolio ``P``
(:class:`~drillsim.invest.runs.RunRecords`), one row ``x`` of assumptions (frequencies ``f_t``,
loss-figure factors ``k_c``, and each option's capital ``C0``, yearly cost ``c`` and lifetime
``T``; :mod:`drillsim.invest.sampling`) gives::

    EAL(P)      = sum_t f_t sum_c k_c m[P, t, c]          (exactly the point analysis' formula)
    B(P)        = EAL({}) - EAL(P)
    A           = (1 - (1 + r)^-T) / r                     (T when r = 0)
    NPV(o)      = (B({o}) - c) A - C0
    B/C(o)      = B({o}) A / (C0 + c A)
    EAC(o)      = C0 / A + c
    value(P)    = B(P) - sum_{o in P} EAC(o)   (objective net)   or   B(P)   (objective avoided)
    budget(P)   = sum_{o in P} (C0 + years x c)

Because the loss of a run is linear in each loss figure and the expected annual loss is linear in
each frequency, these are exact: they equal what a new simulation with the changed figures would
give on the same seeds (the tests check it). :class:`Economics` evaluates a whole matrix of
assumption rows at once (numpy), so 1,000 outer samples cost milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .sampling import AssumptionSet

__all__ = ["Economics", "Evaluation", "annuity"]


def annuity(rate: float, years: np.ndarray) -> np.ndarray:
    """``A(r, T)`` elementwise (see :func:`drillsim.invest.finance.annuity_factor`)."""
    years = np.asarray(years, dtype=float)
    if rate == 0:
        return np.where(years > 0, years, 0.0)
    return np.where(years > 0, (1.0 - (1.0 + rate) ** (-years)) / rate, 0.0)


@dataclass
class Evaluation:
    """The economics of every row of assumptions: arrays with one row per row of assumptions."""

    eal: np.ndarray
    """``(S, P)``: expected annual loss of each portfolio."""
    avoided: np.ndarray
    """``(S, P)``: EAL avoided against the baseline."""
    npv: np.ndarray
    """``(S, O)``: NPV of each option alone."""
    bcr: np.ndarray
    """``(S, O)``: benefit/cost ratio (NaN for an option that costs nothing)."""
    eac: np.ndarray
    """``(S, O)``: equivalent annual cost."""
    option_budget: np.ndarray
    """``(S, O)``: budget cost ``C0 + years x c``."""
    value: np.ndarray
    """``(S, P)``: what the portfolio search maximises."""
    budget_cost: np.ndarray
    """``(S, P)``: budget cost of each portfolio."""
    single_avoided: np.ndarray
    """``(S, O)``: EAL avoided by each option alone."""


class Economics:
    """Evaluates rows of assumptions against the per-run means of the simulated portfolios."""

    def __init__(
        self,
        assumptions: AssumptionSet,
        means: np.ndarray,
        portfolios: list[tuple[str, ...]],
        rate: float,
        budget_years: float,
        budget: float | None = None,
        objective: str = "net",
    ):
        """``means[p, t, c]``: mean over runs of component ``c`` of threat ``t`` under ``portfolios[p]``."""
        self.assumptions = assumptions
        self.means = np.asarray(means, dtype=float)
        self.portfolios = list(portfolios)
        self.rate = rate
        self.budget_years = budget_years
        self.budget = budget
        self.objective = objective
        index = {p: k for k, p in enumerate(self.portfolios)}
        self.base = index[()]
        options = assumptions.options
        self.single = np.array([index[(o,)] for o in options], dtype=int)
        self.members = np.array([[o in p for o in options] for p in self.portfolios], dtype=float)
        self.freq_cols = assumptions.columns("frequency")
        self.loss_cols = assumptions.columns("loss_figure")
        self.capital_cols = assumptions.columns("capital_cost")
        self.yearly_cols = assumptions.columns("yearly_cost")
        self.life_cols = assumptions.columns("lifetime")

    def eal(self, x: np.ndarray) -> np.ndarray:
        """``(S, P)`` expected annual loss of every portfolio for rows ``x`` ``(S, A)``."""
        x = np.atleast_2d(x)
        return np.einsum("st,sc,ptc->sp", x[:, self.freq_cols], x[:, self.loss_cols], self.means)

    def evaluate(self, x: np.ndarray) -> Evaluation:
        """Every quantity of the module docstring for rows ``x`` ``(S, A)``."""
        x = np.atleast_2d(np.asarray(x, dtype=float))
        eal = self.eal(x)
        avoided = eal[:, [self.base]] - eal
        capital, yearly, life = x[:, self.capital_cols], x[:, self.yearly_cols], x[:, self.life_cols]
        a = annuity(self.rate, life)
        single = avoided[:, self.single]
        npv = (single - yearly) * a - capital
        pv_cost = capital + yearly * a
        with np.errstate(divide="ignore", invalid="ignore"):
            bcr = np.where(pv_cost > 0, single * a / np.where(pv_cost > 0, pv_cost, 1.0), np.nan)
            eac = np.where(a > 0, capital / np.where(a > 0, a, 1.0), np.inf) + yearly
        option_budget = capital + self.budget_years * yearly
        value = avoided - eac @ self.members.T if self.objective == "net" else avoided.copy()
        return Evaluation(eal, avoided, npv, bcr, eac, option_budget, value, option_budget @ self.members.T, single)

    def best(self, evaluation: Evaluation) -> np.ndarray:
        """``(S,)``: index of the portfolio of largest value that fits the budget, per row.

        Ties go to the cheaper portfolio, then the smaller one (as in the point search).
        """
        value = evaluation.value
        if self.budget is not None:
            value = np.where(evaluation.budget_cost <= self.budget * (1 + 1e-12), value, -np.inf)
        top = value.max(axis=1, keepdims=True)
        tied = value >= top - 1e-9 * np.maximum(1.0, np.abs(top))
        cost = np.where(tied, evaluation.budget_cost + 1e-9 * self.members.sum(axis=1), np.inf)
        return np.argmin(cost, axis=1)

    def rank_key(self, evaluation: Evaluation, rank_by: str) -> np.ndarray:
        """``(S, O)``: the quantity options are ranked by (larger is better)."""
        if rank_by == "npv":
            return evaluation.npv
        if rank_by == "avoided":
            return evaluation.single_avoided
        bcr = evaluation.bcr
        free = np.where(evaluation.single_avoided > 0, np.inf, -np.inf)
        return np.where(np.isnan(bcr), free, bcr)

    @staticmethod
    def ranks(key: np.ndarray) -> np.ndarray:
        """``(S, O)``: rank 1 for the largest key in each row (ties: file order)."""
        order = np.argsort(-key, axis=1, kind="stable")
        ranks = np.empty_like(order)
        rows = np.arange(key.shape[0])[:, None]
        ranks[rows, order] = np.arange(1, key.shape[1] + 1)[None, :]
        return ranks

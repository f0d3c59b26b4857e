"""How robust the ranking is to its assumptions: second-order Monte Carlo, tornado, break-even frequencies.

Outer loop: ``samples`` rows of the assumptions drawn from their ranges
(:meth:`~drillsim.invest.sampling.AssumptionSet.sample`, Latin hypercube, independent
assumptions). Inner results: the runs already simulated, reweighted to each row
(:class:`~drillsim.invest.economics.Economics`: a frequency weighs a threat's mean loss, a loss
factor scales one component; nothing is simulated again). The runs' own noise is not part of
these intervals: it is the point analysis' interval over runs, shown beside them.

Per option:

- NPV (and EAL avoided) under the assumptions: mean and 5th/50th/95th percentiles;
- P(worth its cost) = share of rows with NPV > 0;
- P(in the best portfolio) = share of rows whose best portfolio within the budget (among the
  portfolios the search simulated, at that row's costs) holds the option;
- its rank in each row (by the ``--rank-by`` quantity), the 90 % rank interval (5th to 95th
  percentile) and P(rank = its point rank). A rank is **uncertain** when its 90 % interval spans
  more than one rank; a pair of options whose order flips in more than 5 % of the rows (and less
  than 95 %) is listed with the share of rows keeping the point order;
- tornado: the NPV with one range at its 5th, then its 95th percentile, all others at their point
  figures; the bars sorted by swing ``|NPV(p95) - NPV(p5)|``;
- break-even: the main threat ``t`` is the one it avoids most loss of (point figures). NPV > 0
  exactly when ``B > EAC``, and ``B = f_t d_t + B_other`` with ``d_t`` the loss avoided per
  occurrence of ``t``, so it pays when ``f_t > f* = (EAC - B_other) / d_t`` ("worth it if the
  threat happens more often than once in ``1 / f*`` years"); ``f* <= 0``: it pays whatever ``t``'s
  frequency; ``d_t <= 0``: no frequency of ``t`` makes it pay. The interval of ``f*`` comes from the
  same rows (everything but ``t``'s own frequency varies).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .economics import Economics
from .sampling import AssumptionSet

__all__ = ["Spread", "TornadoBar", "BreakEven", "OptionUncertainty", "UncertaintyReport", "analyse_uncertainty", "FLIP"]

FLIP = 0.05
"""A pair of options is shown as uncertain when their order flips in more than this share of rows."""


@dataclass
class Spread:
    """A quantity over the outer samples: its mean and 5th/50th/95th percentiles."""

    mean: float
    p5: float
    p50: float
    p95: float

    @classmethod
    def of(cls, values: np.ndarray) -> "Spread":
        """The spread of ``values``."""
        p5, p50, p95 = np.percentile(values, [5, 50, 95])
        return cls(float(np.mean(values)), float(p5), float(p50), float(p95))

    def as_dict(self) -> dict[str, float]:
        """JSON form."""
        return {"mean": self.mean, "p5": self.p5, "p50": self.p50, "p95": self.p95}


@dataclass
class TornadoBar:
    """One assumption's pull on one option's NPV: the NPV at the range's 5th and 95th percentiles."""

    key: str
    label: str
    at_low: float
    """The assumption's 5th percentile."""
    at_high: float
    """Its 95th percentile."""
    npv_low: float
    """NPV with the assumption at its 5th percentile (the others at their point figures)."""
    npv_high: float
    """NPV with it at its 95th percentile."""

    @property
    def swing(self) -> float:
        """``|NPV(p95) - NPV(p5)|``."""
        return abs(self.npv_high - self.npv_low)

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "key": self.key,
            "label": self.label,
            "assumption_p5": self.at_low,
            "assumption_p95": self.at_high,
            "npv_at_p5": self.npv_low,
            "npv_at_p95": self.npv_high,
            "swing": self.swing,
        }


@dataclass
class BreakEven:
    """The frequency of an option's main threat above which the option pays."""

    threat: str | None
    """The main threat (None: the option avoids no loss)."""
    frequency: float | None
    """The threat's point frequency."""
    status: str
    """``above`` (it pays above ``break_even``), ``always`` (at any frequency) or ``never``."""
    break_even: float | None = None
    """Occurrences per year at which NPV = 0 (point figures)."""
    interval: tuple[float, float] | None = None
    """5th and 95th percentiles of the break-even frequency over the outer samples."""

    @property
    def once_in_years(self) -> float | None:
        """``1 / break_even``: worth it if the threat happens more often than once in this many years."""
        return 1.0 / self.break_even if self.break_even else None

    def sentence(self) -> str:
        """In words, for the reports."""
        if self.threat is None:
            return "no frequency of any threat makes it pay"
        if self.status == "never":
            return f"no frequency of {self.threat} makes it pay"
        if self.status == "always":
            return f"pays whatever the frequency of {self.threat} (its other threats cover its cost)"
        f = self.break_even or 0.0
        rate = f"more often than once in {1 / f:,.3g} years" if f < 1 else f"more than {f:,.3g} times a year"
        if not self.frequency:
            return f"worth it if {self.threat} happens {rate}"
        assumed = f"once in {1 / self.frequency:,.3g} years" if self.frequency < 1 else f"{self.frequency:,.3g} a year"
        ratio = f / self.frequency
        times = f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.2g}"
        return f"worth it if {self.threat} happens {rate} (assumed: {assumed}; {times} x the assumed frequency)"

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "threat": self.threat,
            "frequency_per_year": self.frequency,
            "status": self.status,
            "break_even_per_year": self.break_even,
            "break_even_once_in_years": self.once_in_years,
            "break_even_interval_per_year": list(self.interval) if self.interval else None,
            "sentence": self.sentence(),
        }


@dataclass
class OptionUncertainty:
    """One option under its assumptions."""

    id: str
    npv: Spread
    avoided: Spread
    p_worth: float
    """P(NPV > 0)."""
    p_in_best: float
    """P(the option is in the best portfolio within the budget)."""
    rank: int
    """Point rank."""
    rank_interval: tuple[int, int]
    """5th and 95th percentiles of the rank."""
    rank_median: int
    p_rank: float
    """P(rank = point rank)."""
    rank_distribution: list[float]
    """P(rank = k) for k = 1 .. number of options."""
    tornado: list[TornadoBar]
    break_even: BreakEven
    simulation_npv: tuple[float, float] | None = None
    """The point NPV's 95 % interval over runs (the simulation's own noise), for comparison."""

    @property
    def uncertain(self) -> bool:
        """Whether the 90 % rank interval spans more than one rank."""
        return self.rank_interval[0] != self.rank_interval[1]

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "id": self.id,
            "npv": self.npv.as_dict(),
            "eal_avoided": self.avoided.as_dict(),
            "p_worth_its_cost": self.p_worth,
            "p_in_best_portfolio": self.p_in_best,
            "rank": self.rank,
            "rank_interval": list(self.rank_interval),
            "rank_median": self.rank_median,
            "p_point_rank": self.p_rank,
            "rank_uncertain": self.uncertain,
            "rank_distribution": self.rank_distribution,
            "tornado": [b.as_dict() for b in self.tornado],
            "simulation_npv_interval": list(self.simulation_npv) if self.simulation_npv else None,
            "break_even": self.break_even.as_dict(),
        }


@dataclass
class UncertaintyReport:
    """The second-order Monte Carlo over the assumptions (see the module docstring)."""

    samples: int
    seed: int
    ranged: list[str]
    """Keys of the assumptions given as ranges."""
    options: list[OptionUncertainty]
    """In point-rank order."""
    flips: list[dict[str, Any]]
    """Pairs whose order flips: ``{above, below, p_kept}`` (``above`` ranks higher at the point figures)."""
    best: list[dict[str, Any]]
    """The portfolios that are best in some rows: ``{options, probability}``, most often first."""
    chosen: list[str] | None
    p_chosen_best: float | None
    """P(the point analysis' chosen portfolio is the best)."""
    seconds: float = 0.0
    """CPU time of the uncertainty analysis."""
    notes: list[str] = field(default_factory=list)

    def option(self, option_id: str) -> OptionUncertainty:
        """The entry of one option."""
        return next(o for o in self.options if o.id == option_id)

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "outer_samples": self.samples,
            "seed": self.seed,
            "ranged_assumptions": self.ranged,
            "options": [o.as_dict() for o in self.options],
            "rank_flips": self.flips,
            "best_portfolios": self.best,
            "chosen_portfolio": self.chosen,
            "p_chosen_is_best": self.p_chosen_best,
            "cpu_seconds": self.seconds,
            "notes": self.notes,
        }


def _break_even(eco: Economics, k: int, x: np.ndarray, eac: np.ndarray, nominal: np.ndarray, point_eac: float) -> BreakEven:
    """Break-even frequency of option ``k``'s main threat, at the point figures and over the rows ``x``.

    ``eac``: the option's equivalent annual cost in each row of ``x``; ``point_eac``: at the point figures.
    """
    base, single = eco.base, eco.single[k]
    delta = eco.means[base] - eco.means[single]  # (T, 3): loss avoided per occurrence, by component
    freq, factors = nominal[eco.freq_cols], nominal[eco.loss_cols]
    per_threat = freq * (delta @ factors)
    if not np.any(per_threat > 0):
        return BreakEven(None, None, "never")
    t = int(np.argmax(per_threat))
    threat = eco.assumptions.threats[t]

    def solve(rows: np.ndarray, cost: np.ndarray) -> np.ndarray:
        f, kf = rows[:, eco.freq_cols], rows[:, eco.loss_cols]
        d = kf @ delta.T  # (S, T): avoided per occurrence of each threat
        other = (f * d).sum(axis=1) - f[:, t] * d[:, t]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(d[:, t] > 0, (cost - other) / np.where(d[:, t] > 0, d[:, t], 1.0), np.inf)

    point = float(solve(nominal[None, :], np.array([point_eac]))[0])
    spread = solve(x, eac)
    finite = spread[np.isfinite(spread)]
    interval = (max(0.0, float(np.percentile(finite, 5))), max(0.0, float(np.percentile(finite, 95)))) if finite.size else None
    if not np.isfinite(point):
        return BreakEven(threat, float(freq[t]), "never", None, interval)
    if point <= 0:
        return BreakEven(threat, float(freq[t]), "always", 0.0, interval)
    return BreakEven(threat, float(freq[t]), "above", point, interval)


def analyse_uncertainty(
    eco: Economics,
    rank_by: str,
    samples: int,
    seed: int,
    chosen: tuple[str, ...] | None = None,
    simulation_npv: dict[str, tuple[float, float]] | None = None,
) -> UncertaintyReport:
    """The uncertainty report over ``samples`` outer samples (seeded by ``seed``)."""
    started = time.process_time()
    assumptions: AssumptionSet = eco.assumptions
    ids = assumptions.options
    nominal = assumptions.nominal()
    x = assumptions.sample(samples, seed)
    ev = eco.evaluate(x)
    point = eco.evaluate(nominal[None, :])
    point_ranks = eco.ranks(eco.rank_key(point, rank_by))[0]
    ranks = eco.ranks(eco.rank_key(ev, rank_by))
    best = eco.best(ev)
    in_best = eco.members[best]  # (S, O)
    rows, ranged = assumptions.one_at_a_time()
    oat = eco.evaluate(rows).npv if len(ranged) else np.zeros((0, len(ids)))
    n = len(ids)
    out = []
    for k, option in enumerate(ids):
        r = ranks[:, k]
        low, median, high = (int(round(v)) for v in np.percentile(r, [5, 50, 95], method="nearest"))
        bars = [
            TornadoBar(
                a.key, a.label, float(rows[2 * j, assumptions.index[a.key]]), float(rows[2 * j + 1, assumptions.index[a.key]]), float(oat[2 * j, k]), float(oat[2 * j + 1, k])
            )
            for j, a in enumerate(ranged)
        ]
        scale = max(1.0, abs(float(point.npv[0, k])))
        bars = sorted((b for b in bars if b.swing > 1e-12 * scale), key=lambda b: -b.swing)
        out.append(
            OptionUncertainty(
                option,
                Spread.of(ev.npv[:, k]),
                Spread.of(ev.single_avoided[:, k]),
                float(np.mean(ev.npv[:, k] > 0)),
                float(np.mean(in_best[:, k])),
                int(point_ranks[k]),
                (low, high),
                median,
                float(np.mean(r == point_ranks[k])),
                [float(np.mean(r == j)) for j in range(1, n + 1)],
                bars,
                _break_even(eco, k, x, ev.eac[:, k], nominal, float(point.eac[0, k])),
                (simulation_npv or {}).get(option),
            )
        )
    out.sort(key=lambda o: o.rank)
    flips = []
    for i in range(n):
        for j in range(n):
            if point_ranks[i] < point_ranks[j]:
                kept = float(np.mean(ranks[:, i] < ranks[:, j]))
                if kept < 1 - FLIP:
                    flips.append({"above": ids[i], "below": ids[j], "p_kept": kept})
    flips.sort(key=lambda f: (abs(f["p_kept"] - 0.5), f["above"]))
    counts = np.bincount(best, minlength=len(eco.portfolios))
    order = np.argsort(-counts, kind="stable")
    best_list = [{"options": list(eco.portfolios[p]), "probability": float(counts[p] / samples)} for p in order if counts[p] > 0][:10]
    p_chosen = None
    if chosen is not None and chosen in eco.portfolios:
        p_chosen = float(np.mean(best == eco.portfolios.index(chosen)))
    notes = [
        "intervals are over the assumptions' ranges with the simulated runs held fixed; the simulation's own noise is the point interval over runs",
        "the best portfolio in each sample is chosen among the portfolios the search simulated",
    ]
    chosen_list = list(chosen) if chosen is not None else None
    return UncertaintyReport(samples, seed, [a.key for a in ranged], out, flips, best_list, chosen_list, p_chosen, time.process_time() - started, notes)

"""The annual loss distribution: simulated years made of the threat runs already simulated.

A simulated year: each threat ``t`` occurs ``N_t ~ Poisson(f_t)`` times (``occurs: poisson``), each
occurrence one of the threat's runs drawn uniformly; a threat whose occurrence is itself a
simulated year of background failures (``occurs: every-year``, the default for a horizon of a
year or more) occurs exactly once a year, its loss times ``f_t`` (so the mean stays ``f_t`` x the
mean loss). The year's **aggregate** loss is the sum over its occurrences, its **occurrence** loss
the largest single one. Nothing is simulated again: the years only reuse the runs.

Every portfolio sees the **same** years: the same counts and the same drawn run indices as the
baseline (common random numbers), so a portfolio's curve differs from the baseline's only by what
the options change in those runs.

From ``years`` simulated years, per portfolio:

- the exceedance curve ``P(loss > x)`` (aggregate and occurrence) and the loss at return periods;
- value at risk ``VaR_q = inf {x : P(loss <= x) >= q}`` at q = 90 % and 99 % (the 1-in-10 and
  1-in-100-year loss), and the tail expectation (TVaR, CVaR, expected shortfall)
  ``TVaR_q = VaR_q + E[(loss - VaR_q)+] / (1 - q)``, the mean loss of the worst ``1 - q`` of years
  (exact for a sample with ties, e.g. a fixed loss per occurrence);
- P(a year with any grade-1 RTO breach) and P(a year in which some data is lost for good).

Intervals (95 %) come from a paired bootstrap: each replicate resamples every threat's runs
with replacement and then the simulated years, the same resampling for every portfolio, so they
cover both the few runs per threat and the finite number of years. They are computed for the
baseline and the chosen portfolio (the curves drawn); each option alone gets its point figures.
All draws are seeded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .runs import RunRecords

__all__ = ["YearDraws", "draw_years", "YearLosses", "year_losses", "exceedance", "var", "tail", "PortfolioRisk", "RiskReport", "analyse_years", "LEVELS", "RETURN_PERIODS"]

LEVELS = (0.90, 0.99)
"""The levels of VaR and TVaR."""

RETURN_PERIODS = (10, 20, 50, 100, 200, 500, 1000)
"""Return periods (years) whose loss is reported, those of at most a tenth of the years simulated."""

CURVE_POINTS = 80
"""Points of the exceedance curve (log-spaced losses)."""


@dataclass
class YearDraws:
    """Which runs make up each simulated year: per threat, the year of each occurrence and the run drawn."""

    years: int
    scale: np.ndarray
    """``(T,)``: loss multiplier of an occurrence (1 for Poisson threats, the frequency for every-year ones)."""
    year_of: list[np.ndarray]
    """Per threat: the (sorted) year index of each occurrence."""
    run_of: list[np.ndarray]
    """Per threat: the run index drawn for each occurrence."""


def draw_years(frequencies: Sequence[float], every_year: Sequence[bool], runs: Sequence[int], years: int, rng: np.random.Generator) -> YearDraws:
    """Draw ``years`` years: occurrence counts per threat and a run for each occurrence."""
    year_of, run_of, scale = [], [], []
    for f, yearly, n in zip(frequencies, every_year, runs):
        if yearly:
            counts = np.ones(years, dtype=np.int64)
            scale.append(float(f))
        else:
            counts = rng.poisson(float(f), years)
            scale.append(1.0)
        when = np.repeat(np.arange(years), counts)
        year_of.append(when)
        run_of.append(rng.integers(0, n, len(when)) if n > 0 else np.zeros(0, dtype=np.int64))
    return YearDraws(years, np.array(scale), year_of, run_of)


@dataclass
class YearLosses:
    """Per simulated year (one row per bootstrap replicate): aggregate and largest loss, yes/no facts."""

    aggregate: np.ndarray
    largest: np.ndarray
    grade1: np.ndarray
    """Whether a grade-1 system missed its RTO in the year."""
    lost: np.ndarray
    """Whether some data was lost for good in the year."""


def year_losses(draws: YearDraws, records: Sequence[RunRecords], maps: Sequence[np.ndarray] | None = None, factors: np.ndarray | None = None) -> YearLosses:
    """The years of one portfolio (``records``: one per threat, in the draws' order).

    ``maps``: per threat, ``(B, runs)`` bootstrap resamplings of the run indices (None: the runs
    as they are, one row); ``factors``: loss-figure factors per component (default 1).
    """
    rows = 1 if maps is None else len(maps[0])
    shape = (rows, draws.years)
    aggregate, largest = np.zeros(shape), np.zeros(shape)
    grade1, lost = np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool)
    for t, rec in enumerate(records):
        when = draws.year_of[t]
        if len(when) == 0:
            continue
        loss = rec.total if factors is None else rec.components @ np.asarray(factors, dtype=float)
        per_run = np.stack([loss * draws.scale[t], rec.grade1_breaches > 0, rec.data_lost > 0])  # (3, runs)
        per_run = per_run[:, None, :] if maps is None else per_run[:, maps[t]]  # (3, B, runs): a replicate's runs
        occ = np.take(per_run, draws.run_of[t], axis=2)  # (3, B, occurrences)
        if len(when) == draws.years and when[-1] == draws.years - 1 and np.all(when[1:] != when[:-1]):
            aggregate += occ[0]  # one occurrence a year (every-year threats): nothing to group
            np.maximum(largest, occ[0], out=largest)
            grade1 |= occ[1] > 0
            lost |= occ[2] > 0
            continue
        starts = np.flatnonzero(np.r_[True, when[1:] != when[:-1]])
        years = when[starts]
        aggregate[:, years] += np.add.reduceat(occ[0], starts, axis=1)
        largest[:, years] = np.maximum(largest[:, years], np.maximum.reduceat(occ[0], starts, axis=1))
        flags = np.maximum.reduceat(occ[1:], starts, axis=2) > 0
        grade1[:, years] |= flags[0]
        lost[:, years] |= flags[1]
    return YearLosses(aggregate, largest, grade1, lost)


def _index(years: int, level: float) -> int:
    """Position of ``inf {x : F(x) >= level}`` in ``years`` ascending losses (the empirical F)."""
    return min(years - 1, max(0, int(np.ceil(level * years - 1e-9)) - 1))


def var(sorted_losses: np.ndarray, level: float) -> np.ndarray:
    """VaR at ``level`` of each row of ascending-sorted losses ``(B, Y)``."""
    return sorted_losses[..., _index(sorted_losses.shape[-1], level)]


def tail(sorted_losses: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """VaR and TVaR at ``level`` of each row of ascending-sorted losses ``(B, Y)``.

    ``TVaR = VaR + E[(L - VaR)+] / (1 - level)``; the losses above VaR are the sorted tail, so only
    that slice is summed.
    """
    y = sorted_losses.shape[-1]
    k = _index(y, level)
    value = sorted_losses[..., k]
    excess = (sorted_losses[..., k:].sum(axis=-1) - value * (y - k)) / y
    return value, value + excess / (1 - level)


def exceedance(losses: np.ndarray, x: np.ndarray | float) -> np.ndarray:
    """``P(loss > x)`` over simulated years ``losses`` (one row), at each ``x``."""
    ordered = np.sort(np.ravel(losses))
    return 1.0 - np.searchsorted(ordered, np.asarray(x, dtype=float), side="right") / len(ordered)


def _exceed(sorted_losses: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """``P(loss > x)`` at each ``x`` of ``grid``, per row of sorted losses."""
    y = sorted_losses.shape[-1]
    return np.stack([1.0 - np.searchsorted(row, grid, side="right") / y for row in np.atleast_2d(sorted_losses)])


def _band(point: float, replicates: np.ndarray) -> dict[str, float]:
    low, high = np.percentile(replicates, [2.5, 97.5])
    return {"value": float(point), "low": float(low), "high": float(high)}


@dataclass
class PortfolioRisk:
    """One portfolio's annual loss distribution (see the module docstring): point figures and 95 % bands."""

    options: tuple[str, ...]
    metrics: dict[str, dict[str, float | None]]
    """``mean``, ``var90``, ``tvar90``, ``var99``, ``tvar99``, ``occurrence_var90`` ..., ``p_grade1_breach``,
    ``p_data_lost``: each ``{value, low, high}`` (``low`` and ``high`` None without a bootstrap)."""
    return_periods: dict[int, dict[str, float]]
    """Return period (years) -> aggregate loss with that period ``{value, low, high}``."""
    curves: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    """``aggregate`` / ``occurrence`` -> ``{loss, p, low, high}`` (for the baseline and the chosen portfolio)."""

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "options": list(self.options),
            **self.metrics,
            "return_periods": {str(k): v for k, v in self.return_periods.items()},
            "exceedance_curves": self.curves,
        }


@dataclass
class RiskReport:
    """The annual loss distribution of the baseline, each option alone and the chosen portfolio."""

    years: int
    bootstrap: int
    seed: int
    occurs: dict[str, str]
    """Threat id -> ``poisson`` or ``every-year``."""
    portfolios: list[PortfolioRisk]
    """The baseline first, then each option alone, then the chosen portfolio (if it is a combination)."""
    chosen: tuple[str, ...] | None
    seconds: float = 0.0
    """CPU time of the annual-loss analysis."""

    def get(self, options: tuple[str, ...]) -> PortfolioRisk | None:
        """The entry of one portfolio."""
        return next((p for p in self.portfolios if p.options == tuple(options)), None)

    @property
    def baseline(self) -> PortfolioRisk:
        """The baseline's entry."""
        return self.portfolios[0]

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "years_simulated": self.years,
            "bootstrap_replicates": self.bootstrap,
            "seed": self.seed,
            "occurs": self.occurs,
            "chosen": list(self.chosen) if self.chosen is not None else None,
            "portfolios": [p.as_dict() for p in self.portfolios],
            "cpu_seconds": self.seconds,
        }


def _metrics(point: YearLosses, boot: YearLosses | None, resample: np.ndarray | None, weights: np.ndarray | None) -> tuple[dict, dict, tuple]:
    """Point figures and bootstrap bands of one portfolio's years.

    ``resample``: flat indices of the years each replicate takes from its own row of ``boot``;
    ``weights``: how often each year is taken (a share of the year resampled is a weighted mean).
    """

    def rows(values: np.ndarray) -> np.ndarray:
        return values.ravel()[resample]

    def share(flags: np.ndarray) -> np.ndarray:
        return (weights * flags).mean(axis=1)

    out: dict[str, dict[str, float]] = {}
    sorted_point = {k: np.sort(getattr(point, k)[0]) for k in ("aggregate", "largest")}
    sorted_boot = {k: np.sort(rows(getattr(boot, k)), axis=1) for k in ("aggregate", "largest")} if boot is not None else None

    def put(name: str, value: float, reps: np.ndarray | None) -> None:
        out[name] = _band(value, reps) if reps is not None else {"value": float(value), "low": None, "high": None}

    put("mean", point.aggregate.mean(), sorted_boot["aggregate"].mean(axis=1) if sorted_boot is not None else None)
    for level in LEVELS:
        tag = f"{round(level * 100)}"
        for kind, prefix in (("aggregate", ""), ("largest", "occurrence_")):
            value, tvar = tail(sorted_point[kind], level)
            bv, bt = tail(sorted_boot[kind], level) if sorted_boot is not None else (None, None)
            put(f"{prefix}var{tag}", value, bv)
            put(f"{prefix}tvar{tag}", tvar, bt)
    put("p_grade1_breach", point.grade1.mean(), share(boot.grade1) if boot is not None else None)
    put("p_data_lost", point.lost.mean(), share(boot.lost) if boot is not None else None)
    periods = {}
    y = point.aggregate.shape[1]
    for rp in RETURN_PERIODS:
        if rp * 10 <= y:
            value = var(sorted_point["aggregate"], 1 - 1 / rp)
            if sorted_boot is not None:
                periods[rp] = _band(value, var(sorted_boot["aggregate"], 1 - 1 / rp))
            else:
                periods[rp] = {"value": float(value), "low": None, "high": None}
    return out, periods, (sorted_point, sorted_boot)


def _curve(sorted_point: np.ndarray, sorted_boot: np.ndarray | None, grid: np.ndarray) -> dict[str, list[float]]:
    p = _exceed(sorted_point, grid)[0]
    if sorted_boot is None:
        return {"loss": grid.tolist(), "p": p.tolist(), "low": [None] * len(grid), "high": [None] * len(grid)}
    reps = _exceed(sorted_boot, grid)
    low, high = np.percentile(reps, [2.5, 97.5], axis=0)
    return {"loss": grid.tolist(), "p": p.tolist(), "low": low.tolist(), "high": high.tolist()}


def _grid(*sorted_arrays: np.ndarray) -> np.ndarray:
    values = np.concatenate([a.ravel() for a in sorted_arrays])
    positive = values[values > 0]
    if positive.size == 0:
        return np.array([0.0, 1.0])
    low, high = float(np.percentile(positive, 1)), float(positive.max())
    if high <= low:
        return np.array([low / 2, high])
    return np.geomspace(low, high, CURVE_POINTS)


def analyse_years(
    threats: Sequence[str],
    frequencies: Sequence[float],
    every_year: Sequence[bool],
    records: dict[tuple[str, ...], Sequence[RunRecords]],
    years: int,
    seed: int,
    bootstrap: int = 200,
    chosen: tuple[str, ...] | None = None,
    curves_for: Sequence[tuple[str, ...]] = ((),),
) -> RiskReport:
    """The annual loss distribution of each portfolio in ``records`` (portfolio -> per-threat records; baseline ``()`` first).

    The portfolios of ``curves_for`` (the baseline and the chosen one) get exceedance curves and
    bootstrap intervals; the others their point figures (the same years, so they compare directly).
    """
    started = time.process_time()
    runs = [len(r.components) for r in records[()]]
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0x16, 1]))
    draws = draw_years(frequencies, every_year, runs, years, rng)
    boot_rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0x16, 2]))
    maps = [boot_rng.integers(0, max(n, 1), (bootstrap, n)) for n in runs] if bootstrap > 0 else None
    resample = weights = None
    if bootstrap > 0:  # replicate b takes the years resample[b] of its own row: flat indices
        resample = boot_rng.integers(0, years, (bootstrap, years)) + years * np.arange(bootstrap)[:, None]
        weights = np.bincount(resample.ravel(), minlength=bootstrap * years).reshape(bootstrap, years).astype(np.float32)
    found: dict[tuple[str, ...], tuple] = {}
    out = []
    banded = {tuple(k) for k in curves_for}
    for key, recs in records.items():
        point = year_losses(draws, recs)
        boot = year_losses(draws, recs, maps) if maps is not None and tuple(key) in banded else None
        metrics, periods, sorted_ = _metrics(point, boot, resample, weights)
        found[key] = sorted_
        out.append(PortfolioRisk(tuple(key), metrics, periods))
    wanted = [tuple(k) for k in curves_for if tuple(k) in found]
    for kind, name in (("aggregate", "aggregate"), ("largest", "occurrence")):
        grid = _grid(*(found[k][0][kind] for k in wanted)) if wanted else None
        for entry in out:
            if entry.options in wanted:
                sp, sb = found[entry.options]
                entry.curves[name] = _curve(sp[kind], sb[kind] if sb is not None else None, grid)
    occurs = {t: ("every-year" if y else "poisson") for t, y in zip(threats, every_year)}
    return RiskReport(years, bootstrap, seed, occurs, out, chosen, time.process_time() - started)

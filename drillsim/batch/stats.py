"""Statistics of a batch: summaries per metric, probabilities, and paired comparisons of variants.

Computed with numpy; every interval comes from :mod:`drillsim.replication.intervals`:

- :func:`describe`: n, mean, standard deviation (n - 1), the 95 % confidence interval of the mean
  (Student's t: :func:`drillsim.replication.mean_interval`), P50/P90/P99 (numpy's linear
  interpolation), min and max. Missing values (NaN: a run that failed, or a value that does
  not exist, such as a time to 100 % recovery never reached) are left out and counted.
- :func:`proportion`: a share with its Wilson score interval (:func:`drillsim.replication.wilson_interval`).
- :func:`paired`: variant B against baseline A on common random numbers (run ``i`` of both used
  the same seed): the mean of the per-run differences B - A with its t interval and p-value (a
  paired t-test, :func:`drillsim.replication.t_test`), and the share of runs in which B beat A,
  tied, or lost. For who-beat-whom a missing value counts as the worst (``missing="worst"``: never recovered) or the best
  (``"best"``: nothing to restore) outcome; the mean difference uses the runs where both exist.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..replication.intervals import CONFIDENCE, mean_interval, t_test, wilson_interval

__all__ = ["Summary", "Proportion", "Paired", "describe", "proportion", "paired", "CONFIDENCE", "QUANTILES"]

QUANTILES = (50, 90, 99)


@dataclass(frozen=True, slots=True)
class Summary:
    """Distribution of one metric over the runs where it exists."""

    n: int
    missing: int
    mean: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None
    p50: float | None
    p90: float | None
    p99: float | None
    min: float | None
    max: float | None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Proportion:
    """A share of runs with its confidence interval."""

    k: int
    n: int
    p: float | None
    ci_low: float | None
    ci_high: float | None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Paired:
    """B against A over paired runs (same seeds)."""

    n: int
    """Runs where both have a value (used for the mean difference)."""
    mean_a: float | None
    mean_b: float | None
    mean_diff: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    compared: int
    """Runs where both ran without error (used for the shares)."""
    b_better: float | None
    ties: float | None
    a_better: float | None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        return asdict(self)


def describe(values: Any, confidence: float = CONFIDENCE) -> Summary:
    """Summary of ``values`` (NaN = missing, left out and counted)."""
    x = np.asarray(values, dtype=np.float64).ravel()
    ok = ~np.isnan(x)
    missing = int((~ok).sum())
    x = x[ok]
    n = len(x)
    if n == 0:
        return Summary(0, missing, None, None, None, None, None, None, None, None, None)
    mean = float(np.mean(x))
    sd = float(np.std(x, ddof=1)) if n > 1 else None
    interval = mean_interval(x, confidence)
    q = np.percentile(x, QUANTILES)
    return Summary(n, missing, mean, sd, interval.low, interval.high, float(q[0]), float(q[1]), float(q[2]), float(x.min()), float(x.max()))


def proportion(k: int, n: int, confidence: float = CONFIDENCE) -> Proportion:
    """The share ``k / n`` with its Wilson score interval."""
    k, n = int(k), int(n)
    if n <= 0:
        return Proportion(k, n, None, None, None)
    low, high = wilson_interval(k, n, confidence)
    return Proportion(k, n, k / n, low, high)


def paired(
    a: Any,
    b: Any,
    *,
    better: str = "lower",
    missing: str = "best",
    valid: Any = None,
    confidence: float = CONFIDENCE,
) -> Paired:
    """Compare B with A run by run (``a[i]`` and ``b[i]`` come from the same seed).

    Args:
        a, b: per-run values (NaN: missing), aligned by run index.
        better: ``lower`` (smaller values are better) or ``higher``.
        missing: how a missing value ranks for who-beat-whom: ``best`` or ``worst``.
        valid: boolean mask of the runs where both variants ran without error (default: all).
    """
    if better not in ("lower", "higher"):
        raise ValueError(f"better must be 'lower' or 'higher', got {better!r}")
    if missing not in ("best", "worst"):
        raise ValueError(f"missing must be 'best' or 'worst', got {missing!r}")
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    if a.shape != b.shape:
        raise ValueError(f"paired samples must have the same length, got {a.shape[0]} and {b.shape[0]}")
    mask = np.ones(a.shape, dtype=bool) if valid is None else np.asarray(valid, dtype=bool)
    a, b = a[mask], b[mask]
    both = ~np.isnan(a) & ~np.isnan(b)
    d = b[both] - a[both]
    p_value, low, high = t_test(d, confidence)
    mean_diff = float(d.mean()) if len(d) else None
    compared = len(a)
    if compared:
        sign = 1.0 if better == "lower" else -1.0  # rank on "lower is better"
        worst = np.inf if missing == "worst" else -np.inf
        ra = np.where(np.isnan(a), worst, sign * a)
        rb = np.where(np.isnan(b), worst, sign * b)
        b_better = float(np.mean(rb < ra))
        a_better = float(np.mean(ra < rb))
        ties = float(np.mean(ra == rb))
    else:
        b_better = ties = a_better = None
    return Paired(
        n=len(d),
        mean_a=float(a[both].mean()) if len(d) else None,
        mean_b=float(b[both].mean()) if len(d) else None,
        mean_diff=mean_diff,
        ci_low=low,
        ci_high=high,
        p_value=p_value,
        compared=compared,
        b_better=b_better,
        ties=ties,
        a_better=a_better,
    )

"""Confidence intervals over replications: a mean (Student's t), a share (Wilson), a paired difference.

- :func:`mean_interval`: the mean of ``n`` independent replications and its interval
  ``mean +- t(1 - alpha/2, n - 1) * s / sqrt(n)`` (``s`` the sample standard deviation,
  ``scipy.stats.t.interval``). With fewer than two values there is no interval; when every value
  is the same the interval is that value (no spread; the t statistic is undefined).
- :func:`t_test`: the same interval for per-run values (e.g. paired differences B - A on common
  random numbers) and the two-sided p-value of a mean of zero (``scipy.stats.ttest_1samp``).
- :func:`weighted_sum_interval`: the interval of ``sum_k w_k mean(x_k)`` when the series ``x_k``
  are per-run values of different lengths, paired by run index (run ``i`` of every series shares
  its seed), as the investment analysis has when some comparisons got more runs than others::

      var = sum over k, l of w_k w_l c_kl m_kl / (n_k n_l)

  with ``m_kl = min(n_k, n_l)`` the runs two series share and ``c_kl`` their sample covariance
  over those runs (``Cov(mean_n x, mean_m y) = min(n, m) cov(x, y) / (n m)`` for pairs that are
  independent from run to run); Student's t with ``min n_k - 1`` degrees of freedom over the
  series that vary (conservative). With equal lengths it is :func:`mean_interval` of the summed
  series, exactly.
- :func:`wilson_interval`: the Wilson score interval of a share ``k / n``
  (``scipy.stats.binomtest(...).proportion_ci(method="wilson")``), which stays inside [0, 1] and
  behaves at ``k = 0`` and ``k = n``, unlike the normal approximation.

Every interval of drillsim (``drillsim check``'s checks, a batch's metric means, paired
comparisons and probabilities, the investment analysis) is computed here.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["CONFIDENCE", "MeanInterval", "mean_interval", "t_test", "weighted_sum_interval", "wilson_interval"]

CONFIDENCE = 0.95
"""The default confidence level."""


@dataclass(frozen=True, slots=True)
class MeanInterval:
    """A mean over replications and its Student-t interval (bounds None with fewer than two values)."""

    n: int
    """How many values."""
    mean: float
    """Their mean (NaN with no value)."""
    low: float | None
    high: float | None
    stderr: float | None
    """The standard error ``s / sqrt(n)`` (None with fewer than two values)."""

    @property
    def half_width(self) -> float | None:
        """Half the interval's width."""
        return None if self.low is None or self.high is None else (self.high - self.low) / 2.0


def _finite(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def mean_interval(values: Any, confidence: float = CONFIDENCE) -> MeanInterval:
    """The mean of ``values`` (finite numbers) and its Student-t interval at ``confidence``."""
    x = np.asarray(values, dtype=np.float64).ravel()
    n = int(x.size)
    if n == 0:
        return MeanInterval(0, math.nan, None, None, None)
    mean = float(x.mean())
    if n < 2:
        return MeanInterval(n, mean, None, None, None)
    if np.all(x == x[0]):  # no spread: the interval is the point
        value = float(x[0])
        return MeanInterval(n, mean, value, value, 0.0)
    stderr = float(x.std(ddof=1) / math.sqrt(n))
    from scipy import stats  # imported when needed: it takes most of a second

    low, high = stats.t.interval(confidence, n - 1, loc=mean, scale=stderr)
    return MeanInterval(n, mean, _finite(low), _finite(high), stderr)


def weighted_sum_interval(series: Any, weights: Any, confidence: float = CONFIDENCE) -> MeanInterval:
    """The interval of ``sum_k weights[k] * mean(series[k])`` for per-run series paired by run index.

    The series may differ in length (series ``k`` holds runs ``0 .. n_k - 1``). ``n`` of the result
    is the fewest runs of a series that varies (the degrees of freedom are ``n - 1``). See the
    module docstring.
    """
    xs = [np.asarray(x, dtype=np.float64).ravel() for x in series]
    ws = [float(w) for w in weights]
    if len(xs) != len(ws):
        raise ValueError("weighted_sum_interval: one weight per series")
    pairs = [(w, x) for w, x in zip(ws, xs) if w != 0.0]
    if not pairs:
        return MeanInterval(min((x.size for x in xs), default=0), 0.0, 0.0, 0.0, 0.0)
    sizes = {x.size for _, x in pairs}
    if len(sizes) == 1:
        total = np.zeros(pairs[0][1].size)
        for w, x in pairs:
            total += w * x
        return mean_interval(total, confidence)
    if min(sizes) == 0:
        return MeanInterval(0, math.nan, None, None, None)
    mean = float(sum(w * x.mean() for w, x in pairs))
    varying = [(w, x) for w, x in pairs if x.size > 1 and not np.all(x == x[0])]
    if any(x.size < 2 for _, x in pairs):
        return MeanInterval(min(sizes), mean, None, None, None)
    if not varying:
        return MeanInterval(min(sizes), mean, mean, mean, 0.0)
    var = 0.0
    for a, (wa, xa) in enumerate(varying):
        for b, (wb, xb) in enumerate(varying):
            if b < a:
                continue
            m = min(xa.size, xb.size)
            if m < 2:
                continue
            cov = float(np.cov(xa[:m], xb[:m], ddof=1)[0, 1]) if a != b else float(xa.var(ddof=1))
            term = wa * wb * cov * m / (xa.size * xb.size)
            var += term if a == b else 2.0 * term
    if var < 0:  # pairwise covariances over different runs need not be consistent: bound instead
        var = sum(abs(w) * float(x.std(ddof=1)) / math.sqrt(x.size) for w, x in varying) ** 2
    n = min(x.size for _, x in varying)
    stderr = math.sqrt(var)
    if stderr == 0.0:
        return MeanInterval(n, mean, mean, mean, 0.0)
    from scipy import stats

    low, high = stats.t.interval(confidence, n - 1, loc=mean, scale=stderr)
    return MeanInterval(n, mean, _finite(low), _finite(high), stderr)


def t_test(values: Any, confidence: float = CONFIDENCE) -> tuple[float | None, float | None, float | None]:
    """(two-sided p-value of a zero mean, low, high) for per-run ``values``; all None with fewer than two.

    With no spread the p-value is 1 when every value is 0 and 0 otherwise, and the interval is the value.
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size < 2:
        return None, None, None
    interval = mean_interval(x, confidence)
    if interval.stderr == 0.0:
        return (1.0 if interval.low == 0 else 0.0), interval.low, interval.high
    from scipy import stats

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        p_value = stats.ttest_1samp(x, 0.0).pvalue
    return _finite(p_value), interval.low, interval.high


def wilson_interval(k: int, n: int, confidence: float = CONFIDENCE) -> tuple[float | None, float | None]:
    """The Wilson score interval of the share ``k / n`` (None, None when ``n`` is 0)."""
    k, n = int(k), int(n)
    if n <= 0:
        return None, None
    from scipy import stats

    ci = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)

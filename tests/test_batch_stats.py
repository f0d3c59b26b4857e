"""Batch statistics against scipy/numpy on known data, and paired comparisons on synthetic cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from drillsim.batch import describe, paired, proportion


def test_describe_matches_scipy_on_known_data():
    x = np.arange(1.0, 11.0)  # 1..10
    s = describe(x)
    assert s.n == 10 and s.missing == 0
    assert s.mean == pytest.approx(5.5)
    assert s.sd == pytest.approx(math.sqrt(sps.describe(x).variance))
    assert s.sd == pytest.approx(3.0276503540974917)
    low, high = sps.t.interval(0.95, df=9, loc=5.5, scale=sps.sem(x))
    assert (s.ci_low, s.ci_high) == (pytest.approx(low), pytest.approx(high))
    assert s.ci_low == pytest.approx(5.5 - 2.2621571627409915 * 3.0276503540974917 / math.sqrt(10))
    # numpy's linear interpolation: P50 = 5.5, P90 = 9.1, P99 = 9.91.
    assert (s.p50, s.p90, s.p99) == (pytest.approx(5.5), pytest.approx(9.1), pytest.approx(9.91))
    assert (s.min, s.max) == (1.0, 10.0)


def test_describe_leaves_out_and_counts_missing_values():
    s = describe([2.0, np.nan, 4.0, np.nan, 9.0])
    assert (s.n, s.missing) == (3, 2)
    assert s.mean == pytest.approx(5.0)
    assert s.sd == pytest.approx(np.std([2, 4, 9], ddof=1))


def test_describe_edge_cases():
    empty = describe([np.nan, np.nan])
    assert empty.n == 0 and empty.missing == 2 and empty.mean is None and empty.p50 is None
    one = describe([3.0])
    assert one.mean == 3.0 and one.sd is None and one.ci_low is None and one.p90 == 3.0
    constant = describe([7.0] * 5)
    assert constant.sd == 0.0 and constant.ci_low == constant.ci_high == 7.0


def test_proportion_is_the_wilson_interval():
    k, n, z = 7, 40, sps.norm.ppf(0.975)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    r = proportion(k, n)
    assert r.p == pytest.approx(p)
    assert (r.ci_low, r.ci_high) == (pytest.approx(centre - half), pytest.approx(centre + half))
    assert proportion(0, 0).p is None
    zero = proportion(0, 50)
    assert zero.p == 0.0 and zero.ci_low == pytest.approx(0.0, abs=1e-12) and 0 < zero.ci_high < 0.1


def test_paired_finds_the_better_variant_and_matches_the_paired_t_test():
    rng = np.random.default_rng(42)
    a = rng.normal(10.0, 3.0, 400)  # wide spread between runs (different random worlds)...
    b = a - 0.5 + rng.normal(0.0, 0.2, 400)  # ...but B is 0.5 better in each world
    r = paired(a, b)
    assert r.n == r.compared == 400
    assert r.mean_diff == pytest.approx(np.mean(b - a))
    assert r.ci_high < 0 and r.ci_low < -0.5 < r.ci_high
    ref = sps.ttest_rel(b, a)
    ci = ref.confidence_interval(0.95)
    assert (r.ci_low, r.ci_high) == (pytest.approx(ci.low), pytest.approx(ci.high))
    assert r.p_value == pytest.approx(ref.pvalue)
    assert r.b_better == pytest.approx(np.mean(b < a)) and r.b_better > 0.98
    assert r.ties == 0.0 and r.a_better == pytest.approx(1 - r.b_better)
    # The same data unpaired would hardly separate them: pairing is what makes it sharp.
    unpaired = sps.ttest_ind(b, a)
    assert unpaired.pvalue > 0.01 > r.p_value


def test_paired_higher_is_better_flips_the_shares():
    a = np.array([1.0, 2.0, 3.0, 4.0])
    b = np.array([2.0, 2.0, 1.0, 5.0])
    lower = paired(a, b)
    higher = paired(a, b, better="higher")
    assert (lower.b_better, lower.ties, lower.a_better) == (0.25, 0.25, 0.5)
    assert (higher.b_better, higher.ties, higher.a_better) == (0.5, 0.25, 0.25)
    assert lower.mean_diff == higher.mean_diff == pytest.approx(0.0)


def test_paired_missing_values_rank_as_told_and_failed_runs_are_left_out():
    a = np.array([np.nan, 1.0, 3.0, 5.0])
    b = np.array([2.0, 4.0, 2.0, 100.0])
    valid = [True, True, True, False]  # run 3 failed in one of the variants
    worst = paired(a, b, missing="worst", valid=valid)
    # run 0: A never got there, B did -> B better; run 1: A better; run 2: B better.
    assert worst.compared == 3
    assert (worst.b_better, worst.ties, worst.a_better) == (pytest.approx(2 / 3), 0.0, pytest.approx(1 / 3))
    assert worst.n == 2 and worst.mean_diff == pytest.approx(((4 - 1) + (2 - 3)) / 2)  # runs 1 and 2 have both
    best = paired(a, b, missing="best", valid=valid)
    # run 0: A had nothing to restore (best) -> A better; run 1: A better; run 2: B better.
    assert (best.b_better, best.a_better) == (pytest.approx(1 / 3), pytest.approx(2 / 3))
    assert paired([np.nan], [np.nan], missing="worst").ties == 1.0
    single = paired([1.0, np.nan], [0.5, 1.0])
    assert single.n == 1 and single.ci_low is None  # one pair: no interval


def test_paired_rejects_bad_arguments():
    with pytest.raises(ValueError):
        paired([1.0], [1.0, 2.0])
    with pytest.raises(ValueError):
        paired([1.0], [2.0], better="sideways")

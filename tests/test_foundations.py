"""The shared foundations: replication seeds, intervals, the worker pool, the loss formula, file errors."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest

from drillsim.model import DrillsimError
from drillsim.model.files import NOT_FOUND, read_bytes, read_head, read_text, require_file
from drillsim.model.loss import LossRates, system_loss
from drillsim.replication import WorkerLost, WorkerPool, default_jobs, keyed_seed, mean_interval, replication_seed, t_test, weighted_sum_interval, wilson_interval


def test_replication_seeds_are_those_batch_and_check_always_used():
    # The batch scheme: SeedSequence(S, spawn_key=(i,)), two 32-bit words, 63 bits.
    words = np.random.SeedSequence(7, spawn_key=(3,)).generate_state(2, np.uint32)
    assert replication_seed(7, 3) == (int(words[0]) | int(words[1]) << 32) & (2**63 - 1)
    assert replication_seed(7, 3) == np.random.SeedSequence(7).spawn(4)[3].generate_state(2, np.uint32).view(np.uint64)[0] & (2**63 - 1)
    # The check scheme: one family per case, unrelated across cases, 63 bits.
    assert keyed_seed(0, "mm1", 5) != keyed_seed(0, "mm2", 5) != keyed_seed(1, "mm1", 5)
    assert all(0 <= keyed_seed(9, "x", k) < 2**63 for k in range(50))
    from drillsim.check.runner import run_seed

    assert run_seed(4, "active-standby", 2) == keyed_seed(4, "active-standby", 2)
    with pytest.raises(ValueError):
        replication_seed(-1, 0)


def test_mean_interval_is_student_t():
    from scipy import stats

    x = np.array([3.1, 2.9, 4.2, 3.3, 2.5, 3.8])
    got = mean_interval(x, 0.9)
    half = stats.t.ppf(0.95, 5) * x.std(ddof=1) / math.sqrt(6)
    assert got.n == 6 and got.mean == pytest.approx(x.mean())
    assert got.low == pytest.approx(x.mean() - half, rel=1e-12) and got.high == pytest.approx(x.mean() + half, rel=1e-12)
    assert got.half_width == pytest.approx(half, rel=1e-12)
    # No spread: the interval is the point; one value: no interval; none: no mean.
    flat = mean_interval([0.1, 0.1, 0.1])
    assert flat.low == flat.high == 0.1 and flat.stderr == 0.0
    assert mean_interval([2.0]).low is None and mean_interval([2.0]).mean == 2.0
    assert mean_interval([]).n == 0 and math.isnan(mean_interval([]).mean)


def test_weighted_sum_interval_pairs_series_of_different_lengths():
    from scipy import stats

    rng = np.random.default_rng(3)
    a, b = rng.normal(5, 2, 12), rng.normal(1, 1, 12)
    same = weighted_sum_interval([a, b], [2.0, -1.0])
    plain = mean_interval(2.0 * a - b)
    assert (same.mean, same.low, same.high) == (plain.mean, plain.low, plain.high)
    # b has only its first 5 runs: Var = 4 s_a^2 / 12 + s_b^2 / 5 - 2 * 2 * cov_5(a, b) * 5 / (12 * 5), t with 4 degrees of freedom.
    short = b[:5]
    got = weighted_sum_interval([a, short], [2.0, -1.0])
    var = 4 * a.var(ddof=1) / 12 + short.var(ddof=1) / 5 - 2 * 2 * np.cov(a[:5], short)[0, 1] * 5 / (12 * 5)
    half = stats.t.ppf(0.975, 4) * math.sqrt(var)
    mean = 2 * a.mean() - short.mean()
    assert got.n == 5 and got.mean == pytest.approx(mean) and got.low == pytest.approx(mean - half) and got.high == pytest.approx(mean + half)
    flat = weighted_sum_interval([np.zeros(4), np.ones(2)], [1.0, 3.0])
    assert flat.low == flat.high == flat.mean == 3.0
    assert weighted_sum_interval([a, short[:1]], [1.0, 1.0]).low is None


def test_t_test_and_wilson():
    d = np.array([-1.0, -0.5, -1.5, -0.8, -1.1, -0.9])
    p, low, high = t_test(d)
    assert p < 0.001 and low < high < 0
    assert t_test(np.zeros(5)) == (1.0, 0.0, 0.0) and t_test([1.0]) == (None, None, None)
    low, high = wilson_interval(0, 20)
    assert low == 0.0 and 0.1 < high < 0.2  # Wilson's upper bound at k = 0: z^2 / (n + z^2) = 0.161
    assert high == pytest.approx(1.959963984540054**2 / (20 + 1.959963984540054**2), rel=1e-9)
    assert wilson_interval(3, 0) == (None, None)


def _pid(_x: int) -> int:
    return os.getpid()


def _die(_x: int) -> int:
    os._exit(3)


def test_worker_pool_runs_in_other_processes_and_reports_a_dead_worker():
    with WorkerPool(2) as pool:
        pids = set(pool.unordered(_pid, [(k,) for k in range(6)]))
    assert pids and os.getpid() not in pids
    pool = WorkerPool(1)
    try:
        with pytest.raises(WorkerLost):
            pool.result(pool.submit(_die, 0))
    finally:
        pool.close(cancel=True)


def test_default_jobs_counts_the_cpus_this_process_may_use(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3}, raising=False)
    assert default_jobs() == 1 and default_jobs(0) == 1 and default_jobs(3) == 3
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    assert default_jobs() == 8


def test_loss_formula_works_on_one_system_and_on_arrays():
    rates = LossRates(2.0, 10.0, 1000.0)
    assert system_loss(rates, 5.0, 0.0, False) == (10.0, 0.0, 0.0)
    assert system_loss(rates, 0.0, 1.5, True) == (0.0, 15.0, 1000.0)
    per = np.array([[2.0, 10.0, 1000.0], [1.0, 0.0, 0.0]])
    u, d, p = system_loss(per.T, np.array([5.0, 7.0]), np.array([1.5, 3.0]), np.array([1.0, 0.0]))
    assert list(u) == [10.0, 7.0] and list(d) == [15.0, 0.0] and list(p) == [1000.0, 0.0]


def test_file_errors_name_the_path_and_the_problem(tmp_path):
    missing = tmp_path / "missing.yaml"
    for reader in (read_bytes, read_text, lambda p, what: read_head(p, 10, what), require_file):
        with pytest.raises(DrillsimError) as err:
            reader(missing, "scenario file")
        assert str(err.value) == f"{missing}: {NOT_FOUND}"
        with pytest.raises(DrillsimError) as err:
            reader(tmp_path, "scenario file")
        assert str(err.value) == f"{tmp_path}: is a directory, not a scenario file"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"ok\n\xff\xfe broken")
    with pytest.raises(DrillsimError, match=r"bad.csv: not UTF-8 text \(invalid start byte at byte 3\)"):
        read_text(bad)
    good = tmp_path / "good.txt"
    good.write_bytes("\ufeff정부24".encode())
    assert read_text(good) == "정부24" and read_head(good, 3) == b"\xef\xbb\xbf" and require_file(good) == good

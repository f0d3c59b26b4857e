"""The formulas drillsim check compares the engine with: table values, special cases, limits."""

from __future__ import annotations

import math

import numpy as np
import pytest

from drillsim.check import theory
from drillsim.model.distributions import Exponential, Fixed, LogNormal, Uniform, Weibull


def _erlang_b_direct(c: int, a: float) -> float:
    """Erlang's own formula, (a^c / c!) / sum a^k / k!, for comparison with the recursion."""
    return (a**c / math.factorial(c)) / sum(a**k / math.factorial(k) for k in range(c + 1))


@pytest.mark.parametrize(
    ("servers", "load", "table"),
    [
        (5, 4.0, 0.1991),  # the phone fallback case
        (1, 1.0, 0.5),
        (10, 5.0, 0.01838),  # Erlang B tables
        (20, 15.0, 0.04561),
    ],
)
def test_erlang_b_table_values(servers, load, table):
    assert theory.erlang_b(servers, load) == pytest.approx(table, abs=5e-5)
    assert theory.erlang_b(servers, load) == pytest.approx(_erlang_b_direct(servers, load), rel=1e-12)


def test_erlang_c_special_cases_and_table():
    assert theory.erlang_c(1, 0.7) == pytest.approx(0.7)  # M/M/1: P(wait) = rho
    assert theory.erlang_c(2, 1.0) == pytest.approx(1 / 3)  # M/M/2 at 50 %: 2 rho^2 / (1 + rho)
    # Erlang C by its own definition: (a^c / c!) (c / (c - a)) / (sum_{k<c} a^k / k! + that).
    c, a = 10, 9.0
    top = a**c / math.factorial(c) * c / (c - a)
    assert theory.erlang_c(c, a) == pytest.approx(top / (sum(a**k / math.factorial(k) for k in range(c)) + top), rel=1e-12)
    assert theory.erlang_c(10, 9.0) == pytest.approx(0.6687, abs=5e-5)
    with pytest.raises(ValueError):
        theory.erlang_c(10, 10.0)


def test_mmc_mean_wait_reduces_to_mm1():
    lam, mu = 0.8, 1.0
    assert theory.mmc_mean_wait(1, lam, 1 / mu) == pytest.approx(lam / (mu * (mu - lam)))


def test_mmck_limits():
    # No waiting room: Erlang B. A waiting room far larger than the queue ever gets: M/M/c.
    assert theory.mmck(5, 4.0, 1.0, 0) == pytest.approx(theory.erlang_b(5, 4.0))
    assert theory.mmck(10, 9.0, 1.0, 400, "p_wait") == pytest.approx(theory.erlang_c(10, 9.0), rel=1e-9)
    assert theory.mmck(10, 9.0, 1.0, 400, "mean_wait") == pytest.approx(theory.mmc_mean_wait(10, 9.0, 1.0), rel=1e-9)


def test_erlang_a_limits():
    # Callers who give up at once: a loss system (Erlang B); very patient callers below capacity: Erlang C.
    assert theory.erlang_a(5, 4.0, 1.0, 1e-7, "abandoned") == pytest.approx(theory.erlang_b(5, 4.0), rel=1e-4)
    assert theory.erlang_a(10, 9.0, 1.0, 1e6, "p_wait") == pytest.approx(theory.erlang_c(10, 9.0), rel=1e-3)
    # Over capacity, what is not served is abandoned: lambda (1 - abandoned) = c mu x utilisation <= c mu.
    served = 11.0 * (1 - theory.erlang_a(10, 11.0, 1.0, 0.5, "abandoned"))
    assert served < 10.0


def test_ctmc_two_states():
    lam, mu = 0.001, 0.1
    pi = theory.ctmc_stationary(np.array([[-lam, lam], [mu, -mu]]))
    assert pi == pytest.approx([mu / (lam + mu), lam / (lam + mu)])
    with pytest.raises(ValueError):
        theory.ctmc_stationary(np.array([[-1.0, 0.5], [1.0, -1.0]]))


def test_availability_family():
    a = theory.availability(1000, 10)
    assert a == pytest.approx(1000 / 1010)
    assert theory.parallel(1000, 10, 2) == pytest.approx(1 - (1 - a) ** 2)
    assert theory.k_out_of_n(1000, 10, 1, 2) == pytest.approx(theory.parallel(1000, 10, 2))
    assert theory.k_out_of_n(1000, 10, 3, 3) == pytest.approx(a**3)
    assert theory.k_out_of_n(1000, 10, 2, 3) == pytest.approx(a**3 + 3 * a**2 * (1 - a))
    assert theory.series([1000, 500], [10, 5]) == pytest.approx(a * 500 / 505)


def test_shared_crew_pair_closed_form_and_general():
    r = 10 / 1000
    closed = 1 - 2 * r**2 / (1 + 2 * r + 2 * r**2)
    assert theory.shared_crew_pair(1000, 10) == pytest.approx(closed, rel=1e-12)
    # The M/G/1//2 formula with exponential repairs is the Markov chain.
    assert theory.shared_crew_pair_general(1000, Exponential(dist="exponential", mean="10h")) == pytest.approx(closed, rel=1e-12)
    # More variable repairs of the same mean leave the pair down longer.
    u_exp = 1 - closed
    u_fixed = 1 - theory.shared_crew_pair_general(1000, Fixed(value="10h"))
    u_logn = 1 - theory.shared_crew_pair_general(1000, LogNormal(dist="lognormal", mean="10h", cv=2.0))
    assert u_fixed < u_exp < u_logn
    assert 1.5 < u_logn / u_exp < 4  # about 2.4x (README, 'Validation against theory': shared-crew-lognormal)


def test_laplace_transforms():
    s = 0.05
    assert theory.laplace_transform(Weibull(dist="weibull", shape=1.0, mean="10h"), s) == pytest.approx(1 / (1 + 10 * s), rel=1e-7)
    low, high = 2.0, 12.0
    expected = (math.exp(-s * low) - math.exp(-s * high)) / (s * (high - low))
    assert theory.laplace_transform(Uniform(dist="uniform", low="2h", high="12h"), s) == pytest.approx(expected, rel=1e-7)
    # Lognormal: against a large Monte Carlo sample (standard error about 1e-4).
    dist = LogNormal(dist="lognormal", mean="10h", cv=1.0)
    sample = np.random.default_rng(1).lognormal(math.log(10) - dist.log_sigma**2 / 2, dist.log_sigma, 400_000)
    assert theory.laplace_transform(dist, s) == pytest.approx(float(np.exp(-s * sample).mean()), abs=1e-3)


def test_beta_factor_pair():
    assert theory.beta_factor_pair(1000, 10, 0.0) == pytest.approx(theory.parallel(1000, 10, 2), rel=1e-12)
    # Small rates: both down mostly through shocks, U ~ beta lambda / (2 mu) + independent pairs.
    lam, mu, beta = 1e-4, 0.1, 0.1
    u = 1 - theory.beta_factor_pair(1 / lam, 1 / mu, beta)
    assert u == pytest.approx(beta * lam / (2 * mu) + 2 * ((1 - beta) * lam) * lam / (2 * mu * mu), rel=0.02)


def test_active_standby():
    # Rare failures: each failure of the active is down until the switchover ends or the active is
    # repaired (mean 1 / (sigma + mu)); a switchover that ends first (sigma / (sigma + mu)) and
    # fails (1 - c) leaves it down for the rest of the repair (1 / mu).
    lam, mu, sigma, c = 1e-5, 0.1, 1.0, 0.9
    u = 1 - theory.active_standby(1 / lam, 1 / mu, 1 / sigma, c)
    assert u == pytest.approx(lam * (1 + sigma * (1 - c) / mu) / (sigma + mu), rel=0.01)
    # Better coverage and faster switchover both help.
    assert theory.active_standby(1000, 10, 1, 0.99) > theory.active_standby(1000, 10, 1, 0.9)
    assert theory.active_standby(1000, 10, 0.1, 0.9) > theory.active_standby(1000, 10, 1, 0.9)


def test_cold_standby():
    # Dormancy 1 is the hot active-standby pair; a standby that ages slower while idle is down less.
    assert theory.cold_standby(1000, 10, 1, 0.9, dormancy=1.0) == pytest.approx(theory.active_standby(1000, 10, 1, 0.9), rel=1e-12)
    values = [theory.cold_standby(100, 10, 1, 0.9, dormancy=f) for f in (1.0, 0.5, 0.1, 0.0)]
    assert values == sorted(values) and values[-1] - values[0] > 0.005
    # Perfect coverage and an instant activation of a standby that never fails idle: down only when
    # the serving replica fails during the other's repair (share of time lambda / mu in repair, rate
    # lambda); the activation is then spent, so the system waits for that replica's repair (1 / mu):
    # U ~ (lambda / mu)^2.
    lam, mu = 1e-3, 0.1
    u = 1 - theory.cold_standby(1 / lam, 1 / mu, 1e-6, 1.0, dormancy=0.0)
    assert u == pytest.approx((lam / mu) ** 2, rel=0.05)
    with pytest.raises(ValueError, match="dormancy"):
        theory.cold_standby(100, 10, 1, 0.9, dormancy=-1)


def test_backup_loss():
    assert theory.backup_loss(24.0) == 12.0
    # Bad copies: T/2 plus T for each bad copy in a row before the newest good one (geometric).
    p = 0.25
    series = 12.0 + 24.0 * sum(g * p**g * (1 - p) for g in range(200))
    assert theory.backup_loss(24.0, p) == pytest.approx(series, rel=1e-12) == pytest.approx(20.0)
    with pytest.raises(ValueError, match="failure probability"):
        theory.backup_loss(24.0, 1.0)


def test_every_formula_is_registered_with_a_cited_docstring():
    assert set(theory.FORMULAS) >= {"availability", "erlang_b", "erlang_c", "shared_crew_pair", "active_standby", "beta_factor_pair"}
    for name, f in theory.FORMULAS.items():
        assert f.__doc__ and len(f.__doc__.split()) > 10, name

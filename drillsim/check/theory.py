"""Closed forms and Markov models the engine is checked against, each with its source.

Conventions: times in hours; ``mtbf`` is the mean up time (mean time to failure) of one
component, ``mttr`` its mean repair time, lambda = 1/mtbf and mu = 1/mttr. Availability is the
long-run share of time a system serves.

Continuous-time Markov chains are solved for their stationary distribution pi (pi Q = 0,
sum pi = 1) with :func:`ctmc_stationary`; birth-death chains (queues) with :func:`birth_death`.
Every public formula is registered in :data:`FORMULAS` under the name a case file uses.
"""

from __future__ import annotations

import inspect
import math
from typing import Any, Callable, Sequence

import numpy as np
from scipy import integrate, stats

from ..model.distributions import Exponential, Fixed, LogNormal, Triangular, Uniform, Weibull
from .chains import birth_death, ctmc_stationary
from .queueing_theory import erlang_a, erlang_b, erlang_c, mmc_mean_wait, mmck

__all__ = [
    "FORMULAS",
    "active_standby",
    "availability",
    "backup_loss",
    "beta_factor_pair",
    "birth_death",
    "cold_standby",
    "ctmc_stationary",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "k_out_of_n",
    "laplace_transform",
    "mmc_mean_wait",
    "mmck",
    "parallel",
    "series",
    "shared_crew_pair",
    "shared_crew_pair_general",
]


def laplace_transform(dist: Any, s: float) -> float:
    """E[exp(-s X)] for a drillsim duration distribution (closed form where there is one, else quadrature)."""
    if isinstance(dist, Fixed):
        return math.exp(-s * dist.value)
    if isinstance(dist, Exponential):
        return 1.0 / (1.0 + s * dist.mean)
    if isinstance(dist, LogNormal):
        sigma = dist.log_sigma
        frozen = stats.lognorm(s=sigma, scale=math.exp(math.log(dist.mean) - sigma * sigma / 2.0))
    elif isinstance(dist, Weibull):
        frozen = stats.weibull_min(c=dist.shape, scale=dist.lam)
    elif isinstance(dist, Uniform):
        frozen = stats.uniform(loc=dist.low, scale=dist.high - dist.low)
    elif isinstance(dist, Triangular):
        width = dist.high - dist.low
        frozen = stats.triang(c=(dist.mode - dist.low) / width, loc=dist.low, scale=width)
    else:  # pragma: no cover
        raise ValueError(f"no Laplace transform for {dist!r}")
    value, _err = integrate.quad(lambda x: math.exp(-s * x) * frozen.pdf(x), 0.0, math.inf, limit=200)
    return float(value)


# ----------------------------------------------------------------------------------------
# Reliability
# ----------------------------------------------------------------------------------------
def availability(mtbf: float, mttr: float) -> float:
    """One repairable component: A = MTBF / (MTBF + MTTR).

    The alternating renewal process (up, repair, up, ...): by the renewal-reward theorem the
    long-run share of up time is E[up] / (E[up] + E[down]) whatever the distributions (Ross,
    *Introduction to Probability Models*, 11th ed., section 7.5.1; Barlow and Proschan,
    *Statistical Theory of Reliability and Life Testing*, 1975, ch. 7).
    """
    return mtbf / (mtbf + mttr)


def k_out_of_n(mtbf: float, mttr: float, k: int, n: int) -> float:
    """k-out-of-n of independent, identical components (each repaired by its own crew).

    A_sys = sum_{j=k..n} C(n, j) A^j (1 - A)^(n - j), A = MTBF / (MTBF + MTTR): the components are
    independent stationary processes, so the number up at a random time is Binomial(n, A)
    (Barlow and Proschan 1975; Trivedi, *Probability and Statistics with Reliability, Queuing
    and Computer Science Applications*, 2nd ed., 2016, section 8.5).
    """
    a = availability(mtbf, mttr)
    return float(sum(math.comb(n, j) * a**j * (1.0 - a) ** (n - j) for j in range(k, n + 1)))


def parallel(mtbf: float, mttr: float, n: int = 2) -> float:
    """n independent components in parallel (up if any is up), a crew each: 1 - (1 - A)^n."""
    return 1.0 - (1.0 - availability(mtbf, mttr)) ** n


def series(mtbf: Sequence[float], mttr: Sequence[float]) -> float:
    """Independent components in series (up only if all are up): the product of their availabilities.

    Independence of the component processes makes the joint stationary probability a product
    (Barlow and Proschan 1975). This holds in drillsim because components keep failing and being
    repaired while the systems depending on them are down (see docs/semantics.md).
    """
    if len(mtbf) != len(mttr):
        raise ValueError("series: give as many mttr as mtbf values")
    return float(np.prod([availability(f, r) for f, r in zip(mtbf, mttr)]))


def shared_crew_pair(mtbf: float, mttr: float) -> float:
    """Two identical components in parallel sharing one repair crew (exponential times).

    Three-state CTMC on the number of failed components (the machine-repairman model, Trivedi
    2016, section 8.3; Gross and Harris, *Fundamentals of Queueing Theory*, M/M/1//2):
    0 -> 1 at 2 lambda, 1 -> 2 at lambda, 1 -> 0 and 2 -> 1 at mu (one repair at a time).
    The pair is down only in state 2: A = 1 - pi_2 = 1 - 2 r^2 / (1 + 2 r + 2 r^2), r = lambda / mu.
    """
    lam, mu = 1.0 / mtbf, 1.0 / mttr
    q = np.array([[-2 * lam, 2 * lam, 0.0], [mu, -(mu + lam), lam], [0.0, mu, -mu]])
    return float(1.0 - ctmc_stationary(q)[2])


def shared_crew_pair_general(mtbf: float, repair: Any) -> float:
    """Two components (exponential up times) sharing one crew, repair time of any distribution.

    The finite-source M/G/1//2 queue (Takacs, *Introduction to the Theory of Queues*, 1962, ch. 5,
    the machine-interference problem), by a renewal-reward argument over cycles that start with
    both components up. Let R be a repair time, m = E[R], and q = E[exp(-lambda R)] the chance
    that the other component survives a repair. A cycle is an up period (mean 1 / (2 lambda))
    and a busy period of the crew of N repairs, N geometric with P(N = k) = (1 - q)^(k-1) q (every
    repair starts with the other component up; the crew is idle again once one repair ends with
    it still up). Both are down during a repair from the other's failure to the repair's end,
    E[(R - T)^+] = m - (1 - q) / lambda with T ~ Exp(lambda). Hence

        1 - A = [(m - (1 - q) / lambda) / q] / [1 / (2 lambda) + m / q].

    With exponential repairs it reduces to :func:`shared_crew_pair`. ``repair`` is a drillsim
    duration distribution (a mapping such as ``{dist: lognormal, mean: 10h, cv: 1.5}``).
    """
    lam = 1.0 / mtbf
    m = repair.mean
    q = laplace_transform(repair, lam)
    down = (m - (1.0 - q) / lam) / q
    cycle = 1.0 / (2.0 * lam) + m / q
    return 1.0 - down / cycle


def active_standby(mtbf: float, mttr: float, switchover: float, coverage: float) -> float:
    """Active-standby pair with imperfect, timed switchover (exponential times), a crew each.

    A CTMC of (active replica, other replica, switchover state), as drillsim's automatic
    switchover works with zero detection delay: when the active replica fails a switchover
    starts; it takes an exponential time of mean ``switchover`` and then works with probability
    ``coverage`` (c) if the other replica is up. A failed switchover is not retried: the system
    waits for its active replica's repair. After a successful one the roles swap (no
    failback). States (a = active, o = other; U up, D down):

    0: a U, o U (serving)             1: a D, o U, switching         2: a D, o U, switchover failed
    3: a D, o D, switching            4: a D, o D, switchover over   5: a U, o D (serving)

    Rates: 0->1 lambda, 0->5 lambda; 1->5 sigma c, 1->2 sigma (1 - c), 1->3 lambda, 1->0 mu;
    2->0 mu, 2->4 lambda; 3->4 sigma, 3->1 mu (o repaired), 3->5 mu (a repaired);
    4->2 mu (o repaired), 4->5 mu (a repaired); 5->0 mu, 5->3 lambda; sigma = 1 / switchover.
    (Coverage models: Trivedi 2016, section 8.4; Dugan and Trivedi, IEEE Trans. Computers 38(6), 1989.)
    A = pi_0 + pi_5.
    """
    return _standby_pair(mtbf, mttr, switchover, coverage, dormancy=1.0)


def cold_standby(mtbf: float, mttr: float, switchover: float, coverage: float, dormancy: float = 0.0) -> float:
    """Cold (dormant) standby with an automatic activation that works with probability c (exponential times), a crew each.

    The chain of :func:`active_standby` with the standby's failure rate while it is idle
    multiplied by the dormancy factor f (0: a cold standby does not fail while idle; 1: a hot
    standby): the other replica fails at f lambda in states 0, 1 and 2 (it is up and not
    serving: before, during and after a failed activation), at lambda once it serves (after a
    successful activation the roles swap, and the repaired former primary is the idle standby).
    Activation takes an exponential time of mean ``switchover`` and works with probability
    ``coverage`` if the standby is up; it is not retried. Imperfect coverage and dormant spares
    as in Dugan and Trivedi, *Coverage modeling for dependability analysis of fault-tolerant
    systems*, IEEE Trans. Computers 38(6), 1989, and Trivedi 2016, section 8.4 (warm and cold
    spares). A = pi_0 + pi_5, solved numerically (:func:`ctmc_stationary`).
    """
    if dormancy < 0:
        raise ValueError(f"cold_standby: the dormancy factor must not be negative, got {dormancy:g}")
    return _standby_pair(mtbf, mttr, switchover, coverage, dormancy)


def _standby_pair(mtbf: float, mttr: float, switchover: float, coverage: float, dormancy: float) -> float:
    """The six-state chain of :func:`active_standby`, the idle standby failing at ``dormancy`` x lambda."""
    lam, mu, sigma, c = 1.0 / mtbf, 1.0 / mttr, 1.0 / switchover, coverage
    idle = dormancy * lam
    q = np.zeros((6, 6))
    rates = {
        (0, 1): lam, (0, 5): idle,
        (1, 5): sigma * c, (1, 2): sigma * (1.0 - c), (1, 3): idle, (1, 0): mu,
        (2, 0): mu, (2, 4): idle,
        (3, 4): sigma, (3, 1): mu, (3, 5): mu,
        (4, 2): mu, (4, 5): mu,
        (5, 0): mu, (5, 3): lam,
    }  # fmt: skip
    for (i, j), rate in rates.items():
        q[i, j] += rate
    q -= np.diag(q.sum(axis=1))
    pi = ctmc_stationary(q)
    return float(pi[0] + pi[5])


def beta_factor_pair(mtbf: float, mttr: float, beta: float) -> float:
    """Redundant pair (up if either is up) with beta-factor common cause, a crew each (exponential times).

    Each component fails at lambda = 1 / MTBF: (1 - beta) lambda independently, and a shock of
    rate beta lambda fails every component that is up at once (the beta-factor model,
    IEC 61508-6:2010 annex D; Fleming, *A reliability model for common mode failures in redundant
    safety systems*, 1975). CTMC on the number failed: 0 -> 1 at 2 (1 - beta) lambda,
    0 -> 2 at beta lambda, 1 -> 2 at lambda (the survivor fails independently or by a shock),
    1 -> 0 at mu, 2 -> 1 at 2 mu. A = 1 - pi_2.
    """
    lam, mu = 1.0 / mtbf, 1.0 / mttr
    q = np.array(
        [
            [-(2 * (1 - beta) * lam + beta * lam), 2 * (1 - beta) * lam, beta * lam],
            [mu, -(mu + lam), lam],
            [0.0, 2 * mu, -2 * mu],
        ]
    )
    return float(1.0 - ctmc_stationary(q)[2])


def backup_loss(interval: float, failure: float = 0.0) -> float:
    """Expected data lost when a failure strikes at a random time between backups taken every T: T / 2 + T p / (1 - p).

    The age of the last backup at a time uniform over the backup cycle is Uniform(0, T)
    (the inspection paradox does not apply: the failure time is independent of the fixed
    schedule), with mean T / 2. When each copy is bad with probability p, independently (and
    every copy is kept), a restore uses the newest good one: the number of bad copies in a row
    before it is geometric, P(G = g) = p^g (1 - p), with mean p / (1 - p), and each one adds T
    to the age. Hence E[loss] = T / 2 + T p / (1 - p) (Ross, *Introduction to Probability
    Models*, 11th ed., section 2.2: the geometric distribution).
    """
    if not 0.0 <= failure < 1.0:
        raise ValueError(f"backup_loss: the failure probability must be in [0, 1), got {failure:g}")
    return interval / 2.0 + interval * failure / (1.0 - failure)


FORMULAS: dict[str, Callable[..., float]] = {
    f.__name__: f
    for f in (
        availability,
        k_out_of_n,
        parallel,
        series,
        shared_crew_pair,
        shared_crew_pair_general,
        active_standby,
        cold_standby,
        beta_factor_pair,
        backup_loss,
        erlang_b,
        erlang_c,
        mmc_mean_wait,
        mmck,
        erlang_a,
    )
}
"""The formulas a case file may name (``theory: {formula: NAME, inputs: {...}}``)."""


def formula_help() -> dict[str, str]:
    """Each formula's signature and first docstring line, for error messages and ``--help``."""
    out = {}
    for name, f in FORMULAS.items():
        doc = (f.__doc__ or "").strip().splitlines()[0]
        out[name] = f"{name}{inspect.signature(f)}: {doc}"
    return out

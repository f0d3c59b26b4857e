"""Queueing formulas the engine's demand and staffing model is checked against (Erlang B, C and A, M/M/c, M/M/c/K).

Conventions as in :mod:`drillsim.check.theory` (times in hours); the birth-death chains are
solved with :func:`drillsim.check.chains.birth_death`. They are registered in
``theory.FORMULAS`` with the others.
"""

from __future__ import annotations

import numpy as np

from .chains import birth_death

__all__ = ["erlang_a", "erlang_b", "erlang_c", "mmc_mean_wait", "mmck"]


def erlang_b(servers: int, load: float) -> float:
    """Erlang B: blocking probability of M/M/c/c (no waiting room) with offered load a = lambda / mu erlangs.

    B(c, a) = (a^c / c!) / sum_{k=0..c} a^k / k! (Erlang, 1917), computed with the stable
    recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)) (Kleinrock 1975, section 3.7; it holds
    for any service-time distribution with that mean).
    """
    b = 1.0
    for k in range(1, int(servers) + 1):
        b = load * b / (k + load * b)
    return b


def erlang_c(servers: int, load: float) -> float:
    """Erlang C: probability that a caller waits in M/M/c, C(c, a) = c B / (c - a (1 - B)), B = Erlang B.

    Needs a < c (Kleinrock 1975, eq. 3.40; the form through Erlang B is Cooper, *Introduction to
    Queueing Theory*, 2nd ed., 1981, section 3.5).
    """
    if load >= servers:
        raise ValueError(f"erlang_c: the load ({load:g} erlangs) must be below the servers ({servers})")
    b = erlang_b(servers, load)
    return servers * b / (servers - load * (1.0 - b))


def mmc_mean_wait(servers: int, arrival_rate: float, service_mean: float) -> float:
    """Mean wait in queue of M/M/c: W_q = C(c, a) / (c mu - lambda), a = lambda / mu (Kleinrock 1975, eq. 3.43)."""
    mu = 1.0 / service_mean
    return erlang_c(servers, arrival_rate / mu) / (servers * mu - arrival_rate)


def mmck(servers: int, arrival_rate: float, service_mean: float, queue_limit: int, output: str = "blocked") -> float:
    """M/M/c/K with K = c + queue_limit places: blocked share, P(wait > 0) and mean wait of admitted callers.

    Birth-death chain on the number present n = 0..K: births lambda for n < K, deaths
    min(n, c) mu (Gross and Harris, *Fundamentals of Queueing Theory*, 4th ed., 2008, section
    2.5). By PASTA an arrival is blocked with probability p_K; an admitted caller waits iff it
    finds n >= c; by Little's law the mean wait of admitted callers is E[(n - c)^+] / (lambda (1 - p_K)).
    ``output``: blocked, p_wait or mean_wait.
    """
    mu = 1.0 / service_mean
    k = servers + queue_limit
    p = birth_death(lambda n: arrival_rate, lambda n: min(n, servers) * mu, k + 1)
    admitted = 1.0 - p[k]
    n = np.arange(k + 1)
    values = {
        "blocked": p[k],
        "p_wait": p[servers:k].sum() / admitted,
        "mean_wait": float((np.maximum(n - servers, 0) * p).sum()) / (arrival_rate * admitted),
    }
    return float(values[output])


def erlang_a(servers: int, arrival_rate: float, service_mean: float, patience_mean: float, output: str = "abandoned") -> float:
    """Erlang A (M/M/c+M): callers give up after an exponential patience of mean 1 / theta.

    Birth-death chain on the number present: births lambda, deaths min(n, c) mu + (n - c)^+ theta
    (Palm 1943; Garnett, Mandelbaum and Reiman, *Designing a call center with impatient
    customers*, MSOM 4(3), 2002), truncated where the tail is negligible. Outputs (PASTA,
    Little): ``abandoned`` = theta E[(n - c)^+] / lambda; ``p_wait`` = P(n >= c);
    ``mean_wait`` = E[(n - c)^+] / lambda (time to service or to giving up, over all callers).
    """
    mu, theta = 1.0 / service_mean, 1.0 / patience_mean
    p = birth_death(lambda n: arrival_rate, lambda n: min(n, servers) * mu + max(n - servers, 0) * theta)
    n = np.arange(len(p))
    queue = float((np.maximum(n - servers, 0) * p).sum())
    values = {"abandoned": theta * queue / arrival_rate, "p_wait": float(p[servers:].sum()), "mean_wait": queue / arrival_rate}
    return float(values[output])

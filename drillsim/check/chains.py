"""Stationary distributions of Markov chains: general CTMCs and birth-death chains (the tools the closed forms are checked with)."""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

__all__ = ["birth_death", "ctmc_stationary"]


def ctmc_stationary(q: np.ndarray) -> np.ndarray:
    """Stationary distribution of an irreducible CTMC with generator ``q`` (rows sum to 0).

    Solves pi Q = 0 with the normalisation sum(pi) = 1 replacing one (redundant) balance
    equation: the standard direct method (Stewart, *Introduction to the Numerical Solution of
    Markov Chains*, 1994, section 2.3).
    """
    q = np.asarray(q, dtype=float)
    n = q.shape[0]
    if q.shape != (n, n) or not np.allclose(q.sum(axis=1), 0.0, atol=1e-12 * max(1.0, np.abs(q).max())):
        raise ValueError("a generator matrix is square and its rows sum to zero")
    a = q.T.copy()
    a[-1, :] = 1.0
    b = np.zeros(n)
    b[-1] = 1.0
    pi = np.linalg.solve(a, b)
    return np.clip(pi, 0.0, None) / np.clip(pi, 0.0, None).sum()


def birth_death(birth: Callable[[int], float], death: Callable[[int], float], states: int | None = None) -> np.ndarray:
    """Stationary distribution of a birth-death chain on 0..states-1 (or on 0, 1, ... when ``states`` is None).

    Detailed balance: p_{n+1} = p_n birth(n) / death(n+1) (Kleinrock, *Queueing Systems* vol. 1,
    1975, eq. 3.11), computed in logs so that long chains do not overflow. An unbounded chain is
    truncated once the terms decrease and have fallen below e^-60 of the largest (the tail is
    then smaller still, as the ratios keep decreasing for the queues used here).
    """
    logs = [0.0]
    top = 0.0
    n = 0
    limit = states if states is not None else 10_000_000
    while n + 1 < limit:
        b, d = birth(n), death(n + 1)
        if b <= 0:
            break
        step = math.log(b) - math.log(d)
        logs.append(logs[-1] + step)
        top = max(top, logs[-1])
        n += 1
        if states is None and step < 0 and logs[-1] < top - 60.0:
            break
    else:
        if states is None:
            raise ValueError("birth_death: the chain does not settle (its births outgrow its deaths)")
    logp = np.asarray(logs)
    p = np.exp(logp - logp.max())
    if states is not None and len(p) < states:
        p = np.concatenate([p, np.zeros(states - len(p))])
    return p / p.sum()

"""Sequential replication: runs go to the comparisons whose answer is still open, in rounds, up to a cap.

Every figure of the analysis is linear in per-run losses: an option's expected annual loss
avoided is ``B = sum_t f_t mean_i (loss(t, {}, i) - loss(t, P, i))``, its NPV ``A B - c``, a
portfolio's value ``B - EAC``. A :class:`Linear` holds such a figure as terms (a weight, a
threat's per-run series, the simulated variants it is made of) plus a constant; its interval is
:func:`drillsim.replication.weighted_sum_interval` (series of different lengths pair up run by
run).

The analysis asks these questions (:class:`Comparison`, each a :class:`Linear` that must not
straddle zero):

- **worth it**: each option's NPV (its EAL avoided with ``--rank-by avoided``) against zero;
- **ranking**: each option against the next one in the ranking (the difference of the ranking
  key: NPV, B/C or EAL avoided);
- **budget**: the best portfolio within the budget against every other portfolio the search
  valued (the difference of their values).

Rounds (:func:`plan_round`): the baseline and each option alone start with ``min_runs`` runs;
a combination of several options, which the portfolio search values by the dozen and most of
which end far from the best, starts with half as many (:func:`screening_runs`), its options
having had ``min_runs`` alone. After a round, a question
is **decided** when its interval at the decision level excludes zero, or when no run differs at
all (nothing more to learn). For each open question, the threats that carry at least
:data:`SHARE` of its variance get the runs of round ``r``: ``min_runs x 2^r`` (at most
``max_runs``), for every variant its series are made of (the baseline included, so pairs stay
paired). The analysis is then redone on the longer records; a new round starts while some
question is open and can still get runs. Run ``i`` keeps the seed of run ``i`` (the batch's
common random numbers), so stopping earlier or later never changes a run, and the same command
gives the same answer.

Honesty about looking more than once: with ``K`` rounds possible (``K = 1 + ceil(log2(max/min))``)
every question is looked at no more than ``K`` times, so deciding at the level ``1 - 0.05 / K``
(Bonferroni over the looks) keeps the chance of stopping on a wrong answer below 5 % for each
question. The intervals shown are the usual 95 % intervals of the final runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np

from ..replication.intervals import CONFIDENCE, MeanInterval, weighted_sum_interval
from .estimate import Estimate
from .variants import Variant

__all__ = ["Term", "Linear", "Comparison", "rounds_possible", "decision_level", "plan_round", "round_runs", "screening_runs", "SHARE", "ALPHA"]

ALPHA = 1.0 - CONFIDENCE
"""Chance of a wrong answer allowed per question (0.05)."""

SHARE = 0.05
"""A threat gets more runs for an open question when it carries at least this share of its variance."""


@dataclass(frozen=True)
class Term:
    """``weight x mean(series)``: one threat's per-run series and what it is made of."""

    weight: float
    series: np.ndarray
    threat: str
    leaves: tuple[Variant, ...]
    """The simulated variants whose runs make up the series (more runs for it: more runs for them)."""


@dataclass
class Linear:
    """A figure linear in per-run losses: ``constant + sum of terms``."""

    terms: list[Term] = field(default_factory=list)
    constant: float = 0.0

    def __add__(self, other: "Linear") -> "Linear":
        return Linear(self.terms + other.terms, self.constant + other.constant)

    def __sub__(self, other: "Linear") -> "Linear":
        return self + other.scaled(-1.0)

    def scaled(self, factor: float) -> "Linear":
        """``factor x self``."""
        return Linear([Term(t.weight * factor, t.series, t.threat, t.leaves) for t in self.terms], self.constant * factor)

    def shifted(self, offset: float) -> "Linear":
        """``self + offset``."""
        return Linear(list(self.terms), self.constant + offset)

    def interval(self, confidence: float = CONFIDENCE) -> MeanInterval:
        """The mean and its interval (the constant added)."""
        found = weighted_sum_interval([t.series for t in self.terms], [t.weight for t in self.terms], confidence)
        c = self.constant
        return MeanInterval(
            found.n, found.mean + c, None if found.low is None else found.low + c, None if found.high is None else found.high + c, found.stderr
        )

    def estimate(self) -> Estimate:
        """The mean and its 95 % interval."""
        found = self.interval()
        return Estimate(found.mean, found.low, found.high, found.n)

    def runs(self) -> dict[str, int]:
        """Per threat with a term that weighs: the runs its series share (the fewest)."""
        out: dict[str, int] = {}
        for t in self.terms:
            if t.weight != 0.0:
                out[t.threat] = min(out.get(t.threat, t.series.size), t.series.size)
        return out

    def variance_by_threat(self) -> dict[str, float]:
        """Per threat: the variance of its part of the estimate (its terms together)."""
        out: dict[str, float] = {}
        for threat in dict.fromkeys(t.threat for t in self.terms):
            mine = [t for t in self.terms if t.threat == threat and t.weight != 0.0]
            if not mine:
                continue
            found = weighted_sum_interval([t.series for t in mine], [t.weight for t in mine])
            out[threat] = (found.stderr or 0.0) ** 2
        return out

    def leaves(self, threat: str) -> list[Variant]:
        """The simulated variants behind the threat's terms."""
        out: list[Variant] = []
        for t in self.terms:
            if t.threat == threat and t.weight != 0.0:
                out.extend(v for v in t.leaves if v not in out)
        return out


@dataclass
class Comparison:
    """One question of the analysis: does this figure lie above or below zero?"""

    kind: str
    """``worth-it``, ``ranking`` or ``budget``."""
    label: str
    """What is compared, in words (``ups-battery-room: NPV``, ``a vs b: NPV``)."""
    figure: Linear
    estimate: Estimate = field(init=False)
    """The figure with its 95 % interval over the runs used."""
    runs: dict[str, int] = field(init=False)
    """Per threat that matters to it: the runs it used."""
    decided: bool = field(init=False, default=False)
    """Its interval at the decision level excludes zero (or no run differs: nothing to learn)."""
    verdict: str = field(init=False, default="")
    """``above zero``, ``below zero``, ``no difference in any run`` or ``open``."""
    level: float = field(init=False, default=CONFIDENCE)

    def judge(self, level: float) -> None:
        """Decide at ``level`` (the decision interval), keeping the 95 % estimate for display."""
        self.level = level
        self.estimate = self.figure.estimate()
        self.runs = self.figure.runs()
        found = self.figure.interval(level)
        if found.low is None or found.high is None:
            self.decided, self.verdict = False, "open (too few runs for an interval)"
        elif found.low > 0:
            self.decided, self.verdict = True, "above zero"
        elif found.high < 0:
            self.decided, self.verdict = True, "below zero"
        elif found.low == found.high:
            self.decided, self.verdict = True, "no difference in any run"
        else:
            self.decided, self.verdict = False, "open"

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        e = self.estimate
        return {
            "kind": self.kind,
            "what": self.label,
            "difference": e.as_dict(),
            "interval_width": e.width,
            "runs_by_threat": self.runs,
            "decided": self.decided,
            "verdict": self.verdict,
            "decision_level": self.level,
        }


def screening_runs(min_runs: int) -> int:
    """Runs a combination of several options starts with: half of ``min_runs`` (at least 2)."""
    return max(2, min_runs // 2)


def rounds_possible(min_runs: int, max_runs: int) -> int:
    """``K = 1 + ceil(log2(max / min))``: the rounds of a sequential analysis (runs double each round)."""
    return 1 + max(0, math.ceil(math.log2(max_runs / min_runs))) if max_runs > min_runs else 1


def decision_level(min_runs: int, max_runs: int) -> float:
    """``1 - 0.05 / K``: the level questions are decided at (Bonferroni over the ``K`` looks)."""
    return 1.0 - ALPHA / rounds_possible(min_runs, max_runs)


def round_runs(round_index: int, min_runs: int, max_runs: int) -> int:
    """Runs of round ``r`` (from 0): ``min_runs x 2^r``, at most ``max_runs``."""
    return min(max_runs, min_runs * 2**round_index)


def plan_round(comparisons: Iterable[Comparison], have: dict[Variant, int], round_index: int, min_runs: int, max_runs: int) -> dict[Variant, int]:
    """The variants that get more runs for round ``round_index`` and how many (empty: stop).

    ``have``: runs each simulated variant has now.
    """
    target = round_runs(round_index, min_runs, max_runs)
    out: dict[Variant, int] = {}
    for c in comparisons:
        if c.decided:
            continue
        variance = c.figure.variance_by_threat()
        total = sum(variance.values())
        if total <= 0:
            continue
        for threat, v in variance.items():
            if v < SHARE * total:
                continue
            for leaf in c.figure.leaves(threat):
                if have.get(leaf, 0) < target:
                    out[leaf] = target
    for leaf in list(out):  # the baseline of a threat keeps at least as many runs as its variants
        base = Variant(leaf.threat)
        if have.get(base, 0) < target:
            out[base] = target
    return out

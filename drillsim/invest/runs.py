"""What the investment analysis keeps of each simulated run: the loss by component and two yes/no facts.

One :class:`RunRecords` per variant (one threat with one portfolio), its arrays indexed by run:
run ``i`` of every variant of a threat has the same batch seed (common random numbers), so the
records of the baseline and of a portfolio pair up run by run. Everything downstream (expected
annual loss, the simulated years of :mod:`drillsim.invest.years`, the second-order Monte Carlo of
:mod:`drillsim.invest.uncertainty`) reads only these arrays, never the runs themselves:

- a change of a threat's frequency reweights the runs (nothing is simulated again);
- a change of a loss figure scales one component: the money of a component is the sum over
  systems of figure x quantity (unserved demand, hours of data lost, data lost for good), so a
  factor ``k`` on every system's figure of that component multiplies the run's component by
  ``k``; the per-run component totals are all it needs.

A cache of runs (per run, per threat, per portfolio) therefore only has to hold these records.
Records of different variants may hold different numbers of runs (sequential replication gives
more runs to the comparisons that need them): they pair up over the runs they share, run ``i``
with run ``i`` (:meth:`RunRecords.head`). Records of a portfolio whose options influence disjoint
systems are sums of others (:meth:`RunRecords.added`), see :mod:`drillsim.invest.reach`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model.loss import COMPONENTS

__all__ = ["RunRecords", "COMPONENTS"]


@dataclass(frozen=True)
class RunRecords:
    """The per-run results of one variant, aligned by run index."""

    components: np.ndarray
    """``(runs, 3)``: money lost by component, columns :data:`~drillsim.model.loss.COMPONENTS`
    (unserved demand, hours of data lost, data lost for good)."""
    grade1_breaches: np.ndarray
    """``(runs,)``: grade-1 systems that missed their RTO in the run."""
    data_lost: np.ndarray
    """``(runs,)``: systems whose data was lost for good in the run."""

    def __post_init__(self) -> None:
        n = len(self.components)
        if self.components.shape != (n, len(COMPONENTS)) or self.grade1_breaches.shape != (n,) or self.data_lost.shape != (n,):
            raise ValueError("run records: components (runs, 3), grade1_breaches (runs,) and data_lost (runs,) must agree")

    @property
    def runs(self) -> int:
        """Number of runs."""
        return len(self.components)

    @property
    def total(self) -> np.ndarray:
        """``(runs,)``: the loss of each run (the sum of its components)."""
        return self.components.sum(axis=1)

    def component(self, name: str) -> np.ndarray:
        """``(runs,)``: one component by name (``unserved``, ``data_loss``, ``permanent``)."""
        return self.components[:, COMPONENTS.index(name)]

    def head(self, runs: int) -> "RunRecords":
        """The first ``runs`` runs (all of them if there are fewer)."""
        if runs >= self.runs:
            return self
        return RunRecords(self.components[:runs], self.grade1_breaches[:runs], self.data_lost[:runs])

    @staticmethod
    def added(parts: "list[RunRecords]", baseline: "RunRecords") -> "RunRecords":
        """``sum(parts) - (len(parts) - 1) x baseline``, run by run, over the runs all of them have.

        The records of a portfolio whose groups of options influence disjoint systems: each system
        behaves as under the one group that can influence it, or as in the baseline, and every
        recorded quantity is a sum over systems.
        """
        n = min([baseline.runs, *(p.runs for p in parts)])
        base = baseline.head(n)
        out = [base.components.copy(), base.grade1_breaches.copy(), base.data_lost.copy()]
        for part in parts:
            p = part.head(n)
            out[0] += p.components - base.components
            out[1] += p.grade1_breaches - base.grade1_breaches
            out[2] += p.data_lost - base.data_lost
        return RunRecords(*out)

    @classmethod
    def from_losses(cls, components: np.ndarray, grade1_breaches: np.ndarray | None = None, data_lost: np.ndarray | None = None) -> "RunRecords":
        """Records from a ``(runs, 3)`` loss array (the yes/no facts default to none)."""
        components = np.asarray(components, dtype=float).reshape(-1, len(COMPONENTS))
        n = len(components)
        g1 = np.zeros(n) if grade1_breaches is None else np.asarray(grade1_breaches, dtype=float)
        lost = np.zeros(n) if data_lost is None else np.asarray(data_lost, dtype=float)
        return cls(components, g1, lost)

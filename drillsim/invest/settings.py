"""How ``drillsim invest`` is run: the :class:`Settings`, their allowed values, the progress protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..model.diagnostics import DrillsimError

__all__ = ["Settings", "ProgressSink", "DEFAULT_DISCOUNT_RATE", "OBJECTIVES", "RANKINGS", "SEARCHES"]

DEFAULT_DISCOUNT_RATE = 0.045
"""Yearly discount rate when neither the options file nor the command line gives one.

4.5 %: the social discount rate of Korea's preliminary feasibility studies for public
investments, lowered from 5.5 % by the Ministry of Economy and Finance in August 2017
(http://m.newsis.com/view.html?ar_id=NISX20170811_0000065386)."""

OBJECTIVES = ("net", "avoided")
"""What the portfolio search maximises: net yearly benefit, or expected annual loss avoided."""

RANKINGS = ("npv", "bcr", "avoided")
"""How single options are ranked."""

SEARCHES = ("auto", "exhaustive", "greedy")
"""Portfolio search: auto is exhaustive up to ``exhaustive_limit`` options, greedy above."""


@dataclass
class Settings:
    """How the analysis is run."""

    runs: int | None = None
    """Fixed runs per threat and portfolio (the same seeds for all); None: sequential replication."""
    min_runs: int = 10
    """Sequential replication: the runs every threat and portfolio starts with."""
    max_runs: int = 80
    """Sequential replication: the most runs a question's threats and portfolios get (runs double each round)."""
    shortcuts: bool = True
    """Reuse the baseline's runs where a threat cannot reach an option, add up portfolios of
    options with disjoint influence (:mod:`drillsim.invest.shortcuts`); False: simulate them all."""
    seed: int = 0
    """Root seed: run i of every threat and portfolio uses the batch seed of (seed, i)."""
    jobs: int = 1
    """Worker processes (0: one per CPU)."""
    backend: str = "local"
    """Where runs go: local processes, dask or ray (see :mod:`drillsim.batch.backends`)."""
    address: str | None = None
    """Dask scheduler or Ray cluster address (default: start a local one)."""
    out: str | None = None
    """Folder for the batch's chunk files: a second call with the same inputs reuses them (resume)."""
    discount_rate: float | None = None
    """Yearly discount rate; None: the options file's, else :data:`DEFAULT_DISCOUNT_RATE`."""
    years: float = 5.0
    """Budget period in years: an option's budget cost is capital + years x yearly cost."""
    budget: float | None = None
    """Budget for the portfolio (in budget cost); None: no limit."""
    objective: str = "net"
    """What the portfolio search maximises (see :data:`OBJECTIVES`)."""
    search: str = "auto"
    """Portfolio search (see :data:`SEARCHES`)."""
    exhaustive_limit: int = 10
    """Largest number of options searched exhaustively by ``auto``."""
    rank_by: str = "npv"
    """Ranking of single options (see :data:`RANKINGS`)."""
    risk_years: int = 10_000
    """Years simulated for the annual loss distribution (0: none), from the runs already simulated."""
    bootstrap: int = 200
    """Bootstrap replicates for the intervals of the annual loss distribution (0: no intervals)."""
    outer_samples: int = 1000
    """Outer samples of the assumptions' ranges for the uncertainty analysis (0: none)."""

    def check(self) -> None:
        """Raise DrillsimError on a setting out of range."""
        if self.runs is not None and self.runs < 1:
            raise DrillsimError(f"--runs must be at least 1, got {self.runs}")
        if self.min_runs < 2:
            raise DrillsimError(f"--min-runs must be at least 2 (an interval needs two runs), got {self.min_runs}")
        if self.max_runs < self.min_runs:
            raise DrillsimError(f"--max-runs ({self.max_runs}) must not be below --min-runs ({self.min_runs})")
        if self.seed < 0:
            raise DrillsimError(f"--seed must not be negative, got {self.seed}")
        if self.discount_rate is not None and not 0 <= self.discount_rate < 1:
            raise DrillsimError(f"--discount-rate is a yearly rate such as 0.045, from 0 to below 1; got {self.discount_rate}")
        if self.years < 0:
            raise DrillsimError(f"--years must not be negative, got {self.years}")
        if self.budget is not None and self.budget < 0:
            raise DrillsimError(f"--budget must not be negative, got {self.budget}")
        for name, value in (("--risk-years", self.risk_years), ("--bootstrap", self.bootstrap), ("--outer-samples", self.outer_samples)):
            if value < 0:
                raise DrillsimError(f"{name} must not be negative, got {value}")
        if 0 < self.risk_years < 100:
            raise DrillsimError(f"--risk-years: at least 100 simulated years for a 1-in-100-year loss (or 0 for none), got {self.risk_years}")
        for name, value, allowed in (("--objective", self.objective, OBJECTIVES), ("--rank-by", self.rank_by, RANKINGS), ("--search", self.search, SEARCHES)):
            if value not in allowed:
                raise DrillsimError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")


class ProgressSink(Protocol):
    """Where the analysis reports progress (the CLI shows a rich progress bar)."""

    def start(self, description: str, total: int) -> None:
        """A new phase of ``total`` runs begins."""

    def advance(self, runs: int) -> None:
        """``runs`` more runs are done."""



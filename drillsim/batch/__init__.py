"""Monte Carlo batches: a thousand versions of the disaster, and plan A against plan B.

A batch runs every variant (a scenario, or a plan variant: an overlay on it) ``runs`` times, run
``i`` of every variant with the same seed (common random numbers: the same random world), on local
processes, a Dask cluster or a Ray cluster. Workers return compact rows (never timelines); rows are
saved in chunks as they arrive, so an interrupted batch resumes where it stopped. The statistics
are per metric (mean, sd, 95 % CI, P50/P90/P99), per system (probability of an RTO breach, ...)
and paired between variants (mean difference with its CI, share of runs in which B beat A).

Python API (used by the investment analysis)::

    from drillsim.batch import run_batch, Variant

    result = run_batch(
        [
            "scenarios/nirs-daejeon-fire-2025.yaml",               # the baseline (first)
            "scenarios/variants/second-auth.yaml",                 # a variant file (extends it)
            ("daegu-standby", [{"systems": [{"id": "gov24", "redundancy": {"mode": "active-standby"}}]}]),
            Variant("other", loaded_scenario, patches=[patch]),    # in memory, no file written
        ],
        runs=1000, seed=0, jobs=2,            # backend="dask" | "ray", address=...
        out="batch-out",                      # None: a temporary folder (no resume)
        progress=True,                        # or a callback (done, total)
    )
    result.names                              # variant names, baseline first
    result.rows                               # pyarrow.Table: one row per (variant, run)
    result.metric("daegu-standby", "grade1_rto_breaches")   # numpy array, index = run = seed index
    result.loss("daegu-standby", {"g1_downtime_hours": 5e6, "weighted_unserved_demand": 100})
    result.system_loss("daegu-standby", {"gov24": 2e7})     # from per-system rows (downtime_hours)
    result.scenario_loss("daegu-standby")     # the systems' own loss figures: unserved/data_loss/permanent
    result.curves("daegu-standby")            # runs x grid recovery curves; result.grid_hours()
    result.compare()                          # paired comparisons against the baseline
    result.summary()                          # everything, JSON-friendly
    result.system_table("daegu-standby")      # per-system statistics (pyarrow.Table)
    result.errors()                           # runs that raised: variant, run, seed, error
    result.write("batch-out", csv=True)       # Parquet, summary.json, PNG plots, CSV

The metric columns are listed in :mod:`drillsim.batch.rows` (:data:`METRICS`), the yes/no
indicators (``any_rto_breach``, ...) in :mod:`drillsim.batch.summary`. ``metric`` gives NaN for a
missing value (a recovery level never reached, no system of a grade affected) and for a failed run.

Modules: :mod:`.seeds` (seed of run i), :mod:`.rows` (what a run row holds), :mod:`.worker` (a
chunk on a worker), :mod:`.backends` (local/dask/ray), :mod:`.store` (chunk files, resume),
:mod:`.runner` (:func:`run_batch`), :mod:`.stats` (numpy/scipy statistics), :mod:`.summary`,
:mod:`.result` (:class:`BatchResult`), :mod:`.output` (tables, files), :mod:`.plots` (PNG).
"""

from .backends import Backend, DaskBackend, LocalBackend, RayBackend, WorkerLost, make_backend
from .result import BatchResult, VariantInfo
from .rows import METRICS, MetricSpec
from .runner import run_batch
from .seeds import replication_seed
from .stats import Paired, Proportion, Summary, describe, paired, proportion
from .variants import ResolvedVariant, Variant, resolve_variants

__all__ = [
    "Backend",
    "BatchResult",
    "DaskBackend",
    "LocalBackend",
    "METRICS",
    "MetricSpec",
    "Paired",
    "Proportion",
    "RayBackend",
    "ResolvedVariant",
    "Summary",
    "Variant",
    "VariantInfo",
    "WorkerLost",
    "describe",
    "make_backend",
    "paired",
    "proportion",
    "replication_seed",
    "resolve_variants",
    "run_batch",
]

"""Monte Carlo batches: a thousand versions of the disaster, and plan A against plan B.

A batch runs every variant (a scenario, or a plan variant: an overlay on it) ``runs`` times, run
``i`` of every variant with the same seed (common random numbers: the same random world), on local
processes, a Dask cluster or a Ray cluster. Workers return compact rows (never timelines); rows are
saved in chunks as they arrive, so an interrupted batch resumes where it stopped. The statistics
are per metric (mean, sd, 95 % CI, P50/P90/P99), per system (probability of an RTO breach, ...)
and paired between variants (mean difference with its CI, share of runs in which B beat A).

Python API (used by the investment analysis)::

    from drillsim.batch import run_batch, write_outputs, Variant

    standby = {"systems": [{"id": "gov24",                   # an overlay patch, merged by id
        "placements": [{"name": "gwangju", "domains": ["gwangju-room-a", "gwangju-net"], "role": "standby"}],
        "redundancy": {"mode": "active-standby", "switchover": "30m", "success": 0.9},
        "data": {"replication": {"to": "gwangju", "lag": "5m"}}}]}
    result = run_batch(
        [
            "scenarios/nirs-daejeon-fire-2025.yaml",                        # the baseline (first)
            "scenarios/variants/nirs-gdrive-offsite-backup.yaml",           # a variant file (extends it)
            ("gov24-standby", [standby]),                                   # patches on the baseline
            Variant("both", "scenarios/variants/nirs-gdrive-offsite-backup.yaml", [standby]),  # any source
        ],
        runs=1000, seed=0, jobs=2,            # backend="dask" | "ray", address=...
        out="batch-out",                      # None: a temporary folder (no resume)
        progress=True,                        # or a callback (done, total)
    )
    result.names                              # variant names, baseline first
    result.rows                               # pyarrow.Table: one row per (variant, run)
    result.metric("gov24-standby", "grade1_rto_breaches")   # numpy array, index = run = seed index
    result.loss("gov24-standby", {"g1_downtime_hours": 5e6, "weighted_unserved_demand": 100})
    result.system_loss("gov24-standby", {"gov24": 2e7})     # from per-system rows (downtime_hours)
    result.scenario_loss("gov24-standby")     # the systems' own loss figures: unserved/data_loss/permanent
    result.curves("gov24-standby")            # runs x grid recovery curves; result.grid_hours()
    result.compare()                          # paired comparisons against the baseline
    result.summary()                          # everything, JSON-friendly
    result.system_table("gov24-standby")      # per-system statistics (pyarrow.Table)
    result.errors()                           # runs that raised: variant, run, seed, error
    write_outputs(result, "batch-out", csv=True)   # Parquet, summary.json, PNG plots, CSV

Variants may also be given already loaded, as :class:`ResolvedVariant` ``(name, loaded,
origin, content_hash)``: the content hash names the variant's chunk files (with ``out``, the same
hash reuses saved runs), so it must change whenever the scenario does.

The metric columns are listed in :mod:`drillsim.batch.rows` (:data:`METRICS`), the yes/no
indicators (``any_rto_breach``, ...) in :mod:`drillsim.batch.summary`. ``metric`` gives NaN for a
missing value (a recovery level never reached, no system of a grade affected) and for a failed run.

Seeds of runs (:func:`replication_seed`), the local worker pool and the intervals come from
:mod:`drillsim.replication`. Modules: :mod:`.rows` (what a run row holds), :mod:`.worker` (a
chunk on a worker), :mod:`.backends` (local/dask/ray), :mod:`.store` (chunk files, resume),
:mod:`.runner` (:func:`run_batch`), :mod:`.stats` (numpy/scipy statistics), :mod:`.summary`,
:mod:`.result` (:class:`BatchResult`), :mod:`.output` (tables, files), :mod:`.plots` (PNG).
"""

from ..replication.seeds import replication_seed
from .backends import Backend, DaskBackend, LocalBackend, RayBackend, WorkerLost, make_backend
from .output import summary_tables, write_outputs
from .result import BatchResult, VariantInfo
from .rows import METRICS, MetricSpec
from .runner import run_batch
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
    "summary_tables",
    "write_outputs",
]

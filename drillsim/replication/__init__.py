"""Independent replications of a simulation: the seed each run gets, where runs execute, and what they tell.

Shared by every command that replicates runs (``drillsim batch``, ``drillsim check``, and the
investment analysis through the batch), so a replication means the same thing everywhere:

- :mod:`.seeds`: the engine seed of replication ``i`` under a root seed, either the same for every
  variant of a batch (:func:`replication_seed`: common random numbers, so plan A and plan B face
  the same random world run by run) or one family per named case (:func:`keyed_seed`);
- :mod:`.pool`: :class:`WorkerPool`, worker processes on this machine (forked on Linux so they
  start with what the parent loaded, spawned elsewhere), which never leaves a worker behind;
- :mod:`.intervals`: the Student-t interval of a mean (:func:`mean_interval`), the paired t-test
  (:func:`t_test`), the interval of a weighted sum of per-run series of different lengths
  (:func:`weighted_sum_interval`) and the Wilson score interval of a share (:func:`wilson_interval`).

Nothing here knows about scenarios or the engine; scipy is imported only when an interval is
computed.
"""

from .intervals import CONFIDENCE, MeanInterval, mean_interval, t_test, weighted_sum_interval, wilson_interval
from .pool import WorkerLost, WorkerPool, default_jobs, start_method
from .seeds import MAX_ROOT_SEED, keyed_seed, replication_seed, replication_seeds

__all__ = [
    "CONFIDENCE",
    "MAX_ROOT_SEED",
    "MeanInterval",
    "WorkerLost",
    "WorkerPool",
    "default_jobs",
    "keyed_seed",
    "mean_interval",
    "replication_seed",
    "replication_seeds",
    "start_method",
    "t_test",
    "weighted_sum_interval",
    "wilson_interval",
]

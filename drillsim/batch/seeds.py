"""Seeds of replications: run ``i`` of a batch with root seed ``S`` always gets the same seed.

The seed of replication ``i`` is drawn from ``numpy.random.SeedSequence(S).spawn(n)[i]``, which is
the same as ``SeedSequence(S, spawn_key=(i,))``: it depends on ``S`` and ``i`` only, never on the
backend, the number of workers, the chunking or the order in which runs finish. Every variant of
a batch uses the same seed for run ``i`` (common random numbers), so plan A and plan B face the
same random world run by run. The engine then derives one stream per named random decision from
that seed (see :mod:`drillsim.engine.rng`).

The seed is a 63-bit integer (it fits Parquet's int64), so any run of a batch can be replayed
alone with ``drillsim run FILE --seed SEED``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["replication_seed", "replication_seeds", "MAX_ROOT_SEED"]

MAX_ROOT_SEED = 2**63 - 1
"""The largest root seed accepted (seeds are non-negative)."""

_MASK63 = (1 << 63) - 1


def _check_root(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) <= MAX_ROOT_SEED:
        raise ValueError(f"the batch seed must be a whole number from 0 to {MAX_ROOT_SEED}, got {seed!r}")
    return int(seed)


def replication_seed(seed: int, run: int) -> int:
    """The engine seed of replication ``run`` (0-based) of a batch with root ``seed``."""
    root = _check_root(seed)
    if isinstance(run, bool) or not isinstance(run, (int, np.integer)) or run < 0:
        raise ValueError(f"the run index must be a non-negative whole number, got {run!r}")
    words = np.random.SeedSequence(root, spawn_key=(int(run),)).generate_state(2, np.uint32)
    return (int(words[0]) | (int(words[1]) << 32)) & _MASK63


def replication_seeds(seed: int, start: int, stop: int) -> list[int]:
    """Seeds of replications ``start`` .. ``stop - 1``."""
    return [replication_seed(seed, i) for i in range(start, stop)]

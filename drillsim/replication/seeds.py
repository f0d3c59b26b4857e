"""Seeds of replications: run ``i`` under root seed ``S`` always gets the same engine seed.

Two derivations, for two questions:

- :func:`replication_seed` (``drillsim batch``, and the investment analysis through it): the seed
  of run ``i`` is drawn from ``numpy.random.SeedSequence(S).spawn(n)[i]``, which is the same as
  ``SeedSequence(S, spawn_key=(i,))``. It depends on ``S`` and ``i`` only, never on the variant,
  the backend, the number of workers, the chunking or the order in which runs finish, so every
  variant of a batch faces the same random world in run ``i`` (common random numbers: the paired
  differences between plans lose most of the noise).
- :func:`keyed_seed` (``drillsim check``): the seed of run ``i`` of case ``key`` is 63 bits of a
  BLAKE2b hash of ``(S, key, i)``. Different cases get unrelated seeds (each check is judged
  alone, against its own theory), and adding a case never changes another's numbers.

Either way the seed is a 63-bit non-negative integer (it fits Parquet's int64), so any run can be
replayed alone with ``drillsim run FILE --seed SEED``. The engine derives one stream per named
random decision from it (see :mod:`drillsim.engine.rng`).
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["replication_seed", "replication_seeds", "keyed_seed", "MAX_ROOT_SEED"]

MAX_ROOT_SEED = 2**63 - 1
"""The largest root seed accepted (seeds are non-negative)."""

_MASK63 = (1 << 63) - 1


def _check_root(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) <= MAX_ROOT_SEED:
        raise ValueError(f"the batch seed must be a whole number from 0 to {MAX_ROOT_SEED}, got {seed!r}")
    return int(seed)


def replication_seed(seed: int, run: int) -> int:
    """The engine seed of replication ``run`` (0-based) under root ``seed``, the same for every variant."""
    root = _check_root(seed)
    if isinstance(run, bool) or not isinstance(run, (int, np.integer)) or run < 0:
        raise ValueError(f"the run index must be a non-negative whole number, got {run!r}")
    words = np.random.SeedSequence(root, spawn_key=(int(run),)).generate_state(2, np.uint32)
    return (int(words[0]) | (int(words[1]) << 32)) & _MASK63


def replication_seeds(seed: int, start: int, stop: int) -> list[int]:
    """Seeds of replications ``start`` .. ``stop - 1``."""
    return [replication_seed(seed, i) for i in range(start, stop)]


def keyed_seed(seed: int, key: str, run: int) -> int:
    """The engine seed of replication ``run`` of ``key`` (a case name) under root ``seed``: 63 bits of a hash of the three."""
    digest = hashlib.blake2b(f"{seed}\x1f{key}\x1f{run}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1

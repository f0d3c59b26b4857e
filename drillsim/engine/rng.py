"""Named random streams: one ``numpy.random.Generator`` per (seed, stream name).

Every random draw in a run comes from a stream named for what it decides and for whom
(``("detect", "gov24")``, ``("failures", "rack-3")``). Streams are independent of one another
and of the order in which they are first used, so two plan variants run with the same seed see
the same random world (common random numbers), and a run gives the same result on any machine,
backend or number of workers.

Each stream is a Philox counter-based generator (Salmon et al., "Parallel random numbers: as
easy as 1, 2, 3", SC 2011) keyed by a 128-bit BLAKE2b hash of (seed, stream name): distinct keys
give independent streams by design, and creating one costs a hash and a key set-up, not a seed
expansion, so a run pays little for the many entities it touches. Streams are created lazily.
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["Streams", "stream_key"]


def stream_key(seed: int, *names: str) -> int:
    """The 128-bit Philox key of stream ``names`` under ``seed`` (stable across processes and versions)."""
    text = f"{seed}\x1e" + "\x1f".join(names)
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest(), "little")


class Streams:
    """A lazily filled set of independent generators for one run's seed."""

    def __init__(self, seed: int):
        if seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        self.seed = int(seed)
        self._cache: dict[tuple[str, ...], np.random.Generator] = {}

    def get(self, *names: str) -> np.random.Generator:
        """The generator for stream ``names`` (created on first use)."""
        rng = self._cache.get(names)
        if rng is None:
            rng = np.random.Generator(np.random.Philox(key=stream_key(self.seed, *names)))
            self._cache[names] = rng
        return rng

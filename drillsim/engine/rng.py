"""Named random streams: one ``numpy.random.Generator`` per (seed, stream name).

Every random draw in a run comes from a stream named for what it decides and for whom
(``("detect", "gov24")``, ``("failures", "rack-3")``). Streams are independent of one another
and of the order in which they are first used, so two plan variants run with the same seed see
the same random world (common random numbers), and a run gives the same result on any machine,
backend or number of workers. Streams are created lazily: a run pays only for the entities it
touches.
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["Streams", "stream_key"]


def stream_key(*names: str) -> list[int]:
    """Four 32-bit words derived from the stream's name (stable across processes and Python versions)."""
    digest = hashlib.blake2b("\x1f".join(names).encode("utf-8"), digest_size=16).digest()
    return [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]


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
            sequence = np.random.SeedSequence([self.seed & 0xFFFFFFFF, self.seed >> 32, *stream_key(*names)])
            rng = np.random.Generator(np.random.PCG64(sequence))
            self._cache[names] = rng
        return rng

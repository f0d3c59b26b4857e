"""Named random streams: one ``numpy.random.Generator`` per (seed, stream name).

Every random draw in a run comes from a stream named for what it decides and for whom
(``("detect", "gov24")``, ``("failures", "rack-3")``). Streams are independent of one another
and of the order in which they are first used, so two plan variants run with the same seed see
the same random world (common random numbers), and a run gives the same result on any machine,
backend or number of workers.

Each stream is a PCG64 generator whose 256 bits of state and increment are a BLAKE2b hash of
(seed, stream name), handed to numpy through its seed-sequence interface
(:class:`numpy.random.bit_generator.ISeedSequence`). Hashing the name is what numpy's own
``SeedSequence`` does with entropy; doing it with one BLAKE2b call makes a stream cost about
2 µs instead of about 9 µs, which matters because a run creates one stream per system it
recovers (about 1,400 in the NIRS fire). Streams are created lazily.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
from numpy.random.bit_generator import ISeedSequence

from ..model.distributions import (
    Exponential,
    Fixed,
    LogNormal,
    Triangular,
    Uniform,
    Weibull,
)

Distribution = Fixed | Exponential | Weibull | LogNormal | Uniform | Triangular
"""A random duration of the model (:data:`drillsim.model.distributions.DurationDist`)."""

__all__ = ["Streams", "NameSeed", "stream_text", "Distribution"]


def stream_text(seed: int, *names: str) -> bytes:
    """The bytes that identify stream ``names`` under ``seed`` (stable across processes and versions)."""
    return (f"{seed}\x1e" + "\x1f".join(names)).encode("utf-8")


class NameSeed(ISeedSequence):
    """A seed sequence whose words are BLAKE2b(stream text, block counter): numpy asks it for state words."""

    __slots__ = ("text",)

    def __init__(self, text: bytes):
        self.text = text

    def generate_state(self, n_words: int, dtype: Any = np.uint32) -> np.ndarray[Any, Any]:
        """``n_words`` words of ``dtype`` (uint32 or uint64) derived from the stream's text."""
        word = _DTYPES.get(dtype)
        if word is None:
            word = np.dtype(dtype)
        need = n_words * word.itemsize
        if need <= 64:  # one block (PCG64 asks for 32 bytes): the same bytes as the loop below
            block = _blake2b(self.text, digest_size=64, salt=_SALT0).digest()
            return np.frombuffer(block[:need], dtype=word).copy()
        blocks = []
        size = 0
        counter = 0
        while size < need:
            block = _blake2b(self.text, digest_size=64, salt=counter.to_bytes(16, "little")).digest()
            blocks.append(block)
            size += len(block)
            counter += 1
        return np.frombuffer(b"".join(blocks)[:need], dtype=word).copy()


_blake2b = hashlib.blake2b
_SALT0 = (0).to_bytes(16, "little")
_DTYPES: dict[Any, np.dtype[Any]] = {np.uint32: np.dtype(np.uint32), np.uint64: np.dtype(np.uint64)}
"""Word types numpy asks for, resolved once (``np.dtype`` costs a microsecond a call)."""


_Generator = np.random.Generator
_PCG64 = np.random.PCG64


class Streams:
    """A lazily filled set of independent generators for one run's seed."""

    def __init__(self, seed: int):
        if seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        self.seed = int(seed)
        self._prefix = f"{self.seed}\x1e"
        """The start of every stream's text (:func:`stream_text`)."""
        self._cache: dict[tuple[str, ...], np.random.Generator] = {}

    def get(self, *names: str) -> np.random.Generator:
        """The generator for stream ``names`` (created on first use)."""
        rng = self._cache.get(names)
        if rng is None:
            # numpy's bit generators take any ISeedSequence; its type stubs list only SeedSequence.
            seed: Any = NameSeed((self._prefix + "\x1f".join(names)).encode("utf-8"))
            rng = _Generator(_PCG64(seed))
            self._cache[names] = rng
        return rng

    def once(self, *names: str) -> float:
        """A uniform number in [0, 1) for the one-off decision ``names`` (one hash: no generator, nothing cached).

        For decisions asked about many keys once each (is backup copy number n good?), where a
        stream per key would cost a generator each.
        """
        digest = hashlib.blake2b(stream_text(self.seed, *names), digest_size=8, person=b"drillsim-once").digest()
        return int.from_bytes(digest, "little") / 2.0**64

    def draw(self, dist: Distribution, *names: str) -> float:
        """A sample of ``dist`` from the named stream (a fixed duration needs no stream)."""
        if isinstance(dist, Fixed):
            return dist.value
        return dist.sample(self.get(*names))

    def chance(self, p: float, *names: str) -> bool:
        """True with probability ``p``, drawn from the named stream (certain outcomes draw nothing)."""
        if p >= 1.0:
            return True
        if p <= 0.0:
            return False
        return bool(self.get(*names).random() < p)

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
import math
import struct
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


_PCG_MULT = 0x2360ED051FC65DA44385DF649FCCF645
"""PCG64's 128-bit multiplier (numpy's ``PCG_DEFAULT_MULTIPLIER_128``)."""
_M128 = (1 << 128) - 1
_M64 = (1 << 64) - 1
_FOUR_WORDS = struct.Struct("<4Q").unpack_from
"""The first four little-endian uint64 words of a block, in one call."""


def _pcg64_first_double(block: bytes) -> float:
    """The first ``random()`` of ``PCG64(seed)`` whose seed sequence gives the words of ``block`` (little-endian uint64).

    numpy seeds PCG64 from four words: state = (w0, w1), increment = (w2, w3) as 128-bit numbers,
    then ``pcg_setseq_128_srandom_r`` (inc = 2 seq + 1; step; state += initstate; step); a draw
    steps once more and outputs XSL-RR; a double is its top 53 bits. Checked against numpy in
    tests/test_engine_rng_fast.py.
    """
    w0: int
    w1: int
    w2: int
    w3: int
    w0, w1, w2, w3 = _FOUR_WORDS(block)
    inc = ((w2 << 65) | (w3 << 1) | 1) & _M128  # 2 * initseq + 1, initseq = (w2, w3)
    state = (inc + ((w0 << 64) | w1)) & _M128  # step from 0 (0 * mult + inc), then add the initial state (w0, w1)
    state = (state * _PCG_MULT + inc) & _M128
    state = (state * _PCG_MULT + inc) & _M128  # the draw's step
    x = ((state >> 64) ^ state) & _M64
    rot = state >> 122
    out = ((x >> rot) | (x << ((-rot) & 63))) & _M64
    return (out >> 11) * (1.0 / 9007199254740992.0)


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
        self._stepped: set[tuple[str, ...]] = set()
        """Streams whose first number :meth:`first_uniform` drew without creating their generator."""

    def get(self, *names: str) -> np.random.Generator:
        """The generator for stream ``names`` (created on first use)."""
        rng = self._cache.get(names)
        if rng is None:
            # numpy's bit generators take any ISeedSequence; its type stubs list only SeedSequence.
            seed: Any = NameSeed((self._prefix + "\x1f".join(names)).encode("utf-8"))
            bits = _PCG64(seed)
            if names in self._stepped:  # its first number was drawn by first_uniform
                self._stepped.discard(names)
                bits.advance(1)
            rng = _Generator(bits)
            self._cache[names] = rng
        return rng

    def _fresh_double(self, names: tuple[str, ...]) -> float | None:
        """The first ``random()`` of stream ``names`` when it has drawn nothing yet (no generator built), else None.

        PCG64 seeded as numpy seeds it (:func:`_pcg64_first_double`): the same number. The stream
        is marked as one step on: should it be asked for again, its generator is created and
        advanced by that step, as if it had made the draw.
        """
        if names in self._cache or names in self._stepped:
            return None
        self._stepped.add(names)
        text = (self._prefix + "\x1f".join(names)).encode("utf-8")
        return _pcg64_first_double(_blake2b(text, digest_size=64, salt=_SALT0).digest())

    def first_uniform(self, low: float, high: float, *names: str) -> float:
        """``get(*names).uniform(low, high)``: the same number, without a generator for a stream's first draw.

        For streams asked once each (a backup schedule's phase).
        """
        u = self._fresh_double(names)
        if u is None:
            return float(self.get(*names).uniform(low, high))
        return low + (high - low) * u  # numpy's random_uniform

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
        if isinstance(dist, Triangular):
            u = self._fresh_double(names)
            if u is not None:  # numpy's random_triangular from the stream's first double
                left, mode, right = float(dist.low), float(dist.mode), float(dist.high)
                base = right - left
                leftbase = mode - left
                if u <= leftbase / base:
                    return left + math.sqrt(u * (leftbase * base))
                return right - math.sqrt((1.0 - u) * ((right - mode) * base))
        return dist.sample(self.get(*names))

    def chance(self, p: float, *names: str) -> bool:
        """True with probability ``p``, drawn from the named stream (certain outcomes draw nothing)."""
        if p >= 1.0:
            return True
        if p <= 0.0:
            return False
        u = self._fresh_double(names)
        if u is not None:
            return u < p
        return bool(self.get(*names).random() < p)

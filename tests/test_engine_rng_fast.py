"""The random streams' shortcuts give numpy's numbers exactly (same seed, same result)."""

from __future__ import annotations

import numpy as np

from drillsim.engine.rng import NameSeed, Streams, stream_text


def _numpy_stream(seed: int, *names: str) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(NameSeed(stream_text(seed, *names))))


def test_first_uniform_is_numpys_first_uniform() -> None:
    for seed in (0, 1, 2**40 + 7):
        streams = Streams(seed)
        for k in range(300):
            names = ("backup-phase", f"sys-{k:05d}", str(k % 3))
            low, high = (0.0, 24.0) if k % 2 else (1.5, 168.0)
            assert streams.first_uniform(low, high, *names) == _numpy_stream(seed, *names).uniform(low, high), (seed, names)


def test_a_stream_asked_again_goes_on_where_numpys_would() -> None:
    streams = Streams(3)
    names = ("backup-phase", "gov24", "0")
    first = streams.first_uniform(0.0, 24.0, *names)
    reference = _numpy_stream(3, *names)
    assert first == reference.uniform(0.0, 24.0)
    assert streams.get(*names).random(5).tolist() == reference.random(5).tolist()
    assert streams.first_uniform(0.0, 24.0, *names) == reference.uniform(0.0, 24.0)  # from the generator now


def test_generate_state_matches_the_hash_blocks_for_any_size() -> None:
    import hashlib

    seed = NameSeed(stream_text(0, "detect", "gov24"))
    blocks = b"".join(hashlib.blake2b(seed.text, digest_size=64, salt=n.to_bytes(16, "little")).digest() for n in range(3))
    for words, dtype in ((4, np.uint64), (8, np.uint32), (20, np.uint64), (3, np.uint32), (17, np.uint32)):
        size = np.dtype(dtype).itemsize * words
        assert seed.generate_state(words, dtype).tolist() == np.frombuffer(blocks[:size], dtype=dtype).tolist()


def test_triangular_draws_and_chances_are_numpys() -> None:
    from drillsim.model.distributions import Triangular

    shapes = [(0.5, 1.0, 4.0), (1.0, 1.0, 3.0), (0.0, 2.0, 2.0), (2.0, 5.0, 30.0)]
    streams = Streams(11)
    for k in range(400):
        low, mode, high = shapes[k % len(shapes)]
        dist = Triangular(dist="triangular", low=f"{low}h", mode=f"{mode}h", high=f"{high}h")
        assert (dist.low, dist.mode, dist.high) == (low, mode, high)  # hours
        names = ("recovery", f"s{k}", "restore")
        reference = _numpy_stream(11, *names)
        assert streams.draw(dist, *names) == float(reference.triangular(low, mode, high)), (k, low, mode, high)
        assert streams.draw(dist, *names) == float(reference.triangular(low, mode, high))  # a second attempt: the generator
        outcome = ("recovery-outcome", f"s{k}", "restore")
        assert streams.chance(0.7, *outcome) == bool(_numpy_stream(11, *outcome).random() < 0.7)

"""Property test: a mutated bundled scenario gives a located error, or runs to a finite, valid JSON result.

Mutations (tests/fuzz_mutations.py): key deletion, type swaps, out-of-range and non-finite
numbers, bad durations, control characters, deep nesting, long strings, damage to the text. The
real ``validate`` and ``run --json`` run in-process; the engine runs on the small bundled
scenarios only, to 12 h. Fixed seed (derandomized), no deadline, a few hundred examples.
"""

from __future__ import annotations

import random
from collections import Counter

from fuzz_mutations import KINDS, SMALL, check_file, copy_tree, mutate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

OUTCOMES: Counter[str] = Counter()


@settings(max_examples=170, derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=st.sampled_from(SMALL), kind=st.sampled_from(KINDS), seed=st.integers(0, 2**32 - 1))
def test_a_mutated_scenario_is_a_located_error_or_a_clean_run(tmp_path_factory, name, kind, seed):
    tree = copy_tree(tmp_path_factory.getbasetemp())
    text = (tree / name).read_text(encoding="utf-8")
    mutated = tree / f"mutated-{kind}-{name}"
    mutated.write_text(mutate(text, random.Random(seed), kind), encoding="utf-8")
    OUTCOMES[check_file(mutated)] += 1


def test_the_mutations_reach_both_outcomes():
    """The examples above are not all rejected (nor all valid): the property is tested both ways."""
    if not OUTCOMES:  # run alone (pytest -k): nothing to say
        return
    assert OUTCOMES["located"] > 20 and OUTCOMES["ran"] > 20, OUTCOMES

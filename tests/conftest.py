"""pytest configuration shared by all tests."""

from __future__ import annotations

import gc

import pytest

from helpers import scenario_yaml

# Garbage collection less often than CPython's default (700, 10, 10): the suite keeps large models
# alive (the 17,090-system national ecosystem, the bundled scenarios, Textual apps), and with the
# default thresholds every few thousand allocations of a test rescan them (counting the links of
# the national document took 2.2 s instead of 0.04 s). Collection still happens (young objects
# every 20,000 allocations); memory at its peak stayed the same (measured with /usr/bin/time).
# The project does the same where it builds large graphs (drillsim/model/loading.py and yamlio.py
# pause the collector, the drill app freezes what it keeps). No test depends on when cycles are
# collected.
gc.set_threshold(20_000, 50, 100)


@pytest.fixture
def make_scenario():
    """Build a scenario from YAML text."""
    return scenario_yaml


HEAVY_FIRST = (
    "test_theory.py",
    "test_readme_commands.py",
    "test_tui.py",
    "test_batch_backends.py",
    "test_batch.py",
    "test_tui_snapshots.py",
    "test_generator.py",
    "test_tui_orders.py",
    "test_fuzz_scenarios.py",
    "test_tui_resume.py",
    "test_architecture.py",
    "test_scenario_library.py",
    "test_determinism.py",
    "test_stationary_start.py",
    "test_seats_web.py",
    "test_spof.py",
    "test_robust_interrupt.py",
    "test_check_cli.py",
    "test_drill_journal.py",
    "test_seats_drill.py",
)
"""The test files that take the most time (seconds of CPU each; most time first), as measured
with ``--durations=0``: they run first, the many quick files after them."""


def pytest_collection_modifyitems(session, config, items):
    """Run the slowest files first, each file's tests in their own order, the others as collected.

    Scheduling only (no test depends on another file's): with pytest-xdist's work stealing, the
    suite then ends on the many short tests, spread over both workers, instead of one worker
    finishing a long TUI or theory test alone. Every file stays in one piece, so its module-scoped
    fixtures are set up once, as before.
    """
    rank = {name: i for i, name in enumerate(HEAVY_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable

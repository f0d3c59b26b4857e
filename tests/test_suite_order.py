"""The suite's own scheduling (tests/conftest.py): the slow files it runs first exist."""

from __future__ import annotations

from pathlib import Path

from conftest import HEAVY_FIRST


def test_the_slow_files_run_first_are_test_files_of_the_suite():
    here = Path(__file__).parent
    missing = [name for name in HEAVY_FIRST if not (here / name).is_file()]
    assert not missing, f"tests/conftest.py HEAVY_FIRST names files the suite no longer has: {missing}"
    assert len(set(HEAVY_FIRST)) == len(HEAVY_FIRST)

"""pytest configuration shared by all tests."""

from __future__ import annotations

import pytest

from helpers import scenario_yaml


@pytest.fixture
def make_scenario():
    """Build a scenario from YAML text."""
    return scenario_yaml

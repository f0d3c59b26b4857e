"""Helpers shared by tests: build scenarios from YAML text; where the bundled scenarios live."""

from __future__ import annotations

import textwrap
from pathlib import Path

from drillsim.model import scenario_from_data
from drillsim.model.yamlio import loads_yaml

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


def scenario_yaml(text: str):
    """A validated Scenario from YAML text (dedented)."""
    return scenario_from_data(loads_yaml(textwrap.dedent(text), "test.yaml")).scenario

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


def outage_spans(result, system_id: str) -> list[tuple[float, float]]:
    """(start, end) of each outage of a system, from its recorded timeline (end: the run's end if still down)."""
    spans: list[tuple[float, float]] = []
    down: float | None = None
    for t, status, _share in result.system(system_id).timeline:
        serving = status in ("up", "degraded")
        if not serving and down is None:
            down = t
        elif serving and down is not None:
            spans.append((down, t))
            down = None
    if down is not None:
        spans.append((down, result.ended_hours))
    return spans

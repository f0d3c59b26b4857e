"""Inject lists in and out: the CSV master scenario events list (MSEL), and overlays that replace injects."""

from pathlib import Path

import pytest

from drillsim.model import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parent.parent
NIRS = ROOT / "scenarios" / "nirs-daejeon-fire-2025.yaml"


def test_overlay_replace_states_the_whole_inject_list(tmp_path):
    overlay = tmp_path / "o.yaml"
    overlay.write_text(
        f"extends: {NIRS}\nreplace: [injects]\ninjects:\n"
        "  - {at: 0m, destroy: daejeon-room-7-1, expected: Call the fire brigade}\n",
        encoding="utf-8",
    )
    loaded = load_scenario(overlay)
    assert len(loaded.scenario.injects) == 1
    assert loaded.scenario.injects[0].expected == "Call the fire brigade"
    # Without 'replace', an inject without an id is appended to the 16 of the scenario.
    overlay.write_text(overlay.read_text(encoding="utf-8").replace("replace: [injects]\n", ""), encoding="utf-8")
    assert len(load_scenario(overlay).scenario.injects) == 17


def test_overlay_replace_must_list_keys(tmp_path):
    overlay = tmp_path / "o.yaml"
    overlay.write_text(f"extends: {NIRS}\nreplace: {{injects: 1}}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"o\.yaml:2: replace: 'replace' must list top-level keys"):
        load_scenario(overlay)

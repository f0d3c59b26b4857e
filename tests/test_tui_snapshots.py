"""Snapshots of the drill app's screens, reached by key presses (pytest-textual-snapshot).

Update them after an intended change of the screens with ``pytest tests/test_tui_snapshots.py
--snapshot-update`` and look at the report it writes before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytest_textual_snapshot")

from textual.command import CommandInput  # noqa: E402

from drillsim.tui import make_app  # noqa: E402

from helpers import SCENARIOS  # noqa: E402

EXAMPLE = SCENARIOS / "example-room-fire.yaml"
DECISION = Path(__file__).parent / "drill_fixtures" / "room-fire-decision.yaml"
SIZE = (120, 40)


def drill(tmp_path, scenario=EXAMPLE, **kwargs):
    """A drill whose journal has the same name in every run (the briefing shows it)."""
    return make_app(scenario, seed=1, journal=tmp_path / "drill.journal.jsonl", **kwargs)


def keys_then_quiet(*keys: str, wait_workers: bool = False):
    """A run_before that presses keys (opening the actions palette waits for its search field), then clears the toasts."""

    async def run(pilot):
        app = pilot.app
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            if key == "a":
                for _ in range(50):
                    if isinstance(app.focused, CommandInput):
                        break
                    await pilot.pause()
            elif key == "enter" and not isinstance(app.focused, CommandInput):
                await pilot.pause(0.1)
        if wait_workers:
            await app.workers.wait_for_complete()
            await pilot.pause()
        app.clear_notifications()
        await pilot.pause()

    return run


def typed(text: str) -> list[str]:
    return ["space" if ch == " " else ch for ch in text]


def test_briefing(snap_compare, tmp_path):
    assert snap_compare(drill(tmp_path), terminal_size=SIZE)


def test_board_after_the_alerts(snap_compare, tmp_path):
    assert snap_compare(drill(tmp_path, briefing=False), press=["space", "space", "space"], terminal_size=SIZE)


def test_board_in_the_facilitator_view_by_site_with_work_under_way(snap_compare, tmp_path):
    run = keys_then_quiet("space", "space", "a", *typed("restore login"), "enter", "h", "h", "t", "v")
    assert snap_compare(drill(tmp_path, briefing=False), run_before=run, terminal_size=SIZE)


def test_decision_dialog(snap_compare, tmp_path):
    assert snap_compare(drill(tmp_path, DECISION, briefing=False), press=["space", "space", "h"], terminal_size=SIZE)


def test_report_screen_at_the_end(snap_compare, tmp_path):
    run = keys_then_quiet(
        "space", "space", "a", *typed("restore login"), "enter", "a", *typed("switch document"), "enter",
        "g", *typed("T+14d"), "enter", "r", wait_workers=True,
    )
    assert snap_compare(drill(tmp_path, briefing=False), run_before=run, terminal_size=(120, 60))


def test_national_fire_board_with_korean_names(snap_compare, tmp_path):
    app = drill(tmp_path, SCENARIOS / "nirs-daejeon-fire-2025.yaml", briefing=False)
    assert snap_compare(app, run_before=keys_then_quiet("space", "space", "space", "t"), terminal_size=(150, 45))

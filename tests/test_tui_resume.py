"""A drill killed mid-way (SIGKILL: no cleanup at all) resumes from its journal to the same end as
a drill that was never interrupted, key press for key press."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("textual")

from drillsim.drill import read_journal  # noqa: E402
from drillsim.tui import make_app  # noqa: E402

DECISION = Path(__file__).parent / "drill_fixtures" / "room-fire-decision.yaml"

# Before the kill: the fire, the alerts, a restore ordered through the palette, an hour (the
# decision pops up at T+0:30 and is declined), another hour. After: three hours, then T+3d.
BEFORE = ["space", "space", "a", *"restore login", "enter", "h", "2", "h"]
AFTER = ["h", "h", "h", "g", "T", "+", "3", "d", "enter"]

PLAYER = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    from textual.command import CommandInput
    from drillsim.tui import make_app

    scenario, journal, keys = sys.argv[1], sys.argv[2], sys.argv[3:]

    async def main():
        app = make_app(scenario, seed=11, journal=journal, briefing=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
                if key == "a":
                    while not isinstance(app.focused, CommandInput):
                        await pilot.pause()
            print("journalled", len(app.session.history), flush=True)
            os.kill(os.getpid(), signal.SIGKILL)  # the power cut: nothing is closed or flushed by us

    asyncio.run(main())
    """
)


async def _press_all(app, pilot, keys):
    from textual.command import CommandInput

    for key in keys:
        await pilot.press("space" if key == " " else key)
        await pilot.pause()
        if key == "a":
            for _ in range(50):
                if isinstance(app.focused, CommandInput):
                    break
                await pilot.pause()


async def _play(app, keys):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await _press_all(app, pilot, keys)


def _keys(keys):
    return ["space" if k == " " else k for k in keys]


def test_a_drill_killed_mid_way_resumes_to_the_same_end(tmp_path):
    script = tmp_path / "player.py"
    script.write_text(PLAYER, encoding="utf-8")
    journal = tmp_path / "killed.journal.jsonl"
    # The drill to be killed plays in its process while this one plays the uninterrupted drill
    # (the two share nothing but the scenario file; each waits on its app much of the time).
    proc = subprocess.Popen(
        [sys.executable, str(script), str(DECISION), str(journal), *_keys(BEFORE)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent,
    )
    try:
        uninterrupted = make_app(DECISION, seed=11, journal=tmp_path / "whole.journal.jsonl", briefing=False)
        asyncio.run(_play(uninterrupted, _keys(BEFORE + AFTER)))
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == -signal.SIGKILL, stderr[-2000:]
    assert "journalled 6" in stdout
    recorded = read_journal(journal)
    assert [e.describe() for e in recorded.entries] == [
        "step",
        "step",
        "act recover/login/restore",
        "advance to 1.08333h",  # stopped at T+0:30, when the decision opened
        "decide mutual-aid: decline",
        "advance to 1.5h",
    ]

    resumed = make_app(DECISION, resume=journal, briefing=False)
    asyncio.run(_play(resumed, _keys(AFTER)))
    assert uninterrupted.session.done is False and uninterrupted.session.now == 72.0
    assert resumed.session.now == 72.0
    assert resumed.session.result().to_dict() == uninterrupted.session.result().to_dict()
    whole = [e.describe() for e in read_journal(tmp_path / "whole.journal.jsonl").entries]
    continued = [e.describe() for e in read_journal(journal).entries if e.type != "resume"]
    assert continued == whole
    assert os.path.getsize(journal) > 0

"""The drill app, driven by key presses through Textual's Pilot: a whole drill, decisions, the
actions palette, the facilitator view, going to a time, play, replay, and Korean names aligned."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

pytest.importorskip("textual")

from rich.cells import cell_len  # noqa: E402
from textual.command import CommandPalette  # noqa: E402

from drillsim.drill import DrillSession, read_journal  # noqa: E402
from drillsim.engine import Status, SystemView  # noqa: E402
from drillsim.tui import make_app  # noqa: E402
from drillsim.tui.screens import BoardScreen, BriefingScreen, DecisionScreen, GotoScreen, ReportScreen, SitrepScreen  # noqa: E402
from drillsim.tui.style import fit  # noqa: E402
from drillsim.tui.widgets import Clock, GroupBoard, SystemList, ViewMarker  # noqa: E402
from drillsim.tui.widgets.systems import row_columns, row_pieces  # noqa: E402

from helpers import SCENARIOS  # noqa: E402

EXAMPLE = SCENARIOS / "example-room-fire.yaml"
DECISION = Path(__file__).parent / "drill_fixtures" / "room-fire-decision.yaml"
SIZE = (120, 40)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[("space" if ch == " " else ch) for ch in text])


async def open_actions(pilot) -> None:
    """Press 'a' and wait until the palette's search field has the focus."""
    from textual.command import CommandInput

    await pilot.press("a")
    for _ in range(50):
        await pilot.pause()
        if isinstance(pilot.app.screen, CommandPalette) and isinstance(pilot.app.focused, CommandInput):
            return
    raise AssertionError("the actions palette did not open")


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


class FakeTimer:
    """Stands in for the board's play timer: records whether play resumed or paused it."""

    def __init__(self) -> None:
        self.running = False

    def resume(self) -> None:
        self.running = True

    def pause(self) -> None:
        self.running = False

    def stop(self) -> None:
        self.running = False


def types(path: Path) -> list[str]:
    return [e.describe() for e in read_journal(path).entries]


def test_a_whole_drill_by_key_presses(tmp_path):
    journal = tmp_path / "drill.journal.jsonl"
    app = make_app(EXAMPLE, seed=1, journal=journal)

    async def play():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, BriefingScreen)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, BoardScreen)
            await pilot.press("space", "space")  # the fire, then the alerts
            await pilot.pause()
            board = app.screen
            assert app.session.now == pytest.approx(5 / 60)
            assert board.board.counts("team")[Status.down] == 3
            # Restore the login service at the DR site, through the searchable palette.
            await open_actions(pilot)
            await type_text(pilot, "restore login")
            await settle(pilot)  # the palette's search worker has finished
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, BoardScreen)
            # Paper intake for the document system.
            await open_actions(pilot)
            await type_text(pilot, "switch document")
            await settle(pilot)  # the palette's search worker has finished
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("f", "h", "h", "h", "h", "h")  # +15 min, then five hours
            await pilot.pause()
            assert app.session.now == pytest.approx(5 / 60 + 0.25 + 5)
            assert board.board.status(app.session.sim.compiled.sidx["login"]) is Status.up
            # To the end, through the go-to dialog.
            await pilot.press("g")
            await pilot.pause()
            assert isinstance(app.screen, GotoScreen)
            await type_text(pilot, "T+14d")
            await pilot.press("enter")
            await pilot.pause()
            assert app.session.done
            await pilot.press("r")
            await settle(pilot)
            assert isinstance(app.screen, ReportScreen)
            assert app.screen.report is not None and app.screen.report.summaries["team"].score is not None
            await pilot.press("w")
            await settle(pilot)
            assert {p.suffix for p in app.screen.written} >= {".md", ".html"}
            await pilot.press("escape", "q")

    asyncio.run(play())
    assert types(journal) == [
        "step",
        "step",
        "act recover/login/restore",
        "act fallback/docs",
        "advance to 0.333333h",
        "advance to 1.33333h",
        "advance to 2.33333h",
        "advance to 3.33333h",
        "advance to 4.33333h",
        "advance to 5.33333h",
        "advance to 336h",
    ]
    assert (tmp_path / "drill-aar.html").exists() and (tmp_path / "drill-aar.md").exists()
    # The journal alone gives the same world (what `drillsim report` and --resume rely on).
    replayed = DrillSession.replay(journal)
    replayed.replay_all()
    assert replayed.result().to_dict() == app.session.result().to_dict()
    assert app.session.result().metrics.systems_down_at_end == 1  # the document system waits for its rebuild


def test_decision_points_pop_up_and_the_choice_takes_effect(tmp_path):
    journal = tmp_path / "d.journal.jsonl"
    app = make_app(DECISION, seed=1, journal=journal, briefing=False)

    async def play():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("space", "space", "h")  # the decision opens at T+0:30, inside the hour
            await pilot.pause()
            assert isinstance(app.screen, DecisionScreen)
            assert app.session.now == 0.5, "advancing stops when a decision opens"
            await pilot.press("escape")  # decide later
            await pilot.pause()
            assert isinstance(app.screen, BoardScreen)
            assert "1 decision open" in str(app.screen.query_one(Clock).render())
            board = app.screen
            board._timer.stop()
            board._timer = timer = FakeTimer()  # ticks are driven by the test, not by the clock
            await pilot.press("p")  # play and pause always work: with a decision open, time runs on and it stays open
            await pilot.pause()
            assert board.playing and timer.running
            await pilot.press("p")
            await pilot.pause()
            assert not board.playing and not timer.running
            assert app.session.now == 0.5 and list(app.session.pending_decisions) == ["mutual-aid"]
            await pilot.press("d")
            await pilot.pause()
            assert isinstance(app.screen, DecisionScreen)
            await pilot.press("1")
            await pilot.pause()
            assert isinstance(app.screen, BoardScreen)
            assert not app.session.sim.pending_decisions
            await pilot.press("h", "h", "h")
            await pilot.pause()

    asyncio.run(play())
    assert "decide mutual-aid: accept" in types(journal)
    ops = next(t for t in app.session.sim.teams() if t["team"] == "ops")
    assert ops["staff"] == 5  # two engineers arrived two hours after the decision


def test_impossible_actions_are_listed_with_their_reason_and_not_taken(tmp_path):
    journal = tmp_path / "d.journal.jsonl"
    app = make_app(EXAMPLE, seed=1, journal=journal, briefing=False)

    async def play():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("space", "space")
            await open_actions(pilot)
            await type_text(pilot, "restart login")
            await settle(pilot)  # the palette's search worker has finished
            palette = app.screen
            assert isinstance(palette, CommandPalette)
            listed = [str(o.prompt) for o in palette.query_one("CommandList").options]
            target = next(k for k, p in enumerate(listed) if "restart (Login service)" in p)
            assert "was destroyed" in listed[target]
            assert listed[0].startswith("▶"), "possible actions come first"
            await pilot.press(*["down"] * target, "enter")
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert any("was destroyed" in m for m in messages), messages

    asyncio.run(play())
    assert types(journal) == ["step", "step"]


def test_facilitator_view_is_marked_and_journals_nothing(tmp_path):
    journal = tmp_path / "d.journal.jsonl"
    app = make_app(EXAMPLE, seed=1, journal=journal, briefing=False)

    async def play():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("space")
            await pilot.pause()
            board = app.screen
            # At T+0 the room is known to have burned, but no system alert has come in yet.
            assert board.board.counts("team")[Status.unknown] == 3
            assert "TEAM VIEW" in str(board.query_one(ViewMarker).render())
            await pilot.press("t")
            await pilot.pause()
            assert board.truth and board.has_class("-truth")
            assert "FACILITATOR VIEW" in str(board.query_one(ViewMarker).render())
            assert board.board.counts("truth")[Status.down] == 3
            groups = board.query_one(GroupBoard)
            assert groups.view == "truth"
            await pilot.press("v")
            await pilot.pause()
            assert groups.grouping == "site" and [r.label for r in groups.rows] == ["Headquarters data center"]
            await pilot.press("t", "v")
            await pilot.pause()
            assert not board.truth and groups.grouping == "grade"

    asyncio.run(play())
    assert types(journal) == ["step"]


def test_go_to_explains_a_bad_time_and_play_moves_the_clock(tmp_path):
    app = make_app(EXAMPLE, seed=1, journal=tmp_path / "d.journal.jsonl", briefing=False)

    async def play():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("space", "g")
            await pilot.pause()
            await type_text(pilot, "yesterday")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, GotoScreen)
            assert "+2h (from now)" in str(app.screen.query_one("#error").render())
            await pilot.press(*["backspace"] * 9)
            await type_text(pilot, "+2h")
            await pilot.press("enter")
            await pilot.pause()
            assert app.session.now == 2.0
            board = app.screen
            assert board._timer is not None  # on_mount created the play timer
            board._timer.stop()
            board._timer = timer = FakeTimer()  # ticks are driven by the test, not by the clock
            await pilot.press("plus", "plus", "plus")  # 15 min/s -> 1 day/s
            await pilot.press("p")
            await pilot.pause()
            assert board.playing and timer.running
            board._tick()
            board._tick()
            await pilot.press("p")
            await pilot.pause()
            assert not board.playing and not timer.running
            assert app.session.now == pytest.approx(2.0 + 2 * 24 * 0.25)  # two ticks at 1 day/s, 4 ticks a second
            played = [e for e in app.session.history if e.type == "advance"]
            assert len(played) == 3  # the go-to, then play's own steps
            assert played[-1].data["to"] - played[-2].data["to"] == pytest.approx(24 * 0.25, abs=1e-6)
            board._tick()  # a tick that comes in after the pause changes nothing
            assert app.session.now == pytest.approx(2.0 + 2 * 24 * 0.25)
            await pilot.press("p")
            await pilot.pause()
            assert board.playing and timer.running
            await pilot.press("o")  # another screen over the board stops the clock
            await pilot.pause()
            assert isinstance(app.screen, SitrepScreen) and not board.playing and not timer.running
            stopped = app.session.now
            board._tick()
            assert app.session.now == stopped

    asyncio.run(play())


def test_replay_plays_back_read_only(tmp_path):
    journal = tmp_path / "d.journal.jsonl"
    session = DrillSession.start(DECISION, seed=2, journal_path=journal)
    session.step()
    session.step()
    session.act("recover/login/restore")
    session.advance(1.0)
    session.decide("mutual-aid", "decline")
    session.advance(40.0)
    final = session.result().to_dict()
    session.close()
    app = make_app(replay=journal)

    async def play():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            board = app.screen
            assert isinstance(board, BoardScreen) and board.replay
            assert "REPLAY · command 0 of 6" in str(board.query_one(Clock).render())
            await pilot.press("space", "space")
            await pilot.pause()
            assert app.session.position == 2
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, BoardScreen)  # no palette: a replay takes no actions
            await pilot.press("e")
            await pilot.pause()
            assert app.session.replay_done
            assert not isinstance(app.screen, DecisionScreen)
            await pilot.press("o")
            await pilot.pause()
            assert isinstance(app.screen, SitrepScreen)

    asyncio.run(play())
    assert app.session.result().to_dict() == final
    assert len(read_journal(journal).entries) == 6  # nothing was written


def _view(label: str, status: Status = Status.down) -> SystemView:
    return SystemView(id="x", label=label, grade=1, status=status, share=0.0, detected=True, rto_hours=4.0, down_since=0.0, site="hq",
                      task={"label": "restore at dr-room", "state": "running"})


@pytest.mark.parametrize("width", [60, 80, 117])
def test_korean_names_line_up_with_latin_ones(width):
    names = ["Login service", "Citizen portal (민원 포털)", "정부24 (Government24) 전자정부 민원 서비스 통합 포털 시스템", "x"]
    rows = [row_pieces(_view(name), 1.5, width) for name in names]
    widths = row_columns(width)
    for pieces in rows:
        assert sum(cell_len(text) for text, _ in pieces) == width
        # Every column starts at the same cell in every row, whatever the script of the name.
        cells = [cell_len(text) for text, _ in pieces]
        assert cells[0::2] == widths, cells
    assert fit("민원 포털", 4) == "민… " or cell_len(fit("민원 포털", 4)) == 4
    assert cell_len(fit("민원 포털", 5)) == 5 and cell_len(fit("민원", 7)) == 7


def test_korean_names_line_up_on_screen(tmp_path):
    app = make_app(EXAMPLE, seed=1, journal=tmp_path / "d.journal.jsonl", briefing=False)

    async def play():
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.press("space", "space")
            await pilot.pause()
            systems = app.screen.query_one(SystemList)
            lines = [systems.render_line(y) for y in range(len(systems.rows))]
            texts = ["".join(seg.text for seg in line) for line in lines]
            assert any("민원 포털" in t for t in texts)
            assert len({line.cell_length for line in lines}) == 1
            # The RTO column ends at the same cell on every line.
            ends = []
            for t in texts:
                head = t[: t.index("left") + 4]
                ends.append(cell_len(head))
            assert len(set(ends)) == 1, texts

    asyncio.run(play())


def test_the_system_list_builds_only_the_rows_on_screen(tmp_path):
    from drillsim.model import scenario_from_data
    from drillsim.model.generator import generate_ecosystem

    loaded = scenario_from_data(generate_ecosystem(1500, seed=3, fire_room_systems=300, fire_inject=True))
    app = make_app(tmp_path / "model.yaml", seed=1, journal=tmp_path / "d.journal.jsonl", loaded=loaded, briefing=False)

    async def play():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("t", "space")
            await pilot.pause()
            systems = app.screen.query_one(SystemList)
            assert len(systems.rows) > 300
            height = systems.scrollable_content_region.height
            built = systems.rendered_rows
            assert 0 < built <= 3 * height, (built, height)

    asyncio.run(play())


def test_drill_command_without_textual_says_how_to_install_it():
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['textual'] = None; from drillsim.cli import main; "
        f"sys.exit(main(['drill', {str(EXAMPLE)!r}]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2, out.stderr
    assert "pip install 'drillsim[tui]'" in out.stderr


def test_drill_command_refuses_a_journal_of_another_scenario(tmp_path, capsys):
    import shutil

    from drillsim.cli import main

    scenario = tmp_path / "fire.yaml"
    shutil.copy(EXAMPLE, scenario)
    journal = tmp_path / "d.journal.jsonl"
    DrillSession.start(scenario, seed=1, journal_path=journal).close()
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("rto: 4h", "rto: 5h"), encoding="utf-8")
    assert main(["drill", str(scenario), "--resume", str(journal)]) == 2
    err = capsys.readouterr().err
    assert "hash" in err and read_journal(journal).header.scenario_hash in err
    assert main(["replay", str(tmp_path / "missing.journal.jsonl")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_the_improvement_plan_wraps_korean_text_without_losing_words():
    """Rich's default ellipsis cut the last word of a wrapped line holding Korean ("took … other system")."""
    from datetime import date, timedelta
    from types import SimpleNamespace

    from rich.console import Console

    from drillsim.tui.screens.report import plan_table

    text = ("Citizen portal (민원 포털) (grade 1) was down for 14.0d and took 1 other system down through their links, "
            "1 of them grade 1 (e.g. 정부24 민원 서비스).")
    finding = SimpleNamespace(number="F-01", severity="critical", finding=text, recommendation="Give 정부24 a second site.",
                              owner="운영팀 Operations", due=date(2025, 10, 10))
    report = SimpleNamespace(findings=[finding], report_date=date(2025, 10, 10) - timedelta(days=14))
    for width in range(60, 161, 3):
        console = Console(width=width, color_system=None)
        with console.capture() as capture:
            console.print(plan_table(report))
        cells = [line.split("│")[2] for line in capture.get().splitlines() if line.count("│") == 6]
        assert " ".join(cells).split() == text.split(), f"width {width}"

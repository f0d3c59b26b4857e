"""Orders and the facilitator's console in the drill app, by key presses (Textual's Pilot): an order
given, a bad one explained with a did-you-mean, a bulk action confirmed with its count and staff, an
inject, the hint, undo with a confirmation, the end of the drill, the keys panel toggled."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("textual")

from textual.widgets import HelpPanel  # noqa: E402

from drillsim.drill import DrillSession, read_journal  # noqa: E402
from drillsim.tui import make_app  # noqa: E402
from drillsim.tui.screens import BoardScreen, ConfirmScreen, ConsoleScreen, OrderScreen  # noqa: E402
from drillsim.tui.widgets import OrdersPanel  # noqa: E402
from drillsim.tui.widgets.orders import NO_ORDERS  # noqa: E402

from helpers import SCENARIOS  # noqa: E402

EXAMPLE = SCENARIOS / "example-room-fire.yaml"
SIZE = (120, 40)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[("space" if ch == " " else ch) for ch in text])


async def until(pilot, check, what: str) -> None:
    for _ in range(50):
        await pilot.pause()
        if check():
            return
    raise AssertionError(f"{what} did not happen")


def panel_text(app) -> str:
    return str(app.screen.query_one(OrdersPanel).render())


def entries(journal) -> list[str]:
    return [e.describe() for e in read_journal(journal).entries]


def test_orders_are_given_checked_and_confirmed_by_key_presses(tmp_path):
    journal = tmp_path / "d.journal.jsonl"
    app = make_app(EXAMPLE, seed=1, journal=journal, briefing=False)

    async def play():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert NO_ORDERS[:30] in panel_text(app)
            # A bad order: the dialog says what is wrong and gives nothing.
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, OrderScreen), "the order dialog")
            await type_text(pilot, "work opz")
            await pilot.press("enter")
            await pilot.pause()
            assert "unknown team 'opz' (did you mean 'ops'?)" in str(app.screen.query_one("#error").render())
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, BoardScreen), "back to the board")
            await pilot.press("space", "space")  # the fire, then the alerts
            await pilot.pause()
            # A bulk action: one confirmation with its count and staff.
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, OrderScreen), "the order dialog")
            await type_text(pilot, "do recover on all")
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
            assert "2 actions, 3 staff" in str(app.screen.query_one("#dialog-title").render())
            await pilot.press("y")
            await until(pilot, lambda: isinstance(app.screen, BoardScreen), "the bulk order given")
            assert [a["action"] for a in app.session.result().actions] == ["recover/login/restore", "recover/docs/rebuild"]
            # A standing order: the team leads switch the document system to paper.
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, OrderScreen), "the order dialog")
            await type_text(pilot, "work ops by grade")
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, BoardScreen), "the order given")
            assert "work by grade" in panel_text(app)
            tasks = {t["subject"]: t for t in app.session.tasks()}
            assert tasks["docs"]["kind"] == "fallback"

    asyncio.run(play())
    assert entries(journal) == ["step", "step", "order do recover on all", "order work ops on all by grade"]


def test_the_facilitator_console_injects_hints_undoes_and_ends(tmp_path):
    journal = tmp_path / "d.journal.jsonl"
    app = make_app(EXAMPLE, seed=1, journal=journal, briefing=False)

    async def console(pilot, line: str | None = None) -> None:
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, ConsoleScreen), "the console")
        if line is not None:
            await type_text(pilot, line)
            await pilot.press("enter")

    async def play():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("space", "space")
            await console(pilot)
            hint = str(app.screen.query_one("#hint").render())
            assert "the runbook would" in hint and "restore Login service" in hint and "No team has orders" in hint
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, BoardScreen), "back to the board")
            await console(pilot, "say The director is on her way.")
            await until(pilot, lambda: isinstance(app.screen, BoardScreen), "the inject given")
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, OrderScreen), "the order dialog")
            await type_text(pilot, "work all")
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, BoardScreen), "the order given")
            assert app.session.sim.tasks()  # the leads started work
            await console(pilot, "undo")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the undo confirmation")
            assert "order work all on all" in str(app.screen.query_one("#prompt").render())
            await pilot.press("y")
            await until(pilot, lambda: isinstance(app.screen, BoardScreen), "the undo")
            assert not app.session.sim.tasks() and NO_ORDERS[:30] in panel_text(app)
            await pilot.press("question_mark")
            await until(pilot, lambda: bool(app.screen.query(HelpPanel)), "the keys panel")
            await pilot.press("question_mark")
            await until(pilot, lambda: not app.screen.query(HelpPanel), "the keys panel hidden")
            await console(pilot, "end")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the end confirmation")
            await pilot.press("y")
            await until(pilot, lambda: app.session.done, "the end")
            await pilot.press("space")  # nothing moves after the end
            await pilot.pause()

    asyncio.run(play())
    assert entries(journal) == ["step", "step", "inject say The director is on her way.", "order work all on all", "undo #4", "end"]
    events = app.session.sim.world.events
    said = [e for e in events if e.kind == "message" and e.subject == "facilitator"]
    assert [e.text for e in said] == ["The director is on her way."]
    resumed = DrillSession.resume(journal, EXAMPLE, append=False)
    assert resumed.result().to_dict() == app.session.result().to_dict() and resumed.done

"""The Textual seat app (``drillsim join``) through Pilot, against a real server subprocess.

North city's seat app shows North's systems only, gives a standing order from its command line,
is told why a facilitator's command is refused, and files a situation report from its form, which
the facilitator's client then receives in its reports table.
"""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("textual")

from seats_helpers import TOKENS, Server  # noqa: E402
from textual.widgets import DataTable, RichLog  # noqa: E402

from drillsim.seats.app import ReportForm, SeatApp  # noqa: E402
from drillsim.seats.client import SeatClient  # noqa: E402

NORTH = {"login", "north-web", "north-tax", "north-mail"}


async def _until(pilot, condition, what: str, limit: int = 2400) -> None:
    for _ in range(limit):
        if condition():
            return
        await pilot.pause(0.025)
    raise AssertionError(f"the app did not get there: {what}; feed: {feed_text(pilot.app)[-500:]}")


def feed_text(app: SeatApp) -> str:
    return "\n".join(str(line.text) for line in app.query_one("#feed", RichLog).lines)


def test_the_seat_app_shows_its_systems_gives_orders_and_files_a_report(tmp_path):
    server = Server(tmp_path / "drill.journal.jsonl")

    async def play() -> dict:
        control = SeatClient(server.url, "control", TOKENS["control"])
        await control.connect()
        await control.command("advance +90m")
        app = SeatApp(server.url, "north", TOKENS["north"])
        out: dict = {}
        try:
            async with app.run_test(size=(140, 40)) as pilot:
                table = app.query_one("#systems", DataTable)
                await _until(pilot, lambda: app.client.state is not None and table.row_count > 0, "connected, systems shown")
                out["rows"] = {str(table.get_row_at(k)[0]) for k in range(table.row_count)}
                line = app.query_one("#line")
                line.value = "work north-it on org:north-city"
                await pilot.press("enter")
                await _until(pilot, lambda: "work north-it on org:north-city: done" in feed_text(app), "order done")
                line.value = "advance +1h"
                await pilot.press("enter")
                await _until(pilot, lambda: "cannot move the clock" in feed_text(app), "clock refused")
                await pilot.press("escape")  # leave the command line so that r opens the form
                app.set_focus(None)
                await pilot.press("r")
                await _until(pilot, lambda: isinstance(app.screen, ReportForm), "form open")
                out["form"] = [sid for sid, _status in app.screen.rows]
                await pilot.click("#submit")
                await _until(pilot, lambda: "report of north-city filed" in feed_text(app), "report filed")
            await control.wait_for(lambda s: any(r["org"] == "north-city" and r["counts"] for r in s["reports"]), timeout=20)
            out["reports"] = control.state["reports"]
            out["orders"] = control.state["orders"]
        finally:
            await control.close()
        return out

    try:
        out = asyncio.run(asyncio.wait_for(play(), 180))
    finally:
        server.stop()
    assert out["rows"] and out["rows"] <= NORTH
    assert out["form"] and set(out["form"]) <= NORTH  # the systems of its organization that it sees down
    row = next(r for r in out["reports"] if r["org"] == "north-city")
    assert row["seat"] == "north" and row["reports"] == 1
    assert row["counts"]["unreachable"] == len(out["form"]) and sum(row["counts"].values()) == len(NORTH)
    assert {"team": "north-it", "orders": ["work north-it on org:north-city"]} in out["orders"]

"""The seat app (``drillsim join``): a Textual client of the drill server showing only what the seat may know.

A thinner app than the single-screen drill app (:mod:`drillsim.tui`): the clock and the
connection, the seat's systems that are not up (its organizations' and teams', in its view), its
teams, its feed, the reports table of the seats it collects, and a command line taking the same
one-line commands as the drill app's console. ``r`` opens the situation report form (one row per
system of the seat's organization that is not up in its view, pre-filled from what the seat sees;
the others are reported normal), ``p`` asks the facilitator for a pause. Everything goes through
:class:`~drillsim.seats.client.SeatClient`; when the server goes away the header says the app is
reconnecting, and the state comes back when it returns. ``a`` lists the actions open to the seat
(its teams', on its systems) in the feed.
"""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Footer, Input, Label, RichLog, Select, Static

from .client import SeatClient, SeatRefused
from .reports import REPORT_STATUSES

__all__ = ["SeatApp", "ReportForm"]

_AS_REPORTED = {"up": "normal", "degraded": "malfunctioning", "fallback": "malfunctioning"}
FORM_ROWS = 40
"""Systems the report form lists one by one (the rest are reported normal)."""


class ReportForm(ModalScreen[dict[str, Any] | None]):
    """The situation report form of one organization: status, note and fallback per system."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, org: str, rows: list[tuple[str, str]]):
        super().__init__()
        self.org = org
        self.rows = rows[:FORM_ROWS]

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Label(f"Situation report of {self.org}: systems not listed are reported normal")
            with VerticalScroll():
                for k, (sid, status) in enumerate(self.rows):
                    with Horizontal(classes="row"):
                        yield Label(sid, classes="sid")
                        yield Select([(s, s) for s in REPORT_STATUSES], value=status, allow_blank=False, id=f"status-{k}")
                        yield Input(placeholder="note", id=f"note-{k}")
                        yield Input(placeholder="fallback in use", id=f"fallback-{k}")
            yield Button("Submit report", id="submit", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        systems: dict[str, Any] = {}
        for k, (sid, _status) in enumerate(self.rows):
            entry = {"status": self.query_one(f"#status-{k}", Select).value}
            for key in ("note", "fallback"):
                text = self.query_one(f"#{key}-{k}", Input).value.strip()
                if text:
                    entry[key] = text
            systems[sid] = entry
        self.dismiss({"org": self.org, "systems": systems, "default": "normal"})


SAID_LINES = 8
"""How many of the app's own lines stay in the feed when a new state redraws it."""


class SeatApp(App[None]):
    """One seat of a served drill (see the module docstring)."""

    TITLE = "drillsim join"
    CSS = """
    #top { height: 1; }
    #main { height: 1fr; }
    #systems { width: 2fr; }
    #side { width: 3fr; }
    #feed { height: 2fr; border: round $primary; }
    #reports, #teams { height: 1fr; border: round $secondary; }
    #form { padding: 1 2; background: $panel; height: 90%; width: 90%; }
    .row { height: 3; }
    .sid { width: 24; padding: 1 0; }
    """
    BINDINGS = [Binding("a", "actions", "Actions"), Binding("r", "report", "Report"), Binding("p", "pause", "Ask for a pause"), Binding("ctrl+q", "quit", "Quit")]

    def __init__(self, url: str, seat: str, token: str, client: SeatClient | None = None):
        super().__init__()
        self.client = client or SeatClient(url, seat, token)
        self.client.on_state = self._on_state
        self.client.on_status = self._on_status
        self.said: list[str] = []
        """The app's own lines (results, refusals), kept so that a new state's feed does not wipe them."""
        self.failure: str | None = None
        """Why the app could not go on (a refused seat, a server that never answered), printed on exit."""
        self.sub_title = f"seat {seat}"

    def compose(self) -> ComposeResult:
        yield Static("connecting...", id="top")
        with Horizontal(id="main"):
            yield DataTable(id="systems", cursor_type="row", zebra_stripes=True)
            with Vertical(id="side"):
                yield RichLog(id="feed", wrap=True, markup=False, max_lines=500)
                yield DataTable(id="teams")
                yield DataTable(id="reports")
        yield Input(placeholder="command: an order, act ACTION, decide DECISION OPTION (facilitator: advance +1h, fail ROOM, end)", id="line")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#systems", DataTable).add_columns("system", "status", "grade")
        self.query_one("#teams", DataTable).add_columns("team", "staff", "free", "running", "queued")
        self.query_one("#reports", DataTable).add_columns("organization", "last report", "normal", "unreachable", "malfunctioning")
        self.run_worker(self._connect(), exclusive=True, group="connect")
        self.query_one("#line", Input).focus()

    async def _connect(self) -> None:
        try:
            await self.client.connect()
        except SeatRefused as exc:
            self.failure = str(exc)
            self.exit()
        except Exception as exc:  # the server never answered
            self.failure = str(exc)
            self.exit()

    def _on_status(self, status: str) -> None:
        self.query_one("#top", Static).update(status)

    def _on_state(self, state: dict[str, Any]) -> None:
        counts = ", ".join(f"{n} {s}" for s, n in state["counts"].items() if n)
        view = "truth" if state["view"] == "truth" else "your view"
        self.query_one("#top", Static).update(f"{state['clock']} ({state['local_time']}) · {view}: {state['total']} systems, {counts}" + (" · ENDED" if state["ended"] else ""))
        table = self.query_one("#systems", DataTable)
        table.clear()
        for sid, status, grade in state["systems"]:
            table.add_row(sid, status, str(grade), key=sid)
        teams = self.query_one("#teams", DataTable)
        teams.clear()
        for t in state["teams"]:
            teams.add_row(t["team"], str(t["staff"]), str(t["free"]), str(len(t["running"])), str(len(t["queued"])))
        reports = self.query_one("#reports", DataTable)
        reports.clear()
        for row in state["reports"]:
            c = row["counts"] or {}
            reports.add_row(row["org"], row["when"], *(str(c.get(s, "-")) for s in REPORT_STATUSES))
        feed = self.query_one("#feed", RichLog)
        feed.clear()
        for _t, clock, _kind, _subject, text in state["feed"]:
            feed.write(f"{clock}  {text}")
        for notice in state.get("notices", []):  # the facilitator's: pauses asked for
            feed.write(f"!! {notice}")
        for decision in state["decisions"]:
            feed.write(f"DECISION {decision['id']}: {decision['prompt']} (decide {decision['id']} {'|'.join(o[0] for o in decision['options'])})")
        for text in self.said:
            feed.write(f">> {text}")

    def say(self, text: str) -> None:
        """A line in the feed from the app itself (a refusal, a result); the last few stay below the server's lines."""
        self.said = [*self.said, text][-SAID_LINES:]
        self.query_one("#feed", RichLog).write(f">> {text}")

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        line = event.value.strip()
        event.input.value = ""
        if line:
            await self._send(self.client.command(line), f"{line}: done")

    async def _send(self, request: Any, done: str) -> None:
        try:
            await request
        except Exception as exc:  # refused, or the link dropped: the seat sees why
            self.say(str(exc))
        else:
            self.say(done)

    def action_report(self) -> None:
        state = self.client.state
        if not state or not state["organizations"]:
            self.say("this seat files no situation reports (no organization of its own)")
            return
        org, members = next(iter(state["organizations"].items()))
        seen = {sid: status for sid, status, _grade in state["systems"]}
        rows = [(sid, _AS_REPORTED.get(seen[sid], "unreachable")) for sid in members if sid in seen and seen[sid] != "up"]

        async def submit(result: dict[str, Any] | None) -> None:
            if result is not None:
                await self._send(self.client.report(result["systems"], org=result["org"], default=result["default"]), f"report of {org} filed")

        self.push_screen(ReportForm(org, rows), submit)

    async def action_actions(self) -> None:
        """List the actions this seat may take now (its teams', on its systems) in the feed."""
        try:
            options = await self.client.read("actions")
        except Exception as exc:  # refused, or the link dropped
            self.say(str(exc))
            return
        ready = [o for o in options if o[5] != "no"]
        self.say(f"{len(ready)} actions open to you" + (" (act ACTION):" if ready else ""))
        for action_id, label, _team, _staff, _hours, status, reason in ready[:20]:
            self.say(f"  {action_id}  {label}" + (f"  [{status}: {reason}]" if status != "ready" else ""))

    async def action_pause(self) -> None:
        await self._send(self.client.pause(), "pause asked of the facilitator")

    async def on_unmount(self) -> None:
        await self.client.close()

"""Ask where to take the clock: ``+2h`` (from now), ``T+36h`` (after the start) or a local date-time."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ...drill import DrillSession, parse_time_target
from ...model import DrillsimError
from ...model.timefmt import fmt_elapsed

__all__ = ["GotoScreen"]


class GotoScreen(ModalScreen[float | None]):
    """Returns the target time in hours since the start (None: cancelled)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, session: DrillSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        now = self.session.now
        local = self.session.scenario.local_time(now).strftime("%Y-%m-%d %H:%M")
        with Vertical(id="dialog"):
            yield Label(f"Go to a time · now {fmt_elapsed(now)} ({local})", id="dialog-title")
            yield Input(placeholder="+2h   T+36h   " + local, id="when")
            yield Static("", id="error")
            yield Static("+90m, +2h: from now · T+36h, 1d12h: after the start · 2025-09-27 09:00: local time · Esc: cancel", id="dialog-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            target = parse_time_target(event.value, self.session.now, self.session.scenario)
        except DrillsimError as exc:
            self.query_one("#error", Static).update(str(exc))
            return
        self.dismiss(target)

    def action_cancel(self) -> None:
        self.dismiss(None)

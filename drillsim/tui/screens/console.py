"""The facilitator's console: injects while the drill plays, a hint, undo, and the end of the drill.

Opened with ``i``. It shows the hint (what the runbook would do next from the team's current
state, and why) and takes one line:

- ``say TEXT``, ``fail ID [for 2h]``, ``restore ID``, ``surge SEL x3 [for 6h]``: an inject now,
  journalled as the facilitator's (the report marks it so);
- ``hint``: the hint again; ``undo``: take back the team's last command (after a confirmation:
  the drill is rebuilt from its journal without it, same seed; the journal keeps it);
- ``end``: end the drill now (after a confirmation).

Returns what to do, ``(kind, text)``: the board carries it out through the session.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ...drill import DrillSession
from ...drill.facilitator import FACILITATOR_VERBS, parse_inject
from ...model import DrillsimError
from ...model.timefmt import fmt_elapsed
from ..suggest import CommandSuggester
from .confirm import ConfirmScreen

__all__ = ["ConsoleScreen", "CONSOLE_HELP"]

CONSOLE_HELP = (
    "say TEXT · fail DOMAIN|SYSTEM [for 2h] · restore DOMAIN|SYSTEM · surge SEL x3 [for 6h] · hint · undo · end · Esc: close"
)
"""The console's commands, as it shows them."""


class ConsoleScreen(ModalScreen[tuple[str, str] | None]):
    """The facilitator's console (see the module docstring)."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, session: DrillSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="console"):
            yield Label(f"Facilitator console · {fmt_elapsed(self.session.now)}", id="dialog-title")
            with VerticalScroll(id="hint-box"):
                yield Static(self.session.hint().text(), id="hint", markup=False)
            yield Input(placeholder="say The minister arrives at 09:00", id="console", suggester=CommandSuggester(self.session, (*FACILITATOR_VERBS, "hint", "undo", "end")))
            yield Static("", id="error", markup=False)
            yield Static(CONSOLE_HELP, id="dialog-help", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#error", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = " ".join(event.value.split())
        verb = text.split(" ", 1)[0].lower() if text else ""
        error = self.query_one("#error", Static)
        session = self.session
        if verb == "hint":
            self.query_one("#hint", Static).update(session.hint().text())
            self.query_one(Input).value = ""
        elif verb == "undo":
            target = session.undo_target()
            if target is None:
                error.update("nothing to undo: the team has given no command that can be undone")
                return
            at = fmt_elapsed(target.t) if target.t is not None else "?"
            self._confirm("Undo the team's last command?",
                          f"#{target.n} {target.describe()} (ended at {at}).\n\nThe drill is rebuilt from its journal without it: same "
                          "scenario, same seed, every other command again. The journal keeps the command and the undo.", ("undo", ""))
        elif verb == "end":
            self._confirm("End the drill now?", f"The drill ends at {fmt_elapsed(session.now)}; the after-action report covers it to "
                          "here, and the runbook and doing nothing are scored to here too.", ("end", ""))
        elif verb in FACILITATOR_VERBS:
            try:
                canonical, _action = parse_inject(text, session.sim, session.orders.selector)
            except DrillsimError as exc:
                error.update(str(exc))
                return
            self.dismiss(("inject", canonical))
        elif text:
            error.update(f"unknown command {verb!r}: {CONSOLE_HELP}")

    def _confirm(self, title: str, message: str, result: tuple[str, str]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(result)

        self.app.push_screen(ConfirmScreen(title, message), answered)

    def action_close(self) -> None:
        self.dismiss(None)

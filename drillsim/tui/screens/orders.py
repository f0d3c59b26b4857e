"""Give an order: one line (``work all by grade``, ``hold in:daejeon-room-7``), checked before it is given.

The dialog lists the orders in force, takes one line with completion of names, and says at once
what is wrong with it (an unknown team, site, grade or system, with the closest known one) or
that it would do nothing. A bulk action (``do restart on in:daejeon-room-[1-6]``) asks for one
confirmation that says how many actions it takes and how much staff. Returns the order to give
(the board gives it through the session, which journals it), or None.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ...drill import ORDER_VERBS, DrillSession
from ...model import DrillsimError
from ...model.timefmt import fmt_elapsed
from ..suggest import CommandSuggester
from .confirm import ConfirmScreen

__all__ = ["OrderScreen", "ORDER_HELP"]

ORDER_HELP = (
    "work TEAM|all [on SEL] [by PRIORITY] · stop TEAM [on SEL] · priority TEAM PRIORITY · hold SEL · release SEL|all · "
    "move N from TEAM to TEAM · aid TEAM · reserve N of TEAM for SEL · unreserve TEAM · define NAME SEL · "
    "do recover|restart|restore|failover|rebuild|fallback|repair on SEL\n"
    "SEL: all · in:DOMAIN (site:, room:) · grade:1-2 · org:ID · team:ID · sys:ID,ID · status:down · @NAME · !TERM (not); "
    "terms together: all of them; ids take * ? [1-6]\n"
    "PRIORITY: grade · grade:4,3,2,1 · demand · rto · a selection first, joined by 'then' · → takes the suggestion · Esc: cancel"
)
"""The order syntax, as the dialog shows it."""


class OrderScreen(ModalScreen[str | None]):
    """One order, checked as it is entered (see the module docstring)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, session: DrillSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        session = self.session
        lines = [line for team in session.orders.in_force() for line in team.orders]
        in_force = "\n".join(f"  {line}" for line in lines[:8]) + (f"\n  … {len(lines) - 8} more" if len(lines) > 8 else "")
        with Vertical(id="dialog"):
            yield Label(f"Orders · {fmt_elapsed(session.now)}", id="dialog-title")
            yield Static("In force:\n" + in_force if lines else "No order is in force: the team leads wait for one.", id="in-force", markup=False)
            yield Input(placeholder="work all by grade", id="order", suggester=CommandSuggester(session, ORDER_VERBS))
            yield Static("", id="error", markup=False)
            yield Static(ORDER_HELP, id="dialog-help", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#error", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            return
        try:
            prepared = self.session.preview(text)
        except DrillsimError as exc:
            self.query_one("#error", Static).update(str(exc))
            return
        if not prepared.confirm:
            self.dismiss(prepared.text)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(prepared.text)

        self.app.push_screen(ConfirmScreen(f"{prepared.actions} actions, {prepared.staff} staff", prepared.summary + "\n\nGive this order?"), answered)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""A yes/no question before a command that is hard to take back (a bulk action, undo, ending the drill)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

__all__ = ["ConfirmScreen"]


class ConfirmScreen(ModalScreen[bool]):
    """Shows what a command will do; returns True (y or Enter) or False (n or Esc)."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="dialog-title")
            yield Static(self.message, id="prompt", markup=False)
            yield Static("y or Enter: yes · n or Esc: no", id="dialog-help")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

"""A decision point from the scenario, put to the team as a modal dialog.

The options are listed with numbers (press 1-9, or move and press Enter); Escape leaves the
decision open, to be answered later with ``d``. The choice is journalled and takes effect in the
simulation (its effects are scheduled from the moment it is made).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ...model import Decision
from ...model.timefmt import fmt_elapsed

__all__ = ["DecisionScreen"]


class DecisionScreen(ModalScreen[str | None]):
    """Asks the team to choose one option of a decision point; returns its id (None: later)."""

    BINDINGS = [Binding("escape", "later", "Decide later")] + [
        Binding(str(k), f"choose({k - 1})", f"Option {k}", show=False) for k in range(1, 10)
    ]

    def __init__(self, decision: Decision, now: float, prompt: str | None = None) -> None:
        super().__init__()
        self.decision = decision
        self.now = now
        self.prompt = prompt if prompt is not None else decision.prompt
        """The prompt as the team reads it (its live figures counted when the decision opened)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Decision · {fmt_elapsed(self.now)}", id="dialog-title")
            yield Static(self.prompt.strip(), id="prompt", markup=False)
            yield OptionList(
                *[Option(f"{k}. {option.label}", id=option.id) for k, option in enumerate(self.decision.options, 1)],
                id="options",
                markup=False,
            )
            yield Static("1-9 or ↑↓ Enter: choose · Esc: decide later (d reopens it)", id="dialog-help")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_choose(self, k: int) -> None:
        if 0 <= k < len(self.decision.options):
            self.dismiss(self.decision.options[k].id)

    def action_later(self) -> None:
        self.dismiss(None)

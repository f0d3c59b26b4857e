"""The board's dialogs: give an order (``c``), answer decisions (``d``), the facilitator's console (``i``); the keys panel (``?``).

A mixin of :class:`~drillsim.tui.screens.board.BoardScreen`: every command goes through the
session (journalled before the board redraws), as the board's other keys do.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import HelpPanel

__all__ = ["BoardDialogs"]


class BoardDialogs:
    """Orders, decisions, the facilitator's console and the keys panel (mixed into the board, whose session, notify and _do they use)."""

    session: Any
    replay: bool
    playing: bool
    app: Any
    _shown_decisions: set[str]

    def action_orders(self) -> None:
        """Open the order dialog; give the order it returns."""
        if self.replay:
            self.notify("This is a replay: orders cannot be given.", severity="warning")
            return
        from .orders import OrderScreen

        def chosen(text: str | None) -> None:
            if text and self._do(self.session.order, text):
                said = self.session.orders.given[-1] if self.session.orders.given else text
                self.notify(said, title="Order given")

        self.app.push_screen(OrderScreen(self.session), chosen)

    def action_console(self) -> None:
        """Open the facilitator's console; carry out what it returns (an inject, undo, end)."""
        if self.replay:
            self.notify("This is a replay: the console is for a live drill.", severity="warning")
            return
        from .console import ConsoleScreen

        def chosen(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            kind, text = result
            if kind == "inject" and self._do(self.session.facilitate, text):
                self.notify(text, title="Inject (facilitator)")
            elif kind == "undo" and self._do(self.session.undo):
                notes = self.session.rebuild_notes
                self.notify("Rebuilt from the journal without it." + (f" No longer possible: {'; '.join(notes[:3])}" if notes else ""),
                            title="Undone", timeout=8)
            elif kind == "end" and self._do(self.session.end_drill):
                self.notify("The drill has ended: press r for the after-action report.", title="Drill over")

        self.app.push_screen(ConsoleScreen(self.session), chosen)

    def action_toggle_keys(self) -> None:
        """Show the keys panel, or hide it if it is shown."""
        if self.query(HelpPanel):
            self.app.action_hide_help_panel()
        else:
            self.app.action_show_help_panel()

    def orders_state(self) -> tuple[Any, tuple[int, int]]:
        """(the orders in force per team, (held, uncovered) detected problems) for the orders panel."""
        session = self.session
        return session.orders.in_force(), session.policy.idle_problems()

    # ------------------------------------------------------------------------------
    # Decisions
    # ------------------------------------------------------------------------------
    def check_decisions(self) -> None:
        """Pop up the first decision point that opened since the last check."""
        if self.replay:
            return
        for decision_id in self.session.pending_decisions:
            if decision_id not in self._shown_decisions:
                self._shown_decisions.add(decision_id)
                if self.playing:
                    self._set_playing(False)
                self.open_decision(decision_id)
                return

    def open_decision(self, decision_id: str) -> None:
        """Show the dialog of an open decision point."""
        from .decision import DecisionScreen

        decision = self.session.scenario.decision_index[decision_id]

        def chosen(option: str | None) -> None:
            if option is None:
                self.notify(f"Decision left open: {self.session.sim.prompts.get(decision_id, decision.prompt).strip()[:80]} (d to answer)", severity="warning")
                return
            if self._do(self.session.decide, decision_id, option):
                label = next(o.label for o in decision.options if o.id == option)
                self.notify(label, title="Decided")

        self.app.push_screen(DecisionScreen(decision, self.session.now, self.session.sim.prompts.get(decision_id)), chosen)

    def action_decisions(self) -> None:
        if self.replay:
            return
        pending = list(self.session.pending_decisions)
        if not pending:
            self.notify("No decision is open.")
            return
        self._shown_decisions.update(pending)
        self.open_decision(pending[0])

"""Situation reports per organization, collected from the simulation instead of phoned in.

"Of the 151 central systems we use: 67 normal, 46 unreachable, 38 malfunctioning; of our own 89:
82 normal, 7 malfunctioning through links" (Sejong city hall, 2025 fire), for every organization
of the scenario, with what changed since the previous report shown in this drill. Built by
:func:`drillsim.report.sitrep_from_view` from the session's status view, in the team's view or
the facilitator's.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...drill import DrillSession
from ...report import sitrep_from_view

__all__ = ["SitrepScreen"]

class SitrepScreen(Screen):
    """Every organization's status count now, and the changes since the last report opened here."""

    BINDINGS = [
        Binding("escape,o", "app.pop_screen", "Back to the board"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, session: DrillSession, truth: bool = False) -> None:
        super().__init__()
        self.session = session
        self.truth = truth

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="sitreps"):
            yield Static(id="sitrep-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sitrep-body", Static).update(self.build())

    def build(self) -> Any:
        """The reports as a Rich renderable (or why there are none)."""
        scenario = self.session.scenario
        if not scenario.organizations:
            return Text("This scenario names no organizations, so there are no situation reports.", style="dim")
        store: dict[bool, Any] = getattr(self.app, "previous_sitreps", {})
        previous = store.get(self.truth)
        report = sitrep_from_view(self.session.status_view(self.truth), previous=previous)
        store[self.truth] = report
        return report.table()

"""The clock bar: the scenario's local date-time, time since the start, play state, open decisions."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from ...model.timefmt import fmt_duration, fmt_elapsed, fmt_local

__all__ = ["Clock", "ViewMarker"]


class Clock(Widget):
    """``Fri 2025-09-26 20:20 KST  T+00:05  of 30d  ‖ paused  ? 1 decision open``.

    A one-line widget that renders its text (not a ``Static``: updating a Static asks the whole
    screen for a new layout, on every key, though the clock's size never changes).
    """

    DEFAULT_CSS = "Clock { height: 1; }"
    _text: Text = Text()

    def show(self, session, playing: bool, speed: str, replay: str | None = None) -> None:
        """Redraw from the session's state."""
        scenario = session.scenario
        now = session.now
        local = scenario.local_time(now)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(fmt_local(local, weekday=True), style="bold")
        text.append("  ")
        text.append(fmt_elapsed(now), style="bold reverse")
        text.append(f"  of {fmt_duration(session.end)}", style="dim")
        text.append("  ")
        if session.done:
            text.append("■ drill over (r: report)", style="bold yellow")
        elif playing:
            text.append(f"▶ playing {speed}", style="bold green")
        else:
            text.append("‖ paused", style="yellow")
        pending = len(session.pending_decisions)
        if pending and not session.read_only:
            text.append(f"  ? {pending} decision{'s' if pending > 1 else ''} open (d)", style="bold magenta")
        if replay:
            text.append(f"  {replay}", style="bold cyan")
        text.append(f"  {scenario.label}", style="dim")
        if text != self._text:
            self._text = text
            self.refresh()

    def render(self) -> Text:
        return self._text


class ViewMarker(Static):
    """Says whose view the board shows: the team's (fog of war) or the facilitator's (truth)."""

    def show(self, truth: bool) -> None:
        """Redraw for the view (the CSS class changes its colours too)."""
        self.set_class(truth, "-truth")
        text = " FACILITATOR VIEW · TRUTH (t) " if truth else " TEAM VIEW · fog of war (t) "
        if text != getattr(self, "_shown", None):
            self._shown = text
            self.update(text)

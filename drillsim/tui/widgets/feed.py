"""The feed of alerts, injects, messages and the team's own actions, newest at the bottom.

Reads the simulation's event journal incrementally (only the events since the last refresh). In
the team's view it shows what the team can see; in the facilitator's, everything. The log keeps
the last few hundred lines, and one refresh writes at most ``burst`` of them (a national fire
raises thousands of alerts at once; the rest are summed up in one line).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import RichLog

from ...engine import Event
from ...model.timefmt import fmt_elapsed

__all__ = ["EventFeed", "EVENT_LOOK"]

EVENT_LOOK: dict[str, tuple[str, str]] = {
    "inject": ("»", "bold yellow"),
    "message": ("✉", "yellow"),
    "decision": ("?", "bold magenta"),
    "decided": ("✔", "magenta"),
    "detected": ("!", "red"),
    "domain_down": ("✖", "red"),
    "domain_destroyed": ("✖", "bold red"),
    "domain_up": ("●", "green"),
    "system_down": ("✖", "red"),
    "system_degraded": ("◐", "yellow"),
    "system_up": ("●", "green"),
    "switchover": ("⇄", "cyan"),
    "task_queued": ("…", "yellow"),
    "task_started": ("↻", "cyan"),
    "task_done": ("✔", "green"),
    "task_failed": ("✘", "bold red"),
    "task_cancelled": ("✘", "yellow"),
    "fallback_on": ("✎", "magenta"),
    "fallback_off": ("✎", "dim"),
    "collapse": ("✖", "bold red"),
    "data_loss": ("⚠", "yellow"),
    "data_lost": ("⚠", "bold red"),
    "staff_arrived": ("+", "green"),
    "action": ("▶", "bold cyan"),
}
"""Symbol and colour of each event kind."""


def event_line(event: Event) -> Text:
    """``T+0:05 ! Alert: Login service is not serving`` (hidden events marked for the facilitator)."""
    symbol, style = EVENT_LOOK.get(event.kind, ("·", ""))
    text = Text(no_wrap=False)
    text.append(f"{fmt_elapsed(event.t):>11} ", style="dim")
    text.append(f"{symbol} ", style=style)
    text.append(event.text, style=style if event.kind in ("inject", "decision", "action", "data_lost") else "")
    if not event.visible:
        text.append("  (hidden)", style="dim italic")
    return text


class EventFeed(RichLog):
    """Append-only feed of events (fog of war in the team's view)."""

    def __init__(self, burst: int = 24, **kwargs) -> None:
        super().__init__(max_lines=400, min_width=20, wrap=True, markup=False, highlight=False, auto_scroll=True, **kwargs)
        self.burst = burst

    def add(self, events: list[Event], truth: bool) -> None:
        """Write new events in one go (at most ``burst`` of them; the earlier ones summed up in one line)."""
        shown = [e for e in events if truth or e.visible]
        if not shown:
            return
        lines: list[Text] = []
        if len(shown) > self.burst:
            skipped = len(shown) - self.burst
            kinds: dict[str, int] = {}
            for e in shown[:skipped]:
                kinds[e.kind] = kinds.get(e.kind, 0) + 1
            summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1])[:4])
            lines.append(Text(f"{fmt_elapsed(shown[skipped].t):>11} … {skipped} earlier events ({summary})", style="dim"))
            shown = shown[skipped:]
        lines.extend(event_line(event) for event in shown)
        self.write(Text("\n").join(lines))

    def reset(self, events: list[Event], truth: bool) -> None:
        """Clear and show the latest of ``events`` (after the view changes)."""
        self.clear()
        self.add(events, truth)

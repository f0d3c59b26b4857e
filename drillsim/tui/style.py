"""How statuses, times and names look on the drill screens: symbol AND colour, cell-width aware.

Every status is shown with its symbol (from :data:`drillsim.engine.SYMBOLS`) and a word, in its
colour: colour is never the only signal. Names may hold Korean (wide) characters, which take two
terminal cells each; :func:`fit` pads and cuts by cell width (rich's ``cell_len``), never by
``len``, so columns line up.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from ..engine import SYMBOLS, Status

__all__ = [
    "STATUS_STYLE",
    "STATUS_WORD",
    "status_text",
    "fit",
    "fmt_duration",
    "fmt_elapsed",
    "fmt_countdown",
]

STATUS_STYLE: dict[Status, str] = {
    Status.up: "green",
    Status.degraded: "yellow",
    Status.fallback: "magenta",
    Status.down: "bold red",
    Status.recovering: "cyan",
    Status.unknown: "bright_black",
}
"""Colour of each status (the symbol and the word carry the same meaning without colour)."""

STATUS_WORD: dict[Status, str] = {
    Status.up: "up",
    Status.degraded: "degraded",
    Status.fallback: "manual",
    Status.down: "down",
    Status.recovering: "recovering",
    Status.unknown: "unknown",
}
"""Short word for each status (``fallback`` reads 'manual': the service runs by hand)."""


def status_text(status: Status, word: bool = True, width: int | None = None) -> Text:
    """``✖ down`` in the status colour (optionally padded to ``width`` cells)."""
    label = f"{SYMBOLS[status]} {STATUS_WORD[status]}" if word else SYMBOLS[status]
    if width is not None:
        label = fit(label, width)
    return Text(label, style=STATUS_STYLE[status])


def fit(text: str, width: int, align: str = "left") -> str:
    """``text`` padded or cut to exactly ``width`` terminal cells (wide characters count two).

    A cut text ends with an ellipsis; a wide character that would straddle the edge is replaced
    by a space, so the result is always exactly ``width`` cells.
    """
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…"
    pad = " " * (width - length)
    return pad + text if align == "right" else text + pad


def fmt_duration(hours: float) -> str:
    """A duration for people: ``45m``, ``3h05m``, ``2d 04h``."""
    minutes = int(round(abs(hours) * 60))
    sign = "-" if hours < 0 and minutes else ""
    if minutes < 60:
        return f"{sign}{minutes}m"
    h, m = divmod(minutes, 60)
    if h < 48:
        return f"{sign}{h}h{m:02d}m"
    d, h = divmod(h, 24)
    return f"{sign}{d}d {h:02d}h"


def fmt_elapsed(hours: float) -> str:
    """Time since the scenario start: ``T+0:05``, ``T+1d 03:30``."""
    minutes = int(round(hours * 60))
    d, rest = divmod(minutes, 24 * 60)
    h, m = divmod(rest, 60)
    return f"T+{d}d {h:02d}:{m:02d}" if d else f"T+{h}:{m:02d}"


def fmt_countdown(remaining: float) -> str:
    """``1h20m left`` or ``breached 2h ago``."""
    if remaining >= 0:
        return f"{fmt_duration(remaining)} left"
    return f"over by {fmt_duration(-remaining)}"


def width_of(text: str) -> int:
    """Terminal cells ``text`` takes."""
    return cell_len(text)

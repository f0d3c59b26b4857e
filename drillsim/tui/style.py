"""How statuses, times and names look on the drill screens: symbol AND colour, cell-width aware.

Times and durations read as everywhere else in drillsim: the widgets format them with
:mod:`drillsim.model.timefmt` (``T+2d 12:00``, ``5h10m``).

Every status is shown with its symbol (from :data:`drillsim.engine.SYMBOLS`) and a word, in its
colour: colour is never the only signal. Names may hold Korean (wide) characters, which take two
terminal cells each; :func:`fit` pads and cuts by cell width (rich's ``cell_len``), never by
``len``, so columns line up.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from ..engine import SYMBOLS, Status
from ..model.timefmt import fmt_duration

__all__ = [
    "STATUS_STYLE",
    "STATUS_WORD",
    "status_text",
    "fit",
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


def fmt_countdown(remaining: float) -> str:
    """``1h20m left`` or ``over by 2h``."""
    if remaining >= 0:
        return f"{fmt_duration(remaining)} left"
    return f"over by {fmt_duration(-remaining)}"


def width_of(text: str) -> int:
    """Terminal cells ``text`` takes."""
    return cell_len(text)

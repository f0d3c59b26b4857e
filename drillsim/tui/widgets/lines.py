"""Building terminal lines fast: pieces of text with a style, fitted by cell width, as Textual strips.

The board's lists redraw on every key press; building each line through rich ``Text`` rendering
costs about a millisecond a line, building the segments directly a tenth of that. Styles are
parsed once and combined with the widget's base style once per redraw.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

__all__ = ["Piece", "StyleCache", "pieces_strip", "pieces_width"]

Piece = tuple[str, str]
"""(text, rich style definition); the text already fitted to its column by :func:`~drillsim.tui.style.fit`."""


@lru_cache(maxsize=256)
def _parse(definition: str) -> Style:
    return Style.parse(definition) if definition else Style()


class StyleCache:
    """Style definitions combined with a base style (the widget's colours), parsed once each."""

    def __init__(self, base: Style) -> None:
        self.base = base
        self._combined: dict[str, Style] = {}

    def get(self, definition: str) -> Style:
        """``base + Style.parse(definition)``, cached."""
        style = self._combined.get(definition)
        if style is None:
            style = self.base + _parse(definition)
            self._combined[definition] = style
        return style


def pieces_width(pieces: list[Piece]) -> int:
    """Terminal cells the pieces take."""
    return sum(cell_len(text) for text, _ in pieces)


def pieces_strip(pieces: list[Piece], width: int, styles: StyleCache, extra: str = "") -> Strip:
    """One line of exactly ``width`` cells (cut or padded with the base style); ``extra`` is added to every piece (e.g. 'reverse')."""
    segments = []
    used = 0
    for text, definition in pieces:
        if not text:
            continue
        style = styles.get(f"{definition} {extra}".strip() if extra else definition)
        segments.append(Segment(text, style))
        used += cell_len(text)
    strip = Strip(segments, used)
    if used != width:
        strip = strip.crop_extend(0, width, styles.get(extra) if extra else styles.base)
    return strip

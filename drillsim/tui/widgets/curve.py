"""The recovery curve, drawn in the terminal with block characters.

The share of the systems hit that serve again, over time since the start, as the board saw it
after each command (:meth:`BoardModel.curve`). Each column is one slice of time; eighth blocks
give each text row eight levels, so a four-row chart has 32.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ...drill.board import BoardModel, curve_at
from ...model.timefmt import fmt_elapsed

__all__ = ["RecoveryCurve", "draw_curve"]

_BLOCKS = " ▁▂▃▄▅▆▇█"


def draw_curve(values: list[float | None], rows: int) -> list[str]:
    """Rows of block characters (top first) drawing ``values`` (0..1; None: before the first sample)."""
    lines = [[" "] * len(values) for _ in range(rows)]
    for x, v in enumerate(values):
        if v is None:
            continue
        eighths = int(round(max(0.0, min(1.0, v)) * rows * 8))
        if eighths == 0:
            lines[rows - 1][x] = "▁" if v > 0 else "_"
            continue
        for r in range(rows):  # r = 0 is the bottom row
            level = max(0, min(8, eighths - r * 8))
            lines[rows - 1 - r][x] = _BLOCKS[level]
    return ["".join(line) for line in lines]


class RecoveryCurve(Widget):
    """Share of the hit systems serving again, from the start to now."""

    DEFAULT_CSS = """
    RecoveryCurve { height: 6; }
    """

    def __init__(self, board: BoardModel, **kwargs) -> None:
        super().__init__(**kwargs)
        self.board = board
        self.view = "team"

    def show(self, view: str) -> None:
        """Redraw for ``view``."""
        self.view = view
        self.refresh()

    def render(self) -> Text:
        board = self.board
        samples = board.curve(self.view)
        hit = board.affected(self.view)
        width = max(10, self.size.width - 5)
        rows = max(1, self.size.height - 2)
        now = board.now
        text = Text(no_wrap=True, overflow="crop")
        if not hit:
            text.append("no system hit yet", style="dim")
            return text
        span = max(now, 1e-9)
        times = [span * (x + 1) / width for x in range(width)]
        values = curve_at(samples, times)
        chart = draw_curve(values, rows)
        for r, line in enumerate(chart):
            label = "100%" if r == 0 else ("  0%" if r == rows - 1 else "    ")
            text.append(label + " ", style="dim")
            text.append(line, style="green")
            text.append("\n")
        serving = board.serving_again(self.view)
        left = "     " + fmt_elapsed(0.0)
        right = fmt_elapsed(now)
        pad = max(1, width + 5 - len(left) - len(right))
        text.append(left + " " * pad + right + "\n", style="dim")
        text.append(f"serving again: {serving} of {hit} hit ({serving / hit:.0%})", style="bold")
        return text

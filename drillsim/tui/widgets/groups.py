"""The system board: one row per site (or per grade), with how many systems are in each status.

Counts come from :class:`~drillsim.drill.board.BoardModel`, which keeps them per group
incrementally; this table has one row per group (a few dozen at most), so redrawing it is cheap
whatever the size of the model. Every count carries its status symbol as well as its colour; the
panel's subtitle is the legend.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from ...drill.board import BoardModel, GroupRow
from ...engine import SYMBOLS, Status
from ..style import STATUS_STYLE, STATUS_WORD, fit

__all__ = ["GroupBoard", "STATUS_COLUMNS", "legend"]

STATUS_COLUMNS = (Status.up, Status.degraded, Status.fallback, Status.down, Status.recovering, Status.unknown)
"""Status columns, in display order."""


def legend() -> Text:
    """'● up ◐ degraded ✎ manual ✖ down ↻ recovering ? unknown', each in its colour."""
    text = Text()
    for k, status in enumerate(STATUS_COLUMNS):
        if k:
            text.append(" ")
        text.append(f"{SYMBOLS[status]} {STATUS_WORD[status]}", style=STATUS_STYLE[status])
    return text


class GroupBoard(DataTable):
    """Sites or grades with their status counts; Enter on a row filters the system list to it."""

    def __init__(self, board: BoardModel, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, show_cursor=True, **kwargs)
        self.board = board
        self.grouping = "site"
        self.view = "team"
        self.keys_shown: list[int] = []

    def show(self, grouping: str, view: str) -> None:
        """Redraw for this grouping and view (keeps the cursor on the same row)."""
        self.grouping = grouping
        self.view = view
        rows = self.board.groups(grouping, view)
        cursor = self.cursor_row if self.row_count else 0
        cells = [self._counts(row) for row in rows]
        widths = [max([1] + [len(c[k]) for c in cells]) for k in range(len(STATUS_COLUMNS))]
        total_width = max([7] + [len(f"{row.total:,}") for row in rows])
        available = (self.size.width or 80) - 2
        used = total_width + sum(widths) + 2 * (len(STATUS_COLUMNS) + 2)
        name_width = max(10, min(36, available - used))
        self.clear(columns=True)
        self.add_column("site" if grouping == "site" else "grade", key="group", width=name_width)
        self.add_column(Text("systems", justify="right"), key="total", width=total_width)
        for status, width in zip(STATUS_COLUMNS, widths):
            self.add_column(Text(SYMBOLS[status], style=STATUS_STYLE[status], justify="right"), key=status.value, width=width)
        self.keys_shown = []
        for row, counts in zip(rows, cells):
            line = [Text(fit(row.label, name_width)), Text(f"{row.total:,}", justify="right")]
            for status, value in zip(STATUS_COLUMNS, counts):
                if row.counts[status]:
                    line.append(Text(value, style=STATUS_STYLE[status], justify="right"))
                else:
                    line.append(Text("·", style="dim", justify="right"))
            self.add_row(*line, key=str(row.key))
            self.keys_shown.append(row.key)
        if self.row_count:
            self.move_cursor(row=min(cursor, self.row_count - 1), animate=False)

    @staticmethod
    def _counts(row: GroupRow) -> list[str]:
        return [f"{SYMBOLS[s]} {row.counts[s]:,}" if row.counts[s] else "·" for s in STATUS_COLUMNS]

    def current_key(self) -> int | None:
        """The group under the cursor."""
        if not self.keys_shown or self.cursor_row < 0:
            return None
        return self.keys_shown[min(self.cursor_row, len(self.keys_shown) - 1)]

"""The system board: one row per site (or per grade), with how many systems are in each status.

Counts come from :class:`~drillsim.drill.board.BoardModel`, which keeps them per group
incrementally; this widget has one line per group (a few dozen at most) and draws them with
Textual's line API, so redrawing it is cheap whatever the size of the model. Every count carries
its status symbol as well as its colour; the panel's subtitle is the legend. Up/down move the
cursor, Enter (or a click) selects a group: the board then lists that group's systems only.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...drill.board import BoardModel, GroupRow
from ...engine import SYMBOLS, Status
from ..style import STATUS_STYLE, STATUS_WORD, fit
from .lines import Piece, StyleCache, pieces_strip

__all__ = ["GroupBoard", "STATUS_COLUMNS", "legend", "group_pieces"]

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


def _count(row: GroupRow, status: Status) -> str:
    n = row.counts[status]
    return f"{SYMBOLS[status]} {n:,}" if n else "·"


def group_pieces(rows: list[GroupRow], grouping: str, width: int) -> tuple[list[Piece], list[list[Piece]]]:
    """The header and one line per group, as (text, style) pieces fitted to ``width`` cells."""
    cells = [[_count(row, s) for s in STATUS_COLUMNS] for row in rows]
    widths = [max([1] + [len(c[k]) for c in cells]) for k in range(len(STATUS_COLUMNS))]
    total_width = max([7] + [len(f"{row.total:,}") for row in rows])
    used = total_width + sum(widths) + 2 * len(STATUS_COLUMNS) + 2
    name_width = max(10, min(40, width - used))
    header: list[Piece] = [(fit("site" if grouping == "site" else "grade", name_width), "bold"), ("  ", ""), (fit("systems", total_width, "right"), "bold")]
    for status, w in zip(STATUS_COLUMNS, widths):
        header += [("  ", ""), (fit(SYMBOLS[status], w, "right"), f"bold {STATUS_STYLE[status]}")]
    lines = []
    for row, counts in zip(rows, cells):
        line: list[Piece] = [(fit(row.label, name_width), ""), ("  ", ""), (fit(f"{row.total:,}", total_width, "right"), "")]
        for status, w, value in zip(STATUS_COLUMNS, widths, counts):
            line += [("  ", ""), (fit(value, w, "right"), STATUS_STYLE[status] if row.counts[status] else "dim")]
        lines.append(line)
    return header, lines


class GroupBoard(ScrollView, can_focus=True):
    """Sites or grades with their status counts; Enter on a row filters the system list to it."""

    DEFAULT_CSS = "GroupBoard { height: auto; }"

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("enter", "select", "Show this group's systems", show=False),
    ]

    cursor = reactive(0, always_update=True)

    class Selected(Message):
        """A group was chosen (Enter or a click)."""

        def __init__(self, key: int) -> None:
            super().__init__()
            self.key = key

    def __init__(self, board: BoardModel, **kwargs) -> None:
        super().__init__(**kwargs)
        self.board = board
        self.grouping = "site"
        self.view = "team"
        self.rows: list[GroupRow] = []
        self.keys_shown: list[int] = []
        self._header: list[Piece] = []
        self._lines: list[list[Piece]] = []
        self._built_for = -1
        self._style_cache: StyleCache | None = None

    def show(self, grouping: str, view: str) -> None:
        """Redraw for this grouping and view (keeps the cursor on the same row)."""
        changed_rows = grouping != self.grouping or not self.rows
        rows = self.board.groups(grouping, view)
        if not changed_rows and view == self.view and rows == self.rows:
            return  # nothing new to draw: no repaint
        self.grouping = grouping
        self.view = view
        self.rows = rows
        self.keys_shown = [row.key for row in self.rows]
        self._built_for = -1
        if self.cursor >= len(self.rows):
            self.cursor = max(0, len(self.rows) - 1)
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
        self.refresh(layout=changed_rows)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows) + 1

    def _build(self, width: int) -> None:
        if self._built_for != width:
            self._header, self._lines = group_pieces(self.rows, self.grouping, width)
            self._built_for = width

    def _styles(self) -> StyleCache:
        if self._style_cache is None:
            self._style_cache = StyleCache(self.rich_style)
        return self._style_cache

    def notify_style_update(self) -> None:
        self._style_cache = None
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        self._build(width)
        styles = self._styles()
        index = self.scroll_offset.y + y
        if index == 0:
            return pieces_strip(self._header, width, styles)
        k = index - 1
        if k >= len(self._lines):
            return Strip.blank(width, styles.base)
        extra = "reverse" if k == self.cursor and self.has_focus else ("on grey23" if k == self.cursor else "")
        return pieces_strip(self._lines[k], width, styles, extra)

    def on_resize(self) -> None:
        self._built_for = -1
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)

    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        height = max(1, self.scrollable_content_region.height)
        line = new + 1  # the header is line 0
        if line < top + 1:
            self.scroll_to(y=max(0, line - 1), animate=False)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False)
        self.refresh()

    def action_cursor(self, delta: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self.rows[self.cursor].key))

    def on_click(self, event: Click) -> None:
        k = event.y + self.scroll_offset.y - 1
        if 0 <= k < len(self.rows):
            self.cursor = k
            self.action_select()

    def current_key(self) -> int | None:
        """The group under the cursor."""
        return self.rows[self.cursor].key if self.rows else None

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

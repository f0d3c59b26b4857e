"""The list of touched systems, worst first: a virtual list that renders only the rows on screen.

A national fire can touch thousands of systems. The list holds only their indices (from
:meth:`BoardModel.rows`); each visible line is built when the terminal asks for it (Textual's
line API), with the per-system view fetched for those rows only and cached until the next
refresh. Columns are cut and padded by terminal cells, so Korean names line up.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from ...drill.board import BoardModel
from ...engine import SYMBOLS, SystemView
from ...model.timefmt import fmt_duration
from ..style import STATUS_STYLE, STATUS_WORD, fit, fmt_countdown
from .lines import Piece, StyleCache, pieces_strip

__all__ = ["SystemList", "SystemListHeader", "row_columns", "row_pieces", "format_row", "COLUMNS"]

COLUMNS = (("status", 12), ("G", 2), ("system", 0), ("down", 7), ("RTO", 14), ("work", 0))
"""Column titles and widths (0: shares the remaining width)."""


def row_columns(width: int) -> list[int]:
    """Cell widths of the columns for a list ``width`` cells wide (one space between columns)."""
    fixed = sum(w for _, w in COLUMNS if w) + len(COLUMNS) - 1
    rest = max(0, width - fixed)
    name = max(14, min(44, (rest * 11) // 20))
    work = max(0, rest - name)
    return [w if w else (name if title == "system" else work) for title, w in COLUMNS]


def row_pieces(view: SystemView, now: float, width: int) -> list[Piece]:
    """One line of the list as (text, style) pieces, each exactly its column's width in cells:
    status, grade, name, how long down, RTO countdown, work under way."""
    widths = row_columns(width)
    status = view.status
    pieces: list[Piece] = [(fit(f"{SYMBOLS[status]} {STATUS_WORD[status]}", widths[0]), STATUS_STYLE[status]), (" ", "")]
    pieces.append((fit(str(view.grade), widths[1], "right"), "bold" if view.grade == 1 else ""))
    pieces.append((" ", ""))
    name = ("⚠ " if view.data_lost else "") + ("⇠ " if view.through_links else "") + view.label
    pieces.append((fit(name, widths[2]), ""))
    pieces.append((" ", ""))
    down = view.down_since is not None and not status.serving
    pieces.append((fit(fmt_duration(now - view.down_since) if down else "", widths[3], "right"), ""))  # type: ignore[operator]
    pieces.append((" ", ""))
    if down:
        remaining = view.rto_hours - (now - view.down_since)  # type: ignore[operator]
        pieces.append((fit(fmt_countdown(remaining), widths[4], "right"), "bold red" if remaining < 0 else ""))
    else:
        pieces.append((fit(f"RTO {fmt_duration(view.rto_hours)}", widths[4], "right"), "dim"))
    pieces.append((" ", ""))
    task = view.task
    pieces.append((fit(f"{task['label']} ({task['state']})" if task else "", widths[5]), "cyan" if task else ""))
    return pieces


def format_row(view: SystemView, now: float, width: int) -> Text:
    """The same line as a rich Text (for tests and exports)."""
    text = Text(no_wrap=True, overflow="crop")
    for piece, style in row_pieces(view, now, width):
        text.append(piece, style=style)
    return text


class SystemListHeader(Static):
    """Column titles above the list (kept separate so they do not scroll)."""

    def render(self) -> Text:
        widths = row_columns(self.size.width or 80)
        return Text(" ".join(fit(title, w, "right" if title in ("G", "down", "RTO") else "left") for (title, _), w in zip(COLUMNS, widths)), style="bold")


class SystemList(ScrollView, can_focus=True):
    """Touched systems (not up, or hit and recovered), worst first; only visible rows are built."""

    DEFAULT_CSS = "SystemList { overflow-x: hidden; }"

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "cursor(-10)", "Page up", show=False),
        Binding("pagedown", "cursor(10)", "Page down", show=False),
        Binding("enter", "select", "Actions for system", show=False),
    ]

    cursor = reactive(0, always_update=True)

    class Selected(Message):
        """The user pressed Enter on a system."""

        def __init__(self, system_id: str, label: str) -> None:
            super().__init__()
            self.system_id = system_id
            self.label = label

    def __init__(self, board: BoardModel, **kwargs) -> None:
        super().__init__(**kwargs)
        self.board = board
        self.rows: list[int] = []
        self.view = "team"
        self._views: dict[int, SystemView] = {}
        self._style_cache: StyleCache | None = None
        self.rendered_rows = 0
        """How many rows were built since the list was created (for tests of the virtualization)."""

    def set_rows(self, rows: list[int], view: str) -> None:
        """Show these system indices (in this order) as seen in ``view``."""
        self.rows = rows
        self.view = view
        self._views.clear()
        self.virtual_size = Size(0, len(rows))
        if self.cursor >= len(rows):
            self.cursor = max(0, len(rows) - 1)
        self.refresh()

    def _view_of(self, i: int) -> SystemView:
        v = self._views.get(i)
        if v is None:
            v = self.board.system_view(i, self.view)
            self._views[i] = v
        return v

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        styles = self._styles()
        if index >= len(self.rows):
            if index == 0:
                return pieces_strip([("  nothing has happened to any system yet", "dim")], width, styles)
            return Strip.blank(width, styles.base)
        i = self.rows[index]
        self.rendered_rows += 1
        extra = "reverse" if index == self.cursor and self.has_focus else ""
        return pieces_strip(row_pieces(self._view_of(i), self.board.now, width), width, styles, extra)

    def _styles(self) -> StyleCache:
        if self._style_cache is None:
            self._style_cache = StyleCache(self.rich_style)
        return self._style_cache

    def notify_style_update(self) -> None:
        self._style_cache = None
        super().notify_style_update()

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.rows))

    def watch_cursor(self, old: int, new: int) -> None:
        if not self.rows:
            return
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height or 1
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + height:
            self.scroll_to(y=new - height + 1, animate=False)
        self.refresh()

    def action_cursor(self, delta: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def action_select(self) -> None:
        if self.rows and 0 <= self.cursor < len(self.rows):
            i = self.rows[self.cursor]
            self.post_message(self.Selected(self.board.system_id(i), self.board.label(i)))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


"""The list of touched systems, worst first: a virtual list that renders only the rows on screen.

A national fire can touch thousands of systems. The list holds only their indices (from
:meth:`BoardModel.rows`); each visible line is built when the terminal asks for it (Textual's
line API), with the per-system view fetched for those rows only and cached until the next
refresh. Columns are cut and padded by terminal cells, so Korean names line up.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from ...drill.board import BoardModel
from ...engine import SystemView
from ..style import fit, fmt_countdown, fmt_duration, status_text

__all__ = ["SystemList", "SystemListHeader", "row_columns", "COLUMNS"]

COLUMNS = (("status", 12), ("G", 2), ("system", 0), ("down", 7), ("RTO", 14), ("work", 0))
"""Column titles and widths (0: shares the remaining width)."""


def row_columns(width: int) -> list[int]:
    """Cell widths of the columns for a list ``width`` cells wide (one space between columns)."""
    fixed = sum(w for _, w in COLUMNS if w) + len(COLUMNS) - 1
    rest = max(0, width - fixed)
    name = max(14, min(44, (rest * 11) // 20))
    work = max(0, rest - name)
    return [w if w else (name if title == "system" else work) for title, w in COLUMNS]


def format_row(view: SystemView, now: float, width: int) -> Text:
    """One line of the list: status, grade, name, how long down, RTO countdown, work under way."""
    widths = row_columns(width)
    text = Text(no_wrap=True, overflow="crop")
    text.append_text(status_text(view.status, width=widths[0]))
    text.append(" ")
    text.append(fit(str(view.grade), widths[1], "right"), style="bold" if view.grade == 1 else "")
    text.append(" ")
    name = view.label + (" ⇠ links" if view.through_links else "") + (" ⚠ data lost" if view.data_lost else "")
    text.append(fit(name, widths[2]))
    text.append(" ")
    down = fmt_duration(now - view.down_since) if view.down_since is not None and not view.status.serving else ""
    text.append(fit(down, widths[3], "right"))
    text.append(" ")
    if view.down_since is not None and not view.status.serving:
        remaining = view.rto_hours - (now - view.down_since)
        text.append(fit(fmt_countdown(remaining), widths[4], "right"), style="bold red" if remaining < 0 else "")
    else:
        text.append(fit(f"RTO {fmt_duration(view.rto_hours)}", widths[4], "right"), style="dim")
    text.append(" ")
    task = view.task
    work = f"{task['label']} ({task['state']})" if task else ""
    text.append(fit(work, widths[5]), style="cyan" if task else "")
    return text


class SystemListHeader(Static):
    """Column titles above the list (kept separate so they do not scroll)."""

    def render(self) -> Text:
        widths = row_columns(self.size.width or 80)
        return Text(" ".join(fit(title, w, "right" if title in ("G", "down", "RTO") else "left") for (title, _), w in zip(COLUMNS, widths)), style="bold")


class SystemList(ScrollView, can_focus=True):
    """Touched systems (not up, or hit and recovered), worst first; only visible rows are built."""

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
        self.rendered_rows = 0
        """How many rows were built since the list was created (for tests of the virtualization)."""

    def set_rows(self, rows: list[int], view: str) -> None:
        """Show these system indices (in this order) as seen in ``view``."""
        self.rows = rows
        self.view = view
        self._views.clear()
        self.virtual_size = Size(self.size.width, len(rows))
        if self.cursor >= len(rows):
            self.cursor = max(0, len(rows) - 1)
        self.refresh()

    def _view_of(self, i: int) -> SystemView:
        v = self._views.get(i)
        if v is None:
            v = self.board.sim.system_view(i, truth=self.view == "truth")
            self._views[i] = v
        return v

    def render_line(self, y: int) -> Strip:
        scroll_y = self.scroll_offset.y
        index = scroll_y + y
        width = self.size.width
        base = self.rich_style
        if index >= len(self.rows):
            if index == 0:
                return Strip([Segment(fit("  nothing has happened to any system yet", width), base + Style(dim=True))], width)
            return Strip.blank(width, base)
        i = self.rows[index]
        text = format_row(self._view_of(i), self.board.sim.now, width)
        self.rendered_rows += 1
        if index == self.cursor and self.has_focus:
            text.stylize("reverse")
        segments = list(text.render(self.app.console))
        return Strip(segments).crop_extend(0, width, base)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))

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
            self.post_message(self.Selected(self.board.sim.compiled.sys_ids[i], self.board.label(i)))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


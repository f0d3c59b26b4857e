"""RTO countdowns for the detected systems that matter most (highest grade, least time left)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ...drill.board import BoardModel, RtoWatch
from ..style import fit, fmt_countdown, status_text

__all__ = ["RtoPanel"]


class RtoPanel(Widget):
    """Up to ``limit`` detected systems not serving, with the time left before their RTO."""

    DEFAULT_CSS = "RtoPanel { height: auto; }"

    def __init__(self, board: BoardModel, limit: int = 6, **kwargs) -> None:
        super().__init__(**kwargs)
        self.board = board
        self.limit = limit
        self.watch: list[RtoWatch] = []

    def show(self, view: str) -> None:
        """Recompute for ``view`` and redraw."""
        lines = len(self.watch)
        watch = self.board.rto_watch(view, self.limit)
        if watch == self.watch and lines:
            return  # nothing new to draw: no repaint
        self.watch = watch
        self.refresh(layout=max(1, len(self.watch)) != max(1, lines))

    def render(self) -> Text:
        width = max(30, self.size.width or 60)
        text = Text(no_wrap=True, overflow="ellipsis")
        if not self.watch:
            text.append("no detected system is down", style="dim")
            return text
        name_width = max(8, width - 2 - 3 - 15)
        for k, w in enumerate(self.watch):
            if k:
                text.append("\n")
            text.append_text(status_text(w.view.status, word=False))
            text.append(f" G{w.view.grade} ", style="bold" if w.view.grade == 1 else "")
            text.append(fit(w.view.label, name_width))
            text.append(fit(fmt_countdown(w.remaining), 15, "right"), style="bold red" if w.remaining < 0 else ("yellow" if w.remaining < 1 else "green"))
        return text

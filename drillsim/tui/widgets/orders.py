"""The orders in force, per team, and what each team's leads are doing because of them.

One line per team with orders or delegated work: its orders (``work on in:nirs-daejeon by
grade``, ``reserve 20 for grade:1``) and its delegated work running, queued for staff and
waiting. Then the holds, and the detected problems no order covers. With no order in force it
says how the drill is played: the team leads wait for orders.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ...drill import TeamOrders
from ..style import fit

__all__ = ["OrdersPanel", "NO_ORDERS"]

NO_ORDERS = "No orders: the team leads wait. Press c and give one, e.g. work all by grade (then advance)."
"""What the panel says before the first order."""


def _order_text(team: str, order: str) -> str:
    """An order as the panel shows it: without the team's own name ('work on in:X by grade')."""
    for prefix in (f"work {team} ", f"priority {team} ", "reserve "):
        if order.startswith(prefix):
            rest = order[len(prefix):]
            if prefix.startswith("work"):
                return "work " + rest.replace("on all by ", "by ").replace("on all", "everything")
            if prefix.startswith("priority"):
                return "first: " + rest
            return "reserve " + rest.replace(f" of {team}", "")
    return order


class OrdersPanel(Widget):
    """Orders in force and the delegated work they cause (see the module docstring)."""

    DEFAULT_CSS = "OrdersPanel { height: auto; }"

    def __init__(self, max_lines: int = 6, **kwargs) -> None:
        super().__init__(**kwargs)
        self.max_lines = max_lines
        self.teams: list[TeamOrders] = []
        self.idle: tuple[int, int] = (0, 0)
        self._lines = -1

    def show(self, teams: list[TeamOrders], idle: tuple[int, int]) -> None:
        """Redraw from the session's orders in force and its (held, uncovered) detected problems."""
        if teams == self.teams and idle == self.idle and self._lines >= 0:
            return  # nothing new to draw: no repaint
        self.teams = teams
        self.idle = idle
        lines = max(1, min(self.max_lines, len(teams) + (1 if any(idle) else 0)))
        self.refresh(layout=lines != self._lines)
        self._lines = lines

    def render(self) -> Text:
        width = max(30, self.size.width or 60)
        text = Text(no_wrap=True, overflow="ellipsis")
        if not self.teams:
            text.append(fit(NO_ORDERS, width), style="bold yellow")
            return text
        rows: list[list[tuple[str, str]]] = []
        holds = [t for t in self.teams if t.team == "holds"]
        for team in self.teams:
            if team.team == "holds":
                continue
            name = "all teams" if team.team == "all" else team.team
            orders = " · ".join(_order_text(team.team, o) for o in team.orders) or "(delegated work only)"
            work = []
            if team.running:
                work.append(f"↻{team.running}")
            if team.queued:
                work.append(f"…{team.queued}")
            if team.waiting:
                work.append(f"◌{team.waiting}")
            doing = " ".join(work)
            head = fit(name, 16) + " "
            room = max(8, width - len(head) - len(doing) - 1)
            rows.append([(head, "bold"), (fit(orders, room), ""), (" " + doing if doing else "", "cyan")])
        held, uncovered = self.idle
        tail = []
        if holds:
            tail.append(" · ".join(holds[0].orders) + (f" ({held} waiting)" if held else ""))
        if uncovered:
            tail.append(f"{uncovered} detected problems no order covers")
        if tail:
            rows.append([(fit(" · ".join(tail), width), "yellow")])
        if len(rows) > self.max_lines:
            hidden = len(rows) - self.max_lines + 1
            rows = rows[: self.max_lines - 1] + [[(f"+{hidden} more (c lists every order)", "dim")]]
        for k, row in enumerate(rows):
            if k:
                text.append("\n")
            for piece, style in row:
                text.append(piece, style=style)
        return text

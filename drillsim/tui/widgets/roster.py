"""The team roster: staff free and busy, work in progress with its expected end, work queued or waiting.

In the team's view a task's end is the team's estimate (``ends ~T+...``: the runbook's expected
duration); the facilitator's view shows when it will really end.

A national model has hundreds of teams: only those with work are listed (most loaded first), the
idle ones are summed up in one line.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ...model.timefmt import fmt_elapsed
from ..style import fit

__all__ = ["Roster"]


def _team_work(teams: list[dict], tasks: list[dict]) -> list[tuple[dict, list[dict], list[dict]]]:
    """(team, its running tasks, its other open tasks) for teams with work, the busiest first."""
    running: dict[str, list[dict]] = {}
    other: dict[str, list[dict]] = {}
    for task in tasks:
        team = task.get("team")
        if team is None:
            continue
        (running if task["state"] == "running" else other).setdefault(team, []).append(task)
    busy = [
        (t, running.get(t["team"], []), other.get(t["team"], []))
        for t in teams
        if running.get(t["team"]) or other.get(t["team"]) or t["free"] < t["staff"] or t["queued"]
    ]
    busy.sort(key=lambda x: (-(x[0]["staff"] - x[0]["free"]), -len(x[2])))
    return busy


class Roster(Widget):
    """Teams with work, their staff bar, running tasks with their expected end, and what waits."""

    DEFAULT_CSS = "Roster { height: auto; }"

    def __init__(self, limit: int = 8, max_lines: int = 10, **kwargs) -> None:
        super().__init__(**kwargs)
        self.limit = limit
        self.max_lines = max_lines
        self.teams: list[dict] = []
        self.tasks: list[dict] = []
        self.truth = False
        self._lines = -1
        self._text = Text()

    def show(self, teams: list[dict], tasks: list[dict], truth: bool = False) -> None:
        """Redraw from ``Simulation.teams()`` and ``Simulation.tasks()``; ``truth``: real end times, else the team's estimates."""
        self.teams = teams
        self.tasks = tasks
        self.truth = truth
        text = self.build(max(30, self.size.width or 60))
        if text == self._text and self._lines >= 0:
            return  # nothing new to draw: no repaint
        self._text = text
        lines = self._lines
        self._lines = self._text.plain.count("\n") + 1
        self.refresh(layout=self._lines != lines)

    def on_resize(self) -> None:
        self._text = self.build(max(30, self.size.width or 60))

    def build(self, width: int) -> Text:
        """The roster as text, ``width`` cells wide."""
        teams = self.teams
        text = Text(no_wrap=True, overflow="ellipsis")
        if not teams:
            text.append("no teams in this scenario", style="dim")
            return text
        work = _team_work(teams, self.tasks)
        small = len(teams) <= self.limit
        shown = work[: self.limit]
        if small:  # few teams: list them all, idle ones too
            listed = {t["team"] for t, _, _ in shown}
            shown += [(t, [], []) for t in teams if t["team"] not in listed]
        blocks: list[list[list[tuple[str, str]]]] = []
        for team, running, other in shown:
            staff, free = team["staff"], team["free"]
            busy = staff - free
            bar = "●" * min(busy, 12) + "○" * min(free, max(0, 12 - busy))
            head = [
                (fit(team["label"], max(10, width - 34)), "bold"),
                (f" {bar:<12}", "cyan"),
                (f" {free}/{staff} free", "green" if free else "yellow"),
                ("" if team["on_site"] else " off-site", "dim"),
            ]
            block = [head]
            for task in running[:2]:
                ends = task.get("expected_end" if self.truth else "estimated_end")
                end = f", ends {fmt_elapsed(ends)}" if ends is not None else ""
                end = end if self.truth or not end else end.replace("ends", "ends ~")
                block.append([(fit(f"  ↻ {task['label']} ({task['staff']} staff{end})", width), "cyan")])
            rest = []
            if len(running) > 2:
                rest.append(f"{len(running) - 2} more running")
            queued = sum(1 for t in other if t["state"] in ("queued", "new"))
            waiting = len(other) - queued
            if queued:
                rest.append(f"{queued} queued for staff")
            if waiting:
                rest.append(f"{waiting} waiting (lead time or conditions)")
            if rest:
                block.append([(fit("  … " + ", ".join(rest), width), "yellow")])
            blocks.append(block)
        # Fit the panel: whole teams while they fit in the line budget, then one summary line.
        lines: list[list[tuple[str, str]]] = []
        listed = 0
        for block in blocks:
            if lines and len(lines) + len(block) > self.max_lines - 1:
                break
            lines.extend(block)
            listed += 1
        at_work_hidden = max(0, min(len(work), len(blocks)) - listed) + max(0, len(work) - len(blocks))
        idle = len(teams) - len(work) if not small else max(0, len(blocks) - listed)
        if at_work_hidden or (not small and idle):
            parts = ([f"+{at_work_hidden} more team{'s' if at_work_hidden != 1 else ''} at work"] if at_work_hidden else []) + ([f"{idle} idle"] if idle else [])
            lines.append([(", ".join(parts), "dim")])
        for k, line in enumerate(lines):
            if k:
                text.append("\n")
            for piece, style in line:
                text.append(piece, style=style)
        return text

    def render(self) -> Text:
        return self._text

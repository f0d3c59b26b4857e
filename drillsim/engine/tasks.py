"""Tasks: pieces of work in progress (a recovery step, a domain repair, a manual fallback).

A task is created by the work that carries it out (:mod:`.recovery`) and registered with the
world (:meth:`~drillsim.engine.world.World.add_task`), which lists it for displays. Its fields
follow its life (:class:`~drillsim.engine.kinds.TaskState`); the methods below are the only
way they change.
"""

from __future__ import annotations

import itertools
from typing import Any

import simpy

from ..model.systems import RecoveryOption
from .kinds import ACTIVE, PENDING, TaskKind, TaskState
from .teams import StaffRequest

__all__ = ["Task"]

_TASK_IDS = itertools.count(1)


class Task:
    """A piece of work in progress: a recovery step, a domain repair, a fallback."""

    def __init__(
        self, kind: TaskKind, label: str, team: int, team_id: str | None, staff: int, priority: tuple[Any, ...], subject: str, now: float
    ):
        self.id = next(_TASK_IDS)
        self.kind = kind
        self.label = label
        self.team = team
        """Index of the team doing it (-1: front-line staff outside the recovery teams)."""
        self.team_id = team_id
        self.staff = staff
        self.priority = priority
        self.subject = subject
        """The id of the system or domain concerned."""
        self.state = TaskState.new
        self.reason = ""
        """Why it waits, or why it failed or was cancelled."""
        self.queued_at = now
        self.started_at: float | None = None
        self.expected_end: float | None = None
        """When the hands-on work will end (the truth: the facilitator's view)."""
        self.estimated_end: float | None = None
        """When the team expects it to end (the runbook's expected duration: the team's view)."""
        self.ended_at: float | None = None
        self.req: StaffRequest | None = None
        """The staff it holds or waits for."""
        self.process: simpy.Process | None = None
        self.option: RecoveryOption | None = None
        """The runbook option it carries out (recoveries)."""
        self.system: int = -1
        """The system concerned (-1: a domain repair)."""

    @property
    def active(self) -> bool:
        """Not finished, failed or cancelled."""
        return self.state in ACTIVE

    def wait(self, state: TaskState, reason: str) -> None:
        """Enter a waiting state (lead time, a condition, staff) with the reason shown."""
        self.state = state
        self.reason = reason

    def start(self, now: float, hours: float, estimate: float | None = None) -> None:
        """The hands-on work starts: it will take ``hours``; the team expects ``estimate`` (default: ``hours``)."""
        self.state = TaskState.running
        self.reason = ""
        self.started_at = now
        self.expected_end = now + hours
        self.estimated_end = now + (hours if estimate is None else estimate)
        if self.req is not None:
            self.req.expected_end = self.expected_end

    def serve(self, now: float) -> None:
        """A fallback starts serving (its reason, the activation, stays shown)."""
        self.state = TaskState.running
        self.started_at = now

    def end(self, state: TaskState, now: float | None, reason: str | None = None) -> None:
        """The task ends in ``state`` (``now`` None: no end time yet; ``reason`` None: unchanged)."""
        self.state = state
        if reason is not None:
            self.reason = reason
        if now is not None:
            self.ended_at = now

    def cancel(self, why: str = "cancelled") -> bool:
        """Cancel a task that has not started its hands-on work; return whether it was cancelled."""
        if self.state not in PENDING or self.process is None:
            return False
        self.process.interrupt(why)
        return True

    def snapshot(self) -> dict[str, Any]:
        """A JSON-friendly view for displays."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "label": self.label,
            "subject": self.subject,
            "team": self.team_id,
            "staff": self.staff,
            "state": self.state.value,
            "reason": self.reason,
            "started_at": self.started_at,
            "expected_end": self.expected_end,
            "estimated_end": self.estimated_end,
        }

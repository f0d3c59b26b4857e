"""Typed constants of the engine: event kinds, task kinds and states, how feasible an option is.

Every member is a ``str`` (``StrEnum``), so an event kind or a task state compares equal to the
text the journal, the JSON output and the displays have always used (``"task_done"``,
``"queued"``). Statuses of systems are in :mod:`.status`; action kinds in :mod:`.actions`.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["EventKind", "TaskKind", "TaskState", "Feasibility", "PENDING", "ACTIVE"]


class EventKind(StrEnum):
    """What a journal entry records (:class:`~drillsim.engine.events.Event` ``kind``)."""

    inject = "inject"
    message = "message"
    decision = "decision"
    decided = "decided"
    domain_down = "domain_down"
    domain_destroyed = "domain_destroyed"
    domain_up = "domain_up"
    system_down = "system_down"
    system_degraded = "system_degraded"
    system_up = "system_up"
    detected = "detected"
    switchover = "switchover"
    task_queued = "task_queued"
    task_started = "task_started"
    task_done = "task_done"
    task_failed = "task_failed"
    task_cancelled = "task_cancelled"
    fallback_on = "fallback_on"
    fallback_off = "fallback_off"
    collapse = "collapse"
    data_loss = "data_loss"
    data_lost = "data_lost"
    staff_arrived = "staff_arrived"
    action = "action"


class TaskKind(StrEnum):
    """What a task is: a recovery step, a domain repair, a manual fallback."""

    recover = "recover"
    repair = "repair"
    fallback = "fallback"


class TaskState(StrEnum):
    """Where a task is in its life."""

    new = "new"
    """Created, not yet looked at."""
    lead = "lead"
    """In a lead time without staff (procurement, a fallback's activation)."""
    waiting = "waiting"
    """Waiting for a condition (a domain, a tool, a copy of the data)."""
    queued = "queued"
    """Waiting for staff."""
    running = "running"
    """Hands-on work under way (a fallback: serving)."""
    reentry = "reentry"
    """A fallback stood down, its staff working off the re-entry backlog."""
    done = "done"
    failed = "failed"
    cancelled = "cancelled"


PENDING = frozenset({TaskState.new, TaskState.lead, TaskState.waiting, TaskState.queued})
"""States of a task whose hands-on work has not started (it can still be cancelled or replanned)."""

ACTIVE = PENDING | {TaskState.running}
"""States of a task that is not finished, failed or cancelled."""


class Feasibility(StrEnum):
    """Whether an option (a recovery step, a drill action) can be carried out now."""

    ready = "ready"
    """It can start as soon as staff are free."""
    wait = "wait"
    """It will become possible (a domain must come back, a tool must be up)."""
    no = "no"
    """Impossible now (the reason says why)."""

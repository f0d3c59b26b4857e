"""The run's event journal: everything that happened, when, and whether the players could see it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import simpy

from .kinds import EventKind

__all__ = ["Event", "Journal", "LogFn"]


@dataclass(slots=True)
class Event:
    """One entry of the event journal.

    ``kind`` is one of the :class:`~drillsim.engine.kinds.EventKind` values: inject, message,
    decision, decided, domain_down, domain_destroyed, domain_up, system_down, system_degraded,
    system_up, detected, switchover, task_queued, task_started, task_done, task_failed,
    task_cancelled, fallback_on, fallback_off, collapse, data_loss, data_lost, staff_arrived,
    action.
    """

    t: float
    """Hours since the scenario start."""
    kind: str
    """What happened (see the class docstring)."""
    subject: str
    """The id of the system, domain, team or decision concerned."""
    text: str
    """A sentence for people."""
    visible: bool = True
    """Whether the drill team sees it (fog of war: undetected failures are not visible)."""
    data: dict[str, Any] = field(default_factory=dict)
    """Extra machine-readable details."""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        out = asdict(self)
        if not out["data"]:
            del out["data"]
        return out


class LogFn(Protocol):
    """The signature of :meth:`Journal.log` (components keep the bound method)."""

    def __call__(self, kind: EventKind, subject: str, text: str, visible: bool = True, **data: Any) -> None:
        """Append an event to the journal."""
        ...


class Journal:
    """The event journal of one run, and how many events were logged (recorded or not)."""

    __slots__ = ("env", "record", "events", "n_logged", "n_visible")

    def __init__(self, env: simpy.Environment, record: bool):
        self.env = env
        self.record = record
        """Whether events are kept (batches count them only)."""
        self.events: list[Event] = []
        self.n_logged = 0
        """Events logged so far, recorded or not (for stepping)."""
        self.n_visible = 0
        """Of which the drill team could see."""

    def log(self, kind: EventKind, subject: str, text: str, visible: bool = True, **data: Any) -> None:
        """Append an event to the journal (when events are recorded); count it in any case."""
        self.n_logged += 1
        if visible:
            self.n_visible += 1
        if self.record:
            # ``_value_``: the member's text without the enum descriptor's lookup (the same str).
            self.events.append(Event(self.env.now, kind._value_, subject, text, visible, data))

    def count(self, visible: bool = True) -> None:
        """Count an event that is not recorded (callers skip formatting its text when ``record`` is off)."""
        self.n_logged += 1
        if visible:
            self.n_visible += 1

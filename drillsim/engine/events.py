"""The run's event journal: everything that happened, when, and whether the players could see it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Event"]


@dataclass(slots=True)
class Event:
    """One entry of the event journal.

    ``kind`` is one of: inject, message, decision, decided, domain_down, domain_destroyed,
    domain_up, system_down, system_degraded, system_up, detected, switchover, task_queued,
    task_started, task_done, task_failed, task_cancelled, fallback_on, fallback_off, collapse,
    data_loss, data_lost, staff_arrived, action.
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

"""What state a system is in, as the engine knows it and as the drill team sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

__all__ = ["Status", "SYMBOLS", "SystemView"]


class Status(str, Enum):  # noqa: UP042 - a StrEnum would change str(status) for every caller
    """A system's state. Every state has a symbol, so displays never rely on colour alone."""

    up = "up"
    degraded = "degraded"
    fallback = "fallback"
    down = "down"
    recovering = "recovering"
    unknown = "unknown"

    @property
    def serving(self) -> bool:
        """Whether the system serves its users (at or above its threshold)."""
        return self in (Status.up, Status.degraded)


SYMBOLS = {
    Status.up: "●",
    Status.degraded: "◐",
    Status.fallback: "✎",
    Status.down: "✖",
    Status.recovering: "↻",
    Status.unknown: "?",
}
"""One symbol per status, for terminal boards and reports."""


@dataclass(slots=True)
class SystemView:
    """One system as a viewer sees it."""

    id: str
    label: str
    grade: int
    status: Status
    share: float
    detected: bool
    rto_hours: float
    down_since: float | None
    site: str | None
    through_links: bool = False
    data_lost: bool = False
    task: dict[str, Any] | None = field(default=None)

"""What state a system is in, as the engine knows it and as the drill team sees it."""

from __future__ import annotations

from enum import Enum

__all__ = ["Status", "SYMBOLS"]


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

"""What the world tells the deciders: the hooks a policy implements (:mod:`.policy`)."""

from __future__ import annotations

from typing import Protocol

from .tasks import Task

__all__ = ["PolicyHooks"]


class PolicyHooks(Protocol):
    """Called by the world when something the deciders should know about happens."""

    name: str
    """The policy's name in results (auto, manual, none)."""

    def on_detected(self, i: int) -> None:
        """System ``i``'s problem has been detected (or got worse while watched)."""
        ...

    def on_domain_detected(self, d: int) -> None:
        """A domain's failure has been noticed."""
        ...

    def on_domain_restored(self, d: int) -> None:
        """A domain is back."""
        ...

    def on_task_ended(self, task: Task) -> None:
        """A task is done or failed."""
        ...

    def on_conditions_changed(self) -> None:
        """Capacity or runbook preferences changed: stuck work may be possible now."""
        ...

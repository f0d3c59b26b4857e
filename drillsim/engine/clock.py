"""Time helpers of a run: calling a function later, and waiting for a condition to change."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import simpy

__all__ = ["schedule", "Waiters"]


def schedule(env: simpy.Environment, delay: float, fn: Callable[..., Any], *args: Any) -> simpy.Event:
    """Call ``fn(*args)`` after ``delay`` hours (a bare timeout with a callback: cheaper than a process)."""
    event = env.timeout(max(0.0, delay))
    event.callbacks.append(lambda _e: fn(*args))
    return event


class Waiters:
    """Events to fire when a condition may have changed, by condition key (``("domain", d)``...)."""

    __slots__ = ("env", "waiting")

    def __init__(self, env: simpy.Environment):
        self.env = env
        self.waiting: dict[Hashable, list[simpy.Event]] = {}

    def wait_for(self, key: Hashable) -> simpy.Event:
        """An event fired the next time the condition ``key`` may have changed."""
        event = self.env.event()
        self.waiting.setdefault(key, []).append(event)
        return event

    def notify(self, key: Hashable) -> None:
        """Wake everything waiting on ``key``."""
        events = self.waiting.pop(key, None)
        if events:
            for event in events:
                if not event.triggered:
                    event.succeed()

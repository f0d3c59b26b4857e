"""An order checked against the drill as it is now: what it will do, and how to do it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Prepared"]


@dataclass
class Prepared:
    """An order checked against the drill now (:meth:`drillsim.drill.orders.OrderBook.prepare`)."""

    verb: str
    """The order's first word (work, hold, do, ...)."""
    text: str
    """The order as journalled (spaces normalised)."""
    summary: str
    """What it will do, in a sentence."""
    run: Callable[[], str] = field(repr=False)
    """Carry it out; returns what the feed says."""
    confirm: bool = False
    """Whether the app asks before it is given (bulk actions)."""
    actions: int = 0
    """Bulk: how many actions it takes."""
    staff: int = 0
    """Bulk: how many staff they take in all."""

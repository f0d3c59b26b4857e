"""Recovery kinds: one handler per kind of runbook step, registered here.

The recovery work (:mod:`.work`) assesses and applies a step through :func:`handler`. To add a
kind, see docs/extending.md.
"""

from __future__ import annotations

from ...model.systems import RecoveryKind
from .base import RecoveryHandler
from .failover import Failover
from .rebuild import Rebuild
from .restart import Restart
from .restore import Restore

__all__ = ["HANDLERS", "handler"]

HANDLERS: dict[RecoveryKind, RecoveryHandler] = {h.kind: h for h in (Failover(), Restore(), Restart(), Rebuild())}
"""The handler of every recovery kind, by kind."""


def handler(kind: RecoveryKind) -> RecoveryHandler:
    """The handler of recovery kind ``kind``."""
    return HANDLERS[kind]

"""Recovery: runbook steps carried out by staff, domain repairs and manual fallbacks.

- :mod:`.base`: assessing an option (ready, wait, no, with the reason) and what kinds share;
- :mod:`.kinds`: the handler of each recovery kind (:mod:`.failover`, :mod:`.restart`,
  :mod:`.restore`, :mod:`.rebuild`), registered in one place;
- :mod:`.work`: choosing and carrying out a system's runbook options as tasks;
- :mod:`.repair`: domain repairs; :mod:`.fallback`: manual fallbacks.
"""

from __future__ import annotations

from ..runbook import IMPLICIT_RESTART
from .base import NO, READY, WAIT, Assessment, RecoveryHandler
from .fallback import end_fallback, start_fallback
from .kinds import HANDLERS, handler
from .repair import start_domain_repair
from .work import assess, option_label, options_for, start_recovery

__all__ = [
    "READY",
    "WAIT",
    "NO",
    "Assessment",
    "RecoveryHandler",
    "HANDLERS",
    "handler",
    "options_for",
    "assess",
    "option_label",
    "start_recovery",
    "start_domain_repair",
    "start_fallback",
    "end_fallback",
    "IMPLICIT_RESTART",
]

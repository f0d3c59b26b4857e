"""Redundancy modes, engine side: one module per mode, registered here.

The compiled model keeps each system's behaviour (:attr:`CompiledModel.redundancy
<drillsim.engine.compiled.CompiledModel.redundancy>`), so the rules find it by index. The
model-side rules of each mode are registered in :mod:`drillsim.model.redundancy`. To add a mode,
see docs/extending.md.
"""

from __future__ import annotations

from ...model.systems import RedundancyMode
from .active_active import ActiveActive
from .active_standby import ActiveStandby
from .base import ModeBehaviour, Replicas, Replicated
from .cold_standby import ColdStandby
from .none import NoRedundancy

__all__ = ["BEHAVIOURS", "ModeBehaviour", "Replicas", "Replicated", "behaviour"]

BEHAVIOURS: dict[RedundancyMode, ModeBehaviour] = {b.mode: b for b in (NoRedundancy(), ActiveActive(), ActiveStandby(), ColdStandby())}
"""The engine behaviour of every redundancy mode, by mode."""


def behaviour(mode: RedundancyMode) -> ModeBehaviour:
    """The engine behaviour of ``mode``."""
    return BEHAVIOURS[mode]

"""Redundancy modes, model side: one module per mode, registered here.

Validation, the static blast radius (:mod:`drillsim.model.spof`), compiled default capacities
and report advice find a mode's rules through :func:`mode_rules`. The engine's behaviour of each
mode is registered in :mod:`drillsim.engine.redundancy`. To add a mode, see docs/extending.md.
"""

from __future__ import annotations

from ..systems import RedundancyMode
from .active_active import ActiveActive
from .active_standby import ActiveStandby
from .base import ModeFinding, ModeRules
from .cold_standby import ColdStandby
from .none import NoRedundancy

__all__ = ["MODES", "ModeFinding", "ModeRules", "mode_rules"]

MODES: dict[RedundancyMode, ModeRules] = {rules.mode: rules for rules in (NoRedundancy(), ActiveActive(), ActiveStandby(), ColdStandby())}
"""The rules of every redundancy mode, by mode."""


def mode_rules(mode: RedundancyMode) -> ModeRules:
    """The model-side rules of ``mode``."""
    return MODES[mode]

"""Redundancy ``none`` in a run: the active (first) replica serves alone."""

from __future__ import annotations

from ...model.systems import RedundancyMode
from .base import ModeBehaviour

__all__ = ["NoRedundancy"]


class NoRedundancy(ModeBehaviour):
    """One replica serves; its loss takes the system down until recovered."""

    mode = RedundancyMode.none

"""Inject actions on systems: ``fail_system`` (optionally ``for``), ``restore_system``, ``suspend``, ``resume``."""

from __future__ import annotations

from .base import IdInjectKind

__all__ = ["FAIL_SYSTEM", "RESTORE_SYSTEM", "SUSPEND", "RESUME"]

FAIL_SYSTEM = IdInjectKind("fail_system", "system", "fails", timed=True)
"""A system fails in itself (software fault, overload, cyber attack)."""
RESTORE_SYSTEM = IdInjectKind("restore_system", "system", "is fixed")
"""A system's own failure ends."""
SUSPEND = IdInjectKind("suspend", "system", "is suspended")
"""A system is taken offline on purpose."""
RESUME = IdInjectKind("resume", "system", "is resumed")
"""A suspended system is put back online."""

"""Inject actions on domains: ``fail`` (optionally ``for``), ``destroy``, ``restore``."""

from __future__ import annotations

from .base import IdInjectKind

__all__ = ["FAIL", "DESTROY", "RESTORE"]

FAIL = IdInjectKind("fail", "domain", "fails", timed=True)
"""A domain fails; it comes back when ``for`` ends, it is repaired, or restored."""
DESTROY = IdInjectKind("destroy", "domain", "is destroyed")
"""A domain is destroyed: its hardware and stored data are lost."""
RESTORE = IdInjectKind("restore", "domain", "is restored")
"""A domain is back in service (a destroyed one as an empty, usable facility)."""

"""JSON on standard output and in files, for every ``--json`` command: strict JSON only.

Python's ``json`` writes ``NaN`` and ``Infinity`` by default, which no JSON parser accepts. Every
command writes through :func:`dumps`, which refuses them (``allow_nan=False``): a value that is
undefined (a mean wait with no callers) is written as ``null`` by the code that computes it, and
a non-finite number anywhere else is a fault to fix where it arises, never text to print.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["dumps"]


def dumps(document: Any, *, indent: int | None = None, default: Any = None) -> str:
    """``document`` as strict JSON text (UTF-8 characters kept; ValueError on NaN or infinity)."""
    return json.dumps(document, ensure_ascii=False, allow_nan=False, indent=indent, default=default)

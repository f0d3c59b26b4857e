"""Suggestions for mistyped names in messages: `` (did you mean 'gpki'?)``."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["did_you_mean"]


def did_you_mean(value: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'gpki'?)`` when a close match exists, else an empty string."""
    matches = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""

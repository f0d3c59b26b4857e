"""Formatting helpers shared by the reports: numbers, and escaping for Markdown and HTML.

Times and durations are :mod:`drillsim.model.timefmt`'s (``fmt_hours`` is its duration
formatter, under the name the report modules use).
"""

from __future__ import annotations

import html
import re

from ..model.timefmt import fmt_duration, fmt_signed_duration

__all__ = ["fmt_hours", "fmt_num", "fmt_signed", "md_escape", "h"]


fmt_hours = fmt_duration
"""A duration for people: ``45m``, ``5h10m``, ``3d 4h``; ``-`` for none (:func:`drillsim.model.timefmt.fmt_duration`)."""


def fmt_num(value: float | None) -> str:
    """A count with thousands separators: ``103,732,324``."""
    if value is None:
        return "-"
    return f"{value:,.0f}"


def fmt_signed(value: float, unit: str = "") -> str:
    """A difference with its sign: ``+1,204``, ``−3h30m`` (``unit="h"``: a duration)."""
    if unit == "h":
        return fmt_signed_duration(value)
    text = f"{abs(value):,.0f}"
    if abs(value) < 1e-9 or text == "0":
        return "±0"
    return ("+" if value > 0 else "−") + text


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def md_escape(text: object) -> str:
    """Text safe inside Markdown (tables included): markup characters escaped, no HTML, one line."""
    value = " ".join(str(text).split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", value)


def h(text: object) -> str:
    """Text safe inside HTML (element content and quoted attributes)."""
    return html.escape(str(text), quote=True)

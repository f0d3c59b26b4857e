"""Formatting helpers shared by the reports: hours, numbers, and escaping for Markdown and HTML."""

from __future__ import annotations

import html
import re

from ..model.units import human_hours

__all__ = ["fmt_hours", "fmt_clock", "fmt_num", "fmt_signed", "md_escape", "h"]


fmt_hours = human_hours
"""Hours for people: ``45m``, ``5.2h``, ``3.1d``; ``-`` for none (the model's formatter)."""


def fmt_clock(hours: float) -> str:
    """Elapsed time to the minute: ``0m``, ``1h``, ``2d12h30m``."""
    minutes = int(round(hours * 60))
    if minutes == 0:
        return "0m"
    days, rest = divmod(minutes, 1440)
    hrs, mins = divmod(rest, 60)
    return "".join(f"{v}{u}" for v, u in ((days, "d"), (hrs, "h"), (mins, "m")) if v)


def fmt_num(value: float | None) -> str:
    """A count with thousands separators: ``103,732,324``."""
    if value is None:
        return "-"
    return f"{value:,.0f}"


def fmt_signed(value: float, unit: str = "") -> str:
    """A difference with its sign: ``+1,204``, ``−3.5h``."""
    if unit == "h":
        text = fmt_hours(abs(value))
    else:
        text = f"{abs(value):,.0f}"
    if abs(value) < 1e-9 or text in ("0", "0m"):
        return "±0" if unit != "h" else "±0"
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

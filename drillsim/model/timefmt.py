"""How drillsim shows time to people: one format for instants, one for durations.

Inside drillsim every time is a float number of hours since the scenario start, and every
duration a float number of hours. Whatever shows one to a person (the CLI, the drill screens,
situation reports, after-action reports, batch summaries, plots, the engine's feed texts) goes
through this module, so the same moment and the same span read the same everywhere:

- a **duration**, :func:`fmt_duration`: ``45s``, ``45m``, ``5h``, ``5h10m``, ``3d``, ``3d 4h``
  (seconds below a minute, minutes below an hour, hours and minutes below a day, then days and
  hours), rounded half up at the last unit shown; ``0m`` for zero, ``never`` for an infinite one;
- an **instant**, :func:`fmt_elapsed`: the time since the scenario start, ``T+02:05`` or
  ``T+2d 12:00`` (days, then the hours and minutes of a clock); :func:`fmt_local` gives the local
  date-time (``2025-09-28 16:00 KST``) and :func:`fmt_instant` both
  (``2025-09-28 16:00 KST · T+1d 19:45``);
- a sum of **system-hours** (downtime added up over systems, which is not a span of time),
  :func:`fmt_system_hours`: hours with thousands separators, ``374,294h``, never converted to days.

Exact, machine-readable durations for files (``1d2h30m``) are
:func:`drillsim.model.units.format_duration`; this module is for reading.
"""

from __future__ import annotations

import math
from datetime import datetime

__all__ = [
    "fmt_duration",
    "fmt_elapsed",
    "fmt_local",
    "fmt_instant",
    "fmt_system_hours",
    "fmt_signed_duration",
    "NEVER",
]

NEVER = "never"
"""What an infinite duration reads as (a recovery that never comes)."""


def _half_up(x: float) -> int:
    """``x`` (non-negative) rounded to the nearest whole number, halves up (not to even)."""
    return int(math.floor(x + 0.5))


def fmt_duration(hours: float | None, none: str = "-") -> str:
    """A duration for people: ``45s``, ``45m``, ``5h``, ``5h10m``, ``3d``, ``3d 4h``.

    Below a minute it shows seconds (``<1s`` for less than half a second), below an hour
    minutes, below a day hours and minutes (``5h05m``), from a day on days and hours (``3d 4h``,
    ``1,250d``). Each is rounded half up at its last unit, and the unit is chosen after rounding:
    59.99 minutes is ``1h``, 23 h 59.7 min is ``1d``. Zero is ``0m``; a negative duration has a
    minus sign (``-2h30m``); ``None`` and NaN read as ``none``; an infinite duration as ``never``.
    """
    if hours is None or (isinstance(hours, float) and math.isnan(hours)):
        return none
    if math.isinf(hours):
        return NEVER if hours > 0 else "-" + NEVER
    if hours == 0:
        return "0m"
    span = abs(float(hours))
    seconds = _half_up(span * 3600.0)
    if seconds < 60:
        text = f"{seconds}s" if seconds else "<1s"
        return ("-" if hours < 0 and seconds else "") + text
    sign = "-" if hours < 0 else ""
    minutes = _half_up(span * 60.0)
    if minutes < 60:
        return f"{sign}{minutes}m"
    if minutes < 24 * 60:
        h, m = divmod(minutes, 60)
        return f"{sign}{h}h{m:02d}m" if m else f"{sign}{h}h"
    d, h = divmod(_half_up(span), 24)
    return f"{sign}{d:,}d {h}h" if h else f"{sign}{d:,}d"


def fmt_signed_duration(hours: float | None, none: str = "-") -> str:
    """A difference of durations with its sign: ``+1h30m``, ``−45m``, ``±0`` (for comparisons)."""
    if hours is None or (isinstance(hours, float) and math.isnan(hours)):
        return none
    text = fmt_duration(abs(hours))
    if hours == 0 or text in ("0m", "<1s"):
        return "±0"
    return ("+" if hours > 0 else "−") + text


def fmt_elapsed(hours: float | None, none: str = "-") -> str:
    """Time since the scenario start, to the minute: ``T+00:05``, ``T+02:05``, ``T+2d 12:00``.

    Under a day it is a clock reading ``T+HH:MM``; from a day on the whole days come first
    (``T+2d 02:05``, ``T+1,000d 00:00``). Rounded half up to the minute (``T+00:59:59.9`` reads
    ``T+01:00``); a moment before the start reads ``T-00:30``; ``None`` reads as ``none``.
    """
    if hours is None or not math.isfinite(hours):
        return none
    minutes = _half_up(abs(float(hours)) * 60.0)
    sign = "-" if hours < 0 and minutes else "+"
    d, rest = divmod(minutes, 24 * 60)
    h, m = divmod(rest, 60)
    clock = f"{h:02d}:{m:02d}"
    return f"T{sign}{d:,}d {clock}" if d else f"T{sign}{clock}"


def fmt_local(when: datetime, weekday: bool = False) -> str:
    """A local date-time to the minute with its zone: ``2025-09-28 16:00 KST`` (``Sun 2025-...``)."""
    text = when.strftime("%a %Y-%m-%d %H:%M" if weekday else "%Y-%m-%d %H:%M")
    zone = when.tzname()
    return f"{text} {zone}" if zone else text


def fmt_instant(when: datetime, hours: float, weekday: bool = False) -> str:
    """A moment of a run: its local date-time and its time since the start, ``2025-09-28 16:00 KST · T+1d 19:45``.

    ``when`` is the local date-time of ``hours`` (``scenario.local_time(hours)``).
    """
    return f"{fmt_local(when, weekday)} · {fmt_elapsed(hours)}"


def fmt_system_hours(hours: float | None, none: str = "-") -> str:
    """A sum of system-hours, as hours: ``0.4h``, ``12h``, ``374,294h`` (never days: it is not a span of time).

    Whole hours from 10 on, one decimal below (``<0.1h`` for a sliver above zero).
    """
    if hours is None or not math.isfinite(hours):
        return none
    if abs(hours) < 10 and hours != int(hours):
        return f"{hours:.1f}h" if abs(hours) >= 0.05 else "<0.1h"
    return f"{hours:,.0f}h"

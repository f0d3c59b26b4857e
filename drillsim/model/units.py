"""Human-written quantities: durations (``90m``, ``2h``, ``3d``), data sizes (``858TB``) and rates.

Inside drillsim every duration is a float number of **hours** and every data size a float
number of **gigabytes**; these parsers turn what people write in scenario files into those
numbers, and the formatters turn them back, so a scenario dumped to YAML reads like one written
by hand.

A bare number is refused for a duration (``rto: 4`` could mean minutes, hours or days; a
planner who meant minutes would get a silently wrong answer). Zero is the one exception.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from .limits import MAX_DURATION_HOURS, MAX_RATE_GB_PER_HOUR, MAX_SIZE_GB

__all__ = [
    "Duration",
    "PositiveDuration",
    "DataSize",
    "Rate",
    "parse_duration",
    "format_duration",
    "parse_size",
    "format_size",
    "parse_rate",
    "human_count",
    "written",
]

_DURATION_UNITS = {
    "s": 1 / 3600,
    "sec": 1 / 3600,
    "m": 1 / 60,
    "min": 1 / 60,
    "h": 1.0,
    "hr": 1.0,
    "d": 24.0,
    "day": 24.0,
    "days": 24.0,
    "w": 168.0,
    "wk": 168.0,
    "y": 8760.0,
    "yr": 8760.0,
}
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*([a-z]+)")
_DURATION_WHOLE = re.compile(r"^(?:\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]+))+\s*$")


def _short(value: Any) -> str:
    """``repr(value)``, cut to 60 characters (a 400-digit number is quoted by its start)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_duration(value: Any) -> float:
    """Parse ``90m``, ``2h``, ``1d12h``, ``2.5h``, ``3w``, ``10y`` (or ``0``) into hours.

    At most :data:`~drillsim.model.limits.MAX_DURATION_HOURS` (about 1,140 years).
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration: write e.g. 90m, 2h or 3d")
    if isinstance(value, (int, float)):
        if value == 0:
            return 0.0
        raise ValueError(
            f"{_short(value)} has no unit: write {_short(value)}m, {_short(value)}h or {_short(value)}d "
            "(s, m, h, d, w and y are understood)"
        )
    if not isinstance(value, str):
        raise ValueError(f"{_short(value)} is not a duration: write e.g. 90m, 2h or 3d")
    text = value.strip().lower()
    if text in {"0", "0.0"}:
        return 0.0
    if len(text) > 1000:
        raise ValueError(f"{_short(value)} is not a duration: write e.g. 90m, 2h, 1d12h or 3d")
    if not _DURATION_WHOLE.match(text):
        if text.startswith("-") and _DURATION_WHOLE.match(text[1:]):
            raise ValueError(f"{_short(value)} is negative: a duration must be 0 or more")
        raise ValueError(f"{_short(value)} is not a duration: write e.g. 90m, 2h, 1d12h or 3d")
    total = 0.0
    for number, unit in _DURATION_PART.findall(text):
        if unit not in _DURATION_UNITS:
            raise ValueError(
                f"{_short(value)}: unknown time unit {unit!r} (use s, m, h, d, w or y)"
            )
        total += float(number) * _DURATION_UNITS[unit]
    if not math.isfinite(total) or total > MAX_DURATION_HOURS:
        raise ValueError(f"{_short(value)} is longer than any scenario means (the limit is {MAX_DURATION_HOURS:g}h, about {MAX_DURATION_HOURS / 8760:,.0f} years)")
    return total


def written(text: str) -> Any:
    """A field default as a person writes it (``written("30d")``), parsed by the field's own validator.

    Typed ``Any``: the field holds hours once validated (``validate_default`` parses defaults too).
    """
    return text


def format_duration(hours: float) -> str:
    """Format hours compactly and exactly where possible: ``1d2h30m``, ``90s``, ``0``."""
    if hours == 0:
        return "0"
    if not math.isfinite(hours):
        return str(hours)
    seconds = hours * 3600.0
    whole = round(seconds)
    if abs(seconds - whole) > 1e-6 * max(1.0, abs(seconds)) or hours < 0:
        return f"{hours!r}h"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, whole = divmod(whole, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def human_count(x: float) -> str:
    """A count in few characters: ``3.4k``, ``10.1M``, ``1.2G``; small numbers with up to two decimals."""
    a = abs(x)
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if a >= div:
            return f"{x / div:.1f}{suffix}"
    return f"{x:.2f}".rstrip("0").rstrip(".") if a < 100 else f"{x:.0f}"


def _positive_duration(value: Any) -> float:
    hours = parse_duration(value)
    if hours <= 0:
        raise ValueError(f"{value!r} must be a positive duration")
    return hours


def _non_negative_duration(value: Any) -> float:
    hours = parse_duration(value)
    if hours < 0:
        raise ValueError(f"{value!r} must not be negative")
    return hours


_DURATION_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": r"^\s*(\d+(\.\d*)?|\.\d+)\s*[a-zA-Z]+(\s*(\d+(\.\d*)?|\.\d+)\s*[a-zA-Z]+)*\s*$"},
        {"const": 0},
    ],
    "description": "A duration such as 90m, 2h, 1d12h or 3d (s, m, h, d, w, y).",
    "examples": ["15m", "2h", "3d"],
}

Duration = Annotated[
    float,
    BeforeValidator(_non_negative_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(_DURATION_SCHEMA),
]
"""A non-negative duration, held as hours."""

PositiveDuration = Annotated[
    float,
    BeforeValidator(_positive_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({**_DURATION_SCHEMA, "description": "A positive duration such as 90m, 2h or 3d."}),
]
"""A strictly positive duration, held as hours."""

_SIZE_UNITS = {
    "b": 1e-9,
    "kb": 1e-6,
    "mb": 1e-3,
    "gb": 1.0,
    "tb": 1e3,
    "pb": 1e6,
}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]+)\s*$")


def parse_size(value: Any) -> float:
    """Parse ``858TB``, ``2 GB``, ``500MB`` into gigabytes (decimal units)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"{_short(value)} is not a data size: write e.g. 500GB or 2TB")
    if isinstance(value, (int, float)):
        if value == 0:
            return 0.0
        raise ValueError(f"{_short(value)} has no unit: write {_short(value)}GB or {_short(value)}TB")
    match = _SIZE.match(value.lower()) if len(value) <= 1000 else None
    if not match or match.group(2) not in _SIZE_UNITS:
        raise ValueError(f"{_short(value)} is not a data size: write e.g. 500GB or 2TB")
    size = float(match.group(1)) * _SIZE_UNITS[match.group(2)]
    if not math.isfinite(size) or size > MAX_SIZE_GB:
        raise ValueError(f"{_short(value)} is more data than any scenario means (the limit is {format_size(MAX_SIZE_GB)})")
    return size


def format_size(gigabytes: float) -> str:
    """Format gigabytes with the largest unit that keeps the number at or above one."""
    for unit, size in (("PB", 1e6), ("TB", 1e3), ("GB", 1.0), ("MB", 1e-3)):
        if abs(gigabytes) >= size:
            return f"{gigabytes / size:g}{unit}"
    return f"{gigabytes:g}GB" if gigabytes else "0"


def parse_rate(value: Any) -> float:
    """Parse a data rate such as ``1TB/h`` or ``200MB/s`` into gigabytes per hour."""
    if not isinstance(value, str) or "/" not in value:
        raise ValueError(f"{_short(value)} is not a rate: write e.g. 1TB/h or 200MB/s")
    size_text, _, per = value.partition("/")
    per = per.strip().lower()
    per_hours = {"s": 1 / 3600, "m": 1 / 60, "min": 1 / 60, "h": 1.0, "d": 24.0}.get(per)
    if per_hours is None:
        raise ValueError(f"{_short(value)}: the time unit after '/' must be s, m, h or d")
    rate = parse_size(size_text) / per_hours
    if rate <= 0:
        raise ValueError(f"{_short(value)} must be a positive rate")
    if rate > MAX_RATE_GB_PER_HOUR:
        raise ValueError(f"{_short(value)} is faster than any scenario means (the limit is {format_size(MAX_RATE_GB_PER_HOUR)}/h)")
    return rate


def _format_rate(gb_per_hour: float) -> str:
    return f"{format_size(gb_per_hour)}/h"


DataSize = Annotated[
    float,
    BeforeValidator(parse_size),
    PlainSerializer(format_size, return_type=str),
    WithJsonSchema({"type": "string", "description": "A data size such as 500GB or 2TB.", "examples": ["2TB"]}),
]
"""A data size, held as gigabytes."""

Rate = Annotated[
    float,
    BeforeValidator(parse_rate),
    PlainSerializer(_format_rate, return_type=str),
    WithJsonSchema({"type": "string", "description": "A data rate such as 1TB/h or 200MB/s.", "examples": ["1TB/h"]}),
]
"""A data rate, held as gigabytes per hour."""

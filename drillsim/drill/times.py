"""Where a "go to" request points in time (``+2h``, ``T+36h``, a local date-time)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from ..model import DrillsimError
from ..model.timefmt import fmt_elapsed
from ..model.units import parse_duration

__all__ = ["parse_time_target"]


_CLOCK = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})$")


def parse_time_target(text: str, now: float, scenario: Any) -> float:
    """Where a "go to" request points, in hours since the start.

    ``+90m`` / ``+2h``: that long from now; ``T+36h`` or ``36h`` / ``1d12h``: that long after the
    start; ``2025-09-27 09:00``: that local date-time (the scenario's time zone). Raises
    DrillsimError with the accepted forms when the text is none of them, or lies in the past.
    """
    raw = text.strip()
    if not raw:
        raise DrillsimError("enter a time: +2h (from now), T+36h (after the start) or 2025-09-27 09:00")
    match = _CLOCK.match(raw)
    try:
        if match:
            local = datetime.fromisoformat(f"{match.group(1)}T{int(match.group(2)):02d}:{match.group(3)}")
            local = local.replace(tzinfo=scenario.zone)
            target = (local - scenario.start) / timedelta(hours=1)
        elif raw.startswith("+"):
            target = now + parse_duration(raw[1:])
        else:
            body = raw[2:] if raw.lower().startswith("t+") else raw
            target = parse_duration(body)
    except ValueError as exc:
        raise DrillsimError(f"{raw!r}: {exc}; write +2h (from now), T+36h (after the start) or 2025-09-27 09:00") from None
    if target < now - 1e-9:
        raise DrillsimError(f"{raw!r} is in the past (the drill is at {fmt_elapsed(now)}): time only moves forward")
    return target

"""The one way drillsim shows time: durations, instants and system-hours, at their edges."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from drillsim.model.timefmt import fmt_duration, fmt_elapsed, fmt_instant, fmt_local, fmt_signed_duration, fmt_system_hours

MINUTE = 1 / 60
SECOND = 1 / 3600


@pytest.mark.parametrize(
    "hours, text",
    [
        (0.0, "0m"),
        (0, "0m"),
        (0.4 * SECOND, "<1s"),  # more than nothing, less than half a second
        (45 * SECOND, "45s"),
        (59.4 * SECOND, "59s"),
        (59.6 * SECOND, "1m"),  # rounds up to a minute: shown as minutes, never "60s"
        (45 * MINUTE, "45m"),
        (59.49 * MINUTE, "59m"),
        (59.99 * MINUTE, "1h"),  # never "60m"
        (1.0, "1h"),
        (5 + 10 * MINUTE, "5h10m"),
        (5 + 5 * MINUTE, "5h05m"),
        (5 + 59.99 * MINUTE, "6h"),
        (23 + 59.7 * MINUTE, "1d"),  # rounds to 24h: shown as a day, never "24h"
        (24.0, "1d"),
        (24.49, "1d"),
        (24.5, "1d 1h"),  # halves round up, not to even
        (3 * 24 + 4, "3d 4h"),
        (3 * 24 + 4.4, "3d 4h"),
        (10 * 8760, "3,650d"),
        (1e9, "41,666,666d 16h"),
        (-2.5, "-2h30m"),
        (-0.1 * SECOND, "<1s"),  # no sign on what rounds to nothing
        (-30 * 24, "-30d"),
        (math.inf, "never"),
    ],
)
def test_duration(hours, text):
    assert fmt_duration(hours) == text


def test_duration_of_nothing_known():
    assert fmt_duration(None) == "-"
    assert fmt_duration(float("nan")) == "-"
    assert fmt_duration(None, none="never") == "never"
    assert fmt_duration(None, none="not reached") == "not reached"


def test_duration_never_prints_a_decimal_or_a_bare_large_hour_count():
    # The batch summary once read "15595.6d" and the feed "about 396.9h": every value in a wide
    # range reads as whole units of at most two kinds, the larger first.
    for k in range(2000):
        hours = 1.37**k * 1e-4 if k < 80 else k * 7.3
        text = fmt_duration(hours)
        assert "." not in text, (hours, text)
        if hours >= 24:
            assert text.endswith(("d", "h")) and "m" not in text and "s" not in text, (hours, text)


@pytest.mark.parametrize(
    "hours, text",
    [
        (0.0, "T+00:00"),
        (20 * SECOND, "T+00:00"),
        (30 * SECOND, "T+00:01"),  # to the minute, halves up
        (5 * MINUTE, "T+00:05"),
        (2 + 5 * MINUTE, "T+02:05"),
        (59.99 * MINUTE, "T+01:00"),
        (23 + 59.99 * MINUTE, "T+1d 00:00"),
        (24.0, "T+1d 00:00"),
        (60.0, "T+2d 12:00"),
        (3 * 24 + 13 + 49 * MINUTE, "T+3d 13:49"),
        (1000 * 24.0, "T+1,000d 00:00"),
        (-0.5, "T-00:30"),
        (-20 * SECOND, "T+00:00"),
    ],
)
def test_elapsed(hours, text):
    assert fmt_elapsed(hours) == text


def test_elapsed_of_no_time():
    assert fmt_elapsed(None) == "-"
    assert fmt_elapsed(math.inf) == "-"
    assert fmt_elapsed(None, none="never") == "never"


def test_local_and_instant_name_the_zone():
    seoul = ZoneInfo("Asia/Seoul")
    start = datetime(2025, 9, 26, 20, 15, tzinfo=seoul)
    later = start + timedelta(hours=43.75)
    assert fmt_local(later) == "2025-09-28 16:00 KST"
    assert fmt_local(later, weekday=True) == "Sun 2025-09-28 16:00 KST"
    assert fmt_instant(later, 43.75) == "2025-09-28 16:00 KST · T+1d 19:45"
    assert fmt_local(datetime(2025, 1, 1, 9, 30)) == "2025-01-01 09:30"  # naive: no zone to name
    assert fmt_local(datetime(2025, 1, 1, 9, 30, tzinfo=timezone.utc)) == "2025-01-01 09:30 UTC"


@pytest.mark.parametrize(
    "hours, text",
    [(0.0, "0h"), (0.01, "<0.1h"), (0.4, "0.4h"), (5.0, "5h"), (9.94, "9.9h"), (12.4, "12h"), (15595.6 * 24, "374,294h"), (None, "-")],
)
def test_system_hours_stay_hours(hours, text):
    assert fmt_system_hours(hours) == text


@pytest.mark.parametrize("hours, text", [(1.5, "+1h30m"), (-0.75, "−45m"), (0.0, "±0"), (0.1 * SECOND, "±0"), (-49.0, "−2d 1h"), (None, "-")])
def test_signed_duration(hours, text):
    assert fmt_signed_duration(hours) == text

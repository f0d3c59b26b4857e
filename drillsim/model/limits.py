"""The bounds drillsim puts on what a file may ask for, in one place.

A scenario describes a real ecosystem over days to years. Numbers far outside anything a
scenario means (a horizon of a million years, a data size of 10^400 gigabytes, a team of 10^400
people) are refused where they are parsed, with the bound in the message, instead of overflowing
later into an infinite result or a run that never ends. Every bound here is far above what the
bundled scenarios and the national-scale generator use; each says what it protects.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_JOURNAL_BYTES",
    "MAX_DEPTH",
    "MAX_EXTENDS",
    "MAX_PATH_CHARS",
    "MAX_HORIZON_HOURS",
    "MAX_DURATION_HOURS",
    "MAX_SIZE_GB",
    "MAX_RATE_GB_PER_HOUR",
    "MAX_ARRIVALS_PER_HOUR",
    "MAX_COUNT",
    "MAX_DEMAND_PER_DAY",
    "MAX_FACTOR",
    "MAX_WEIGHT",
    "MAX_MONEY",
    "MAX_ERRORS",
    "MAX_ARRIVALS",
    "MAX_BACKGROUND_EVENTS",
    "MAX_EVENTS",
]

MAX_FILE_BYTES: Final = 256 * 1024 * 1024
"""Largest scenario, overlay or case file read (256 MiB; a 17,090-system national model is ~20 MB).

Only regular files are read: ``extends: /dev/zero`` is refused instead of filling memory."""

MAX_JOURNAL_BYTES: Final = 256 * 1024 * 1024
"""Largest drill journal read (256 MiB: millions of commands)."""

MAX_DEPTH: Final = 64
"""Deepest nesting of mappings and lists in a YAML file (a scenario nests about 8 deep)."""

MAX_EXTENDS: Final = 32
"""Longest chain of ``extends`` (a variant extends a scenario that extends a model: 3)."""

MAX_PATH_CHARS: Final = 1024
"""Longest ``extends`` path or time-zone name accepted (longer ones no file system opens)."""

MAX_HORIZON_HOURS: Final = 100 * 8760.0
"""Longest simulated horizon: 100 years (availability studies run 10 years)."""

MAX_DURATION_HOURS: Final = 1e7
"""Longest duration written anywhere (about 1,140 years: a disk's MTBF of 2.5 million hours fits)."""

MAX_SIZE_GB: Final = 1e12
"""Largest data size: a zettabyte (10^12 GB)."""

MAX_RATE_GB_PER_HOUR: Final = 1e12
"""Largest data rate (restore throughput): 10^12 GB per hour."""

MAX_ARRIVALS_PER_HOUR: Final = 1e9
"""Largest per-request arrival rate written in a file (a billion an hour)."""

MAX_COUNT: Final = 1_000_000_000
"""Largest whole count (staff, servers, capacity, queue places)."""

MAX_DEMAND_PER_DAY: Final = 1e12
"""Largest daily demand of one system (requests or users a day)."""

MAX_FACTOR: Final = 1e6
"""Largest multiplier (a demand surge, headroom, a slowdown)."""

MAX_WEIGHT: Final = 1e9
"""Largest weight (profile hours, weekdays, grades)."""

MAX_MONEY: Final = 1e18
"""Largest cost figure (per unit or per event, in the scenario's currency)."""

MAX_ERRORS: Final = 200
"""Errors listed for one file; the rest are counted ("... and N more")."""

MAX_ARRIVALS: Final = 5_000_000
"""Expected per-request arrivals in one run above which a run asks for ``--allow-large``.

Each arrival is about three simulation events; 5 million take a few minutes. Fluid mode (no ``queueing``
block) serves the same demand as a curve, at no cost per request."""

MAX_BACKGROUND_EVENTS: Final = 1_000_000
"""Expected background failures and repairs in one run above which validation warns (half a minute of work or more)."""

MAX_EVENTS: Final = 30_000_000
"""Simulation events one run may process before it is ended with a message (the event budget).

The engine processes 50,000 to 300,000 events a second; the bundled scenarios need at most a
few hundred thousand a run. Past the budget something happens far too often to simulate."""

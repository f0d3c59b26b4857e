"""Keeping Python's cyclic garbage collector out of the event loop.

A run allocates and frees a great many small objects (events, tuples, tasks); with the
collector on, every 700 net allocations start a collection, and every hundredth of those scans
every object of the process: the whole scenario model, compiled tables and all. That cost
follows the size of the model, not the systems a run touches (on the 17,090-system model the
first run after loading spent most of its time there). Runs therefore advance with the
automatic collector paused; it is switched back on (if it was on) when the call returns, and
whatever cyclic garbage the run left is collected then, in the ordinary way. Memory freed by
reference counting (nearly all of it) is freed at once either way. Results do not depend on
when the collector runs.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause automatic garbage collection for the ``with`` block (nested blocks are fine)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()

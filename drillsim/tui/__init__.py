"""The drill app in the terminal (Textual): briefing, board, decisions, report, replay.

Presentation only: the world lives in :mod:`drillsim.drill` (sessions, journal, board model),
which never imports Textual. :func:`make_app` is the one factory the CLI and the tests use.
"""

from .app import DrillApp, make_app

__all__ = ["DrillApp", "make_app"]

"""The drill's UI-free core: sessions, the journal, and what the board shows.

- :mod:`.session`: :class:`DrillSession` drives one manual-policy simulation by commands (step,
  advance, act, decide), journalling each before the display updates; resumes and replays.
- :mod:`.journal`: the JSON-lines journal (header with the scenario hash and the seed, one line
  per command), read tolerantly (a last line cut short by a power cut is dropped).
- :mod:`.board`: group counts by site or grade, the touched systems worst first, RTO countdowns
  and the recovery curve, for the team's view and the facilitator's, in O(touched systems).

Nothing here imports Textual: ``drillsim report JOURNAL`` and the tests use it headless.
"""

from .board import GROUPINGS, VIEWS, BoardModel, GroupRow, RtoWatch
from .journal import Journal, JournalEntry, JournalHeader, JournalTampered, JournalWriter, read_journal
from .session import DrillSession, ReadOnlyError, default_journal_path, parse_time_target

__all__ = [
    "BoardModel",
    "DrillSession",
    "GROUPINGS",
    "GroupRow",
    "Journal",
    "JournalEntry",
    "JournalHeader",
    "JournalTampered",
    "JournalWriter",
    "ReadOnlyError",
    "RtoWatch",
    "VIEWS",
    "default_journal_path",
    "parse_time_target",
    "read_journal",
]

"""The drill's UI-free core: sessions, the journal, and what the board shows.

- :mod:`.session`: :class:`DrillSession` drives one simulation by commands (step, advance, act,
  decide, order, inject, undo, end), journalling each before the display updates; resumes and
  replays. :mod:`.commands`: one-line commands (the app, scripts and seats share them), orders,
  the facilitator's commands, undo and the hint.
- :mod:`.orders`: standing orders (work the runbook, hold, release, reprioritise, move staff,
  mutual aid, reserves, named lists, bulk actions: :mod:`.bulk`), checked before they are
  journalled; :mod:`.selection`: which systems an order is about; :mod:`.priorities`: in which
  order a team works; :mod:`.facilitator`: the facilitator's injects; :mod:`.hint`: what the
  runbook would do next; :mod:`.script`: scripted actions files.
- :mod:`.journal`: the JSON-lines journal (header with the scenario hash and the seed, one line
  per command), read tolerantly (a last line cut short by a power cut is dropped).
- :mod:`.board`: group counts by site or grade, the touched systems worst first, RTO countdowns
  and the recovery curve, for the team's view and the facilitator's, in O(touched systems).
- :mod:`.views`: :class:`StatusView`, each system's status at a moment of the drill, in either
  view: what situation reports are built from.
- :mod:`.baselines`: :func:`run_baselines`, the same seed played by the runbook and by doing
  nothing, which the after-action report compares the team with.

The screens (the Textual app) read everything through :class:`DrillSession` and
:class:`BoardModel`, never through the simulation itself.

Nothing here imports Textual: ``drillsim report JOURNAL`` and the tests use it headless.
"""

from .baselines import BASELINE_POLICIES, run_baselines
from .board import GROUPINGS, VIEWS, BoardModel, GroupRow, RtoWatch
from .commands import LINE_VERBS, parse_line
from .hint import Hint
from .journal import Journal, JournalEntry, JournalHeader, JournalTampered, JournalWriter
from .journal_files import default_journal_path
from .journal_read import read_journal
from .orders import ORDER_VERBS, OrderBook, TeamOrders
from .prepared import Prepared
from .selection import OrderError, Selection, Selector
from .session import DrillSession, ReadOnlyError
from .times import parse_time_target
from .views import StatusView

__all__ = [
    "BASELINE_POLICIES",
    "BoardModel",
    "DrillSession",
    "GROUPINGS",
    "GroupRow",
    "Hint",
    "LINE_VERBS",
    "ORDER_VERBS",
    "OrderBook",
    "OrderError",
    "Prepared",
    "Selection",
    "Selector",
    "TeamOrders",
    "Journal",
    "JournalEntry",
    "JournalHeader",
    "JournalTampered",
    "JournalWriter",
    "ReadOnlyError",
    "RtoWatch",
    "StatusView",
    "VIEWS",
    "default_journal_path",
    "parse_line",
    "parse_time_target",
    "read_journal",
    "run_baselines",
]

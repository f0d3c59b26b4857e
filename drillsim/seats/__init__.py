"""Many seats, one world: a drill served over WebSockets to several organizations at once.

- :mod:`.spec`: the seats file (who sits where: facilitator, team, observer; their organizations,
  teams and decisions; where their tokens come from), read with located errors.
- :mod:`.access`: what each seat may do and read; tokens compared in constant time.
- :mod:`.server`: :class:`DrillServer`, one :class:`~drillsim.drill.DrillSession` and its journal
  served to the seats (every command journalled with its seat before anyone sees the result).
- :mod:`.seatview`: the state each seat receives (its own systems, teams, decisions and feed).
- :mod:`.reports`: situation reports per system (normal / unreachable / malfunctioning), the
  table the seats above read, and the reporting score of the after-action report.
- :mod:`.protocol`: the JSON messages; :mod:`.client`: :class:`SeatClient`, the seat's side,
  reconnecting with backoff; :mod:`.app`: the Textual seat app (``drillsim join``).

The server side imports no Textual (only :mod:`.app` does); ``websockets`` is imported where a
connection is made, so importing this package costs neither.
"""

from .access import AccessDenied, SeatAccess, authorize, check_token
from .reports import REPORT_STATUSES, ReportBook, StatusReport, reporting_score
from .spec import Role, SeatsFile, SeatSpec, load_seats, resolve_tokens

__all__ = [
    "AccessDenied",
    "REPORT_STATUSES",
    "ReportBook",
    "Role",
    "SeatAccess",
    "SeatSpec",
    "SeatsFile",
    "StatusReport",
    "authorize",
    "check_token",
    "load_seats",
    "reporting_score",
    "resolve_tokens",
]

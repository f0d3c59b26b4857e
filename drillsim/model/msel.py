"""Inject lists in and out: a scenario's injects as a master scenario events list (MSEL).

Facilitators prepare injects in spreadsheets. :func:`export_msel` writes a scenario's injects
(and its decision points, as the injects that put them to the players) as one row each, in time
order, to a CSV file or an Excel workbook (:mod:`drillsim.model.sheets` does the files);
:mod:`drillsim.model.msel_import` reads such a sheet back, checks every row against the scenario
and writes the result as a YAML overlay that ``extends`` the scenario and replaces its inject list
(``replace: [injects]``), so the scenario file itself is never edited. This module holds the
columns and the mapping between an inject and its row, both ways.

Columns (the header row names them; case, spaces and punctuation do not matter, and the
aliases in :data:`HEADER_ALIASES` are understood):

==============================  ==================================================================
ID                              optional inject id (cross-reference, e.g. from a decision)
Time after start                ``0m``, ``1h``, ``2d12h`` (a ``T+`` prefix is allowed)
Local date-time                 ``2025-09-26 21:15`` in the scenario's time zone (the header
                                names the start the export used); on import it is used when
                                *Time after start* is empty; when both are filled in and disagree,
                                the one changed since the export wins
Action                          fail, destroy, restore, fail_system, restore_system, surge,
                                add_staff, prefer, set_capacity, decision, or message
Target                          what the action acts on: a domain, a system (several, separated
                                by spaces or commas, for surge and prefer), a team (add_staff),
                                a decision id
Details                         ``key=value; key=value``: ``for`` (fail, fail_system, surge),
                                ``factor`` (surge), ``staff`` and ``after`` (add_staff),
                                ``option`` (prefer), ``free_capacity`` (set_capacity)
Title                           short title for the list
Message                         the text read to the players
Expected player action          what the facilitator expects the players to do; for a decision
/ decision                      row the export fills in the prompt and options (informational:
                                decision points themselves are defined in the scenario YAML)
==============================  ==================================================================

CSV files are UTF-8 with a byte-order mark; cells a spreadsheet would run as formulas are
neutralised (see :mod:`drillsim.model.sheets`). Every problem in a sheet is reported at once,
each naming the file, the row as the spreadsheet numbers it (the header is row 1) and the column.

No SimPy here: this is model-level code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .diagnostics import DrillsimError
from .inject_kinds import INJECT_KINDS
from .injects import ACTION_FIELDS, Inject
from .loading import LoadedScenario
from .scenario import Scenario
from .sheets import TableError, write_table
from .units import format_duration
from .validation import did_you_mean

__all__ = ["COLUMNS", "HEADER_ALIASES", "MselError", "MselImport", "export_msel", "msel_rows", "msel_header", "decision_text"]

COLUMNS: list[tuple[str, str]] = [
    ("id", "ID"),
    ("at", "Time after start"),
    ("local", "Local date-time"),
    ("action", "Action"),
    ("target", "Target"),
    ("details", "Details"),
    ("title", "Title"),
    ("message", "Message"),
    ("expected", "Expected player action / decision"),
]
"""(key, header) of every column, in the order they are written."""

HEADERS = dict(COLUMNS)

HEADER_ALIASES: dict[str, str] = {
    "id": "id", "injectid": "id", "ref": "id",
    "timeafterstart": "at", "at": "at", "t": "at", "time": "at", "elapsed": "at", "offset": "at",
    "localdatetime": "local", "localtime": "local", "datetime": "local", "date": "local", "clock": "local",
    "action": "action", "type": "action", "event": "action",
    "target": "target", "subject": "target", "on": "target",
    "details": "details", "parameters": "details", "params": "details",
    "title": "title", "summary": "title",
    "message": "message", "inject": "message", "text": "message",
    "expectedplayeractiondecision": "expected", "expectedplayeraction": "expected", "expectedaction": "expected",
    "expected": "expected", "expectedresponse": "expected", "expectedplayerresponse": "expected",
}
"""Normalised header (lower case, letters and digits only) -> column key."""

_DETAILS: dict[str, tuple[str, ...]] = {key: kind.details for key, kind in INJECT_KINDS.items() if kind.details}
"""The detail keys each action takes (its rules in :mod:`drillsim.model.inject_kinds`)."""

_LOCAL_FORMAT = "%Y-%m-%d %H:%M"


class MselError(DrillsimError):
    """An events list that cannot be imported; the message lists every problem (file, row, column)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        count = len(problems)
        super().__init__("\n".join(problems + [f"{count} problem{'s' if count != 1 else ''} in the events list"]))


@dataclass
class MselImport:
    """The injects read from an events list, where each came from, and what to tell the user."""

    injects: list[dict[str, Any]]
    """Inject entries as they go into the overlay (plain YAML-ready dicts, durations as text)."""
    rows: list[int]
    """Spreadsheet row number of each inject."""
    warnings: list[str] = field(default_factory=list)
    scenario: Scenario | None = None
    """The scenario with the imported injects, validated."""

    def changes(self, before: Scenario) -> dict[str, int]:
        """How many injects were added, removed and kept compared with ``before`` (by content)."""
        old = [_canonical(i) for i in before.injects]
        new = [_canonical(i) for i in (self.scenario.injects if self.scenario else [])]
        kept = 0
        pool = list(old)
        for item in new:
            if item in pool:
                pool.remove(item)
                kept += 1
        return {"kept": kept, "added": len(new) - kept, "removed": len(old) - kept}


def _canonical(inject: Inject) -> str:
    return repr(sorted(inject.model_dump(exclude_none=True).items()))


# ----------------------------------------------------------------------------------------
# Export
# ----------------------------------------------------------------------------------------
def _dur(hours: float) -> str:
    return "0m" if hours == 0 else format_duration(hours)


def decision_text(scenario: Scenario, decision_id: str) -> str:
    """The expected-decision text the export writes for a decision row: prompt and options."""
    decision = scenario.decision_index.get(decision_id)
    if decision is None:
        return ""
    options = "; ".join(f"{o.id}: {o.label}" + (" (default)" if o.default else "") for o in decision.options)
    prompt = " ".join(decision.prompt.split())
    return f"Decide: {prompt} Options: {options}"


def _target_and_details(inject: Inject) -> tuple[str, str]:
    kind = inject.action
    if kind == "message":
        return "", ""
    target, details = INJECT_KINDS[kind].row(inject, _dur)
    return target, "; ".join(f"{k}={v}" for k, v in details)


def msel_rows(scenario: Scenario | LoadedScenario) -> list[dict[str, str]]:
    """One row per inject (column key -> text), in time order (ties keep the scenario's order)."""
    scenario = scenario.scenario if isinstance(scenario, LoadedScenario) else scenario
    rows = []
    for inject in sorted(scenario.injects, key=lambda i: i.at):
        target, details = _target_and_details(inject)
        expected = inject.expected or ""
        if not expected and inject.decision is not None:
            expected = decision_text(scenario, inject.decision)
        rows.append(
            {
                "id": inject.id or "",
                "at": _dur(inject.at),
                "local": scenario.local_time(inject.at).strftime(_LOCAL_FORMAT),
                "action": inject.action,
                "target": target,
                "details": details,
                "title": inject.title or "",
                "message": inject.message or "",
                "expected": expected,
            }
        )
    return rows


def msel_header(scenario: Scenario) -> list[str]:
    """The header row the export writes: the local date-time column names the start it counts from."""
    start = scenario.start.astimezone(scenario.zone).strftime(_LOCAL_FORMAT)
    return [f"{header} (start {start})" if key == "local" else header for key, header in COLUMNS]


def export_msel(scenario: Scenario | LoadedScenario, dest: str | Path | TextIO | None = None) -> str | None:
    """Write the scenario's events list to ``dest``: a path (``.xlsx``: an Excel workbook, anything
    else CSV, UTF-8 with a byte-order mark), an open text file (CSV) or None. Returns the CSV text
    (None for a workbook). Cells a spreadsheet would run as formulas are neutralised."""
    sc = scenario.scenario if isinstance(scenario, LoadedScenario) else scenario
    rows = [[row[key] for key, _ in COLUMNS] for row in msel_rows(sc)]
    try:
        return write_table(dest, msel_header(sc), rows, sheet="MSEL")
    except TableError as exc:
        raise DrillsimError(f"cannot write the events list: {exc}") from None


# ----------------------------------------------------------------------------------------
# Import
# ----------------------------------------------------------------------------------------
def _split_ids(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text.strip()) if part]


class _Row:
    """One data row being read, and the problems found in it."""

    def __init__(self, file: str, number: int, cells: dict[str, str], problems: list[str]):
        self.file = file
        self.number = number
        self.cells = cells
        self.problems = problems

    def problem(self, column: str | None, message: str) -> None:
        where = f"{self.file}: row {self.number}"
        if column is not None:
            where += f", column {HEADERS[column]!r}"
        self.problems.append(f"{where}: {message}")

    def get(self, key: str) -> str:
        return (self.cells.get(key) or "").strip()


def _row_entry(row: _Row, scenario: Scenario, at: str | None) -> dict[str, Any] | None:
    """The inject entry of one row (as it goes into YAML), or None when the row has problems.

    ``at`` is the row's time, already read from its two time columns (None: it had a problem).
    """
    before = len(row.problems)
    entry: dict[str, Any] = {}
    if row.get("id"):
        entry["id"] = row.get("id")
    if at is not None:
        entry["at"] = at
    action = re.sub(r"[\s-]+", "_", row.get("action").lower())
    target = row.get("target")
    details_text = row.get("details")
    if not action:
        action = "message"
    known = (*ACTION_FIELDS, "message")
    if action not in known:
        row.problem("action", f"unknown action {row.get('action')!r}{did_you_mean(action, known)} (one of {', '.join(known)})")
        return None
    details: dict[str, str] = {}
    for part in re.split(r"[;\n]+", details_text):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep:
            key, sep, value = part.partition(":")
        key = key.strip().lower().replace(" ", "_").replace("-", "_")
        allowed = _DETAILS.get(action, ())
        if not sep or not value.strip():
            row.problem("details", f"{part.strip()!r} is not key=value (e.g. for=2h)")
            continue
        if key not in allowed:
            what = f"takes {', '.join(allowed)}" if allowed else "takes no details"
            row.problem("details", f"{key!r} is not a detail of {action} ({action} {what}){did_you_mean(key, allowed) if allowed else ''}")
            continue
        details[key] = value.strip()
    if action == "message":
        if target:
            row.problem("target", f"a message has no target (got {target!r}); did you mean another action?")
        if not row.get("message"):
            row.problem("message", "a message row needs the text of the message")
    elif not target:
        row.problem("target", f"{action} needs a target ({_target_kind(action)})")
    if len(row.problems) > before:
        return None
    if action != "message":
        kind = INJECT_KINDS[action]
        entry.update(kind.entry(target, details, _split_ids))
        for key, message in kind.required:
            if key not in details:
                row.problem("details", message)
                return None
    for key in ("title", "message"):
        if row.get(key):
            entry[key] = row.cells[key]  # texts are kept exactly as written (line breaks and all)
    expected = row.cells.get("expected") or ""
    if expected.strip() and not (action == "decision" and " ".join(expected.split()) == decision_text(scenario, target)):
        entry["expected"] = expected
    return entry


def _target_kind(action: str) -> str:
    kind = INJECT_KINDS.get(action)
    return kind.target_text if kind is not None else ""


def _column_of(path: tuple[Any, ...]) -> str | None:
    """The sheet column a path inside one inject comes from."""
    if not path:
        return "action"
    head = path[0]
    if head in ("id", "at", "title", "message", "expected"):
        return str(head)
    if head == "for":
        return "details"
    kind = INJECT_KINDS.get(head) if isinstance(head, str) else None
    if kind is not None:
        return kind.column(path[1:])
    return "action"



"""Inject lists in and out: a scenario's injects as a CSV master scenario events list (MSEL).

Facilitators prepare injects in spreadsheets. :func:`export_msel` writes a scenario's injects
(and its decision points, as the injects that put them to the players) as one CSV row each, in
time order; :func:`import_msel` reads such a sheet back, checks every row against the scenario,
and :func:`write_overlay` writes the result as a YAML overlay that ``extends`` the scenario and
replaces its inject list (``replace: [injects]``), so the scenario file itself is never edited.

Columns (the header row names them; case, spaces and punctuation do not matter, and the
aliases in :data:`HEADER_ALIASES` are understood):

==============================  ==================================================================
ID                              optional inject id (cross-reference, e.g. from a decision)
Time after start                ``0m``, ``1h``, ``2d12h`` (a ``T+`` prefix is allowed)
Local date-time                 ``2025-09-26 21:15`` in the scenario's time zone; on import it
                                is used when *Time after start* is empty, and must agree with it
                                otherwise
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

Files are written as UTF-8 with a byte-order mark, so that spreadsheet programs open Korean text
correctly; on import UTF-8 (with or without the mark) and, failing that, the Korean Windows code
page (cp949) are accepted. Every problem in a sheet is reported at once, each naming the file,
the row as the spreadsheet numbers it (the header is row 1) and the column.

No SimPy here: this is model-level code.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterable, TextIO

import yaml
from pydantic import ValidationError

from .diagnostics import DrillsimError, Severity
from .injects import ACTION_FIELDS, Inject
from .loading import LoadedScenario, scenario_from_data
from .overlays import merge
from .scenario import Scenario
from .units import format_duration, parse_duration
from .validation import did_you_mean
from .yamlio import LocDict, LocList

__all__ = [
    "COLUMNS",
    "HEADER_ALIASES",
    "MselError",
    "MselImport",
    "export_msel",
    "msel_rows",
    "import_msel",
    "read_msel",
    "write_overlay",
    "overlay_document",
]

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

_DETAILS: dict[str, tuple[str, ...]] = {
    "fail": ("for",),
    "fail_system": ("for",),
    "surge": ("factor", "for"),
    "add_staff": ("staff", "after"),
    "prefer": ("option",),
    "set_capacity": ("free_capacity",),
}
"""The detail keys each action takes."""

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
    details: list[tuple[str, Any]] = []
    if kind in ("fail", "destroy", "restore", "fail_system", "restore_system", "suspend", "resume", "decision"):
        target = str(getattr(inject, kind))
        if inject.duration is not None:
            details.append(("for", _dur(inject.duration)))
    elif kind == "surge":
        assert inject.surge is not None
        target = " ".join(inject.surge.systems)
        details.append(("factor", f"{inject.surge.factor:g}"))
        if inject.surge.duration is not None:
            details.append(("for", _dur(inject.surge.duration)))
    elif kind == "add_staff":
        assert inject.add_staff is not None
        target = inject.add_staff.team
        details.append(("staff", inject.add_staff.staff))
        if inject.add_staff.after:
            details.append(("after", _dur(inject.add_staff.after)))
    elif kind == "prefer":
        assert inject.prefer is not None
        target = " ".join(inject.prefer.systems)
        details.append(("option", inject.prefer.option))
    elif kind == "set_capacity":
        assert inject.set_capacity is not None
        target = inject.set_capacity.domain
        details.append(("free_capacity", inject.set_capacity.free_capacity))
    else:
        target = ""
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


def export_msel(scenario: Scenario | LoadedScenario, dest: str | Path | TextIO | None = None) -> str:
    """Write the scenario's events list as CSV to ``dest`` (a path or an open text file); return the text.

    A path is written as UTF-8 with a byte-order mark (spreadsheets then read Korean correctly).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header for _, header in COLUMNS])
    for row in msel_rows(scenario):
        writer.writerow([row[key] for key, _ in COLUMNS])
    text = buffer.getvalue()
    if isinstance(dest, (str, Path)):
        try:
            Path(dest).write_text(text, encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise DrillsimError(f"{dest}: cannot write the events list: {exc.strerror}") from None
    elif dest is not None:
        dest.write(text)
    return text


# ----------------------------------------------------------------------------------------
# Import
# ----------------------------------------------------------------------------------------
def _norm_header(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DrillsimError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise DrillsimError(f"{path}: is a directory, not a CSV file") from None
    except OSError as exc:
        raise DrillsimError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp949")  # what Korean spreadsheet programs save as "CSV"
    except UnicodeDecodeError as exc:
        raise DrillsimError(f"{path}: not UTF-8 (nor cp949) text: byte {exc.start} cannot be read; save the sheet as 'CSV UTF-8'") from None


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


def _parse_time(row: _Row, scenario: Scenario) -> str | None:
    at_text = row.get("at")
    local_text = row.get("local")
    at: float | None = None
    if at_text:
        text = at_text[2:].strip() if at_text.upper().startswith("T+") else at_text
        try:
            at = parse_duration(text)
        except ValueError as exc:
            row.problem("at", str(exc))
            return None
    if local_text:
        try:
            when = datetime.fromisoformat(local_text.replace("/", "-"))
        except ValueError:
            row.problem("local", f"{local_text!r} is not a date-time: write e.g. {scenario.start.astimezone(scenario.zone).strftime(_LOCAL_FORMAT)}")
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=scenario.zone)
        local_at = (when - scenario.start) / timedelta(hours=1)
        if at is None:
            if local_at < 0:
                row.problem("local", f"{local_text} is before the scenario starts ({scenario.start.astimezone(scenario.zone).strftime(_LOCAL_FORMAT)})")
                return None
            at = round(local_at * 60) / 60  # the sheet's precision: minutes
        elif abs(local_at - at) > 1 / 60 + 1e-9:
            row.problem("local", f"{local_text} is T+{_dur(max(local_at, 0))} but {HEADERS['at']!r} says {at_text}: fill in only one, or make them agree")
            return None
    if at is None:
        row.problem("at", "when does it happen? fill in the time after start (e.g. 2h) or the local date-time")
        return None
    return _dur(at)


def _row_entry(row: _Row, scenario: Scenario) -> dict[str, Any] | None:
    """The inject entry of one row (as it goes into YAML), or None when the row has problems."""
    before = len(row.problems)
    entry: dict[str, Any] = {}
    if row.get("id"):
        entry["id"] = row.get("id")
    at = _parse_time(row, scenario)
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
    if action in ("fail", "destroy", "restore", "fail_system", "restore_system", "suspend", "resume", "decision"):
        entry[action] = target
        if "for" in details:
            entry["for"] = details["for"]
    elif action == "surge":
        entry["surge"] = {"systems": _split_ids(target), **details}
        if "factor" not in details:
            row.problem("details", "a surge needs factor=... (e.g. factor=3.5)")
            return None
    elif action == "add_staff":
        entry["add_staff"] = {"team": target, **details}
        if "staff" not in details:
            row.problem("details", "add_staff needs staff=... (how many people)")
            return None
    elif action == "prefer":
        entry["prefer"] = {"systems": _split_ids(target), **details}
        if "option" not in details:
            row.problem("details", "prefer needs option=... (the recovery option to try first)")
            return None
    elif action == "set_capacity":
        entry["set_capacity"] = {"domain": target, **details}
        if "free_capacity" not in details:
            row.problem("details", "set_capacity needs free_capacity=... (a number of systems)")
            return None
    for key in ("title", "message"):
        if row.get(key):
            entry[key] = row.cells[key]  # texts are kept exactly as written (line breaks and all)
    expected = row.cells.get("expected") or ""
    if expected.strip() and not (action == "decision" and " ".join(expected.split()) == decision_text(scenario, target)):
        entry["expected"] = expected
    return entry


def _target_kind(action: str) -> str:
    return {
        "fail": "a domain", "destroy": "a domain", "restore": "a domain", "set_capacity": "a domain",
        "fail_system": "a system", "restore_system": "a system", "suspend": "a system", "resume": "a system", "surge": "one or more systems",
        "prefer": "one or more systems", "add_staff": "a team", "decision": "a decision id",
    }.get(action, "")


def _column_of(path: tuple[Any, ...]) -> str | None:
    """The sheet column a path inside one inject comes from."""
    if not path:
        return "action"
    head = path[0]
    if head in ("id", "at", "title", "message", "expected"):
        return str(head)
    if head == "for":
        return "details"
    if head in ("surge", "prefer"):
        return "target" if len(path) > 1 and path[1] == "systems" else "details"
    if head == "add_staff":
        return "target" if len(path) > 1 and path[1] == "team" else "details"
    if head == "set_capacity":
        return "target" if len(path) > 1 and path[1] == "domain" else "details"
    if head in ACTION_FIELDS:
        return "target"
    return "action"


def _loc(value: Any) -> Any:
    """Plain dicts and lists as the located types validation follows (so errors keep their path)."""
    if isinstance(value, dict):
        out = LocDict({k: _loc(v) for k, v in value.items()})
        return out
    if isinstance(value, list):
        out_list = LocList([_loc(v) for v in value])
        return out_list
    return value


def _row_order(problem: str) -> int:
    match = re.search(r": row (\d+)", problem)
    return int(match.group(1)) if match else 0


def read_msel(source: str | Path | TextIO, scenario: LoadedScenario, name: str | None = None) -> MselImport:
    """Read an events list and check it against ``scenario``; raise MselError listing every problem.

    ``source`` is a CSV file path or an open text file (then ``name`` is used in messages).
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        file = name or str(path)
        text = _read_text(path)
    else:
        file = name or str(getattr(source, "name", None) or "<events list>")
        text = source.read()
    problems: list[str] = []
    warnings: list[str] = []
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # the header tells: comma, or semicolon / tab in some locales
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter if first.count(delimiter) else ",")
    try:
        records = list(reader)
    except csv.Error as exc:
        raise MselError([f"{file}: row {reader.line_num}: not valid CSV: {exc}"]) from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise MselError([f"{file}: row 1: the header row is missing (expected columns: {', '.join(h for _, h in COLUMNS)})"])
    header = records[0]
    columns: dict[int, str] = {}
    for index, title in enumerate(header):
        key = HEADER_ALIASES.get(_norm_header(title))
        if key is None:
            if title.strip():
                hint = did_you_mean(title.strip(), [h for _, h in COLUMNS])
                warnings.append(f"{file}: row 1: column {title.strip()!r} is not part of the events list and is ignored{hint}")
            continue
        if key in columns.values():
            problems.append(f"{file}: row 1: column {title.strip()!r} repeats {HEADERS[key]!r}")
            continue
        columns[index] = key
    present = set(columns.values())
    if "action" not in present:
        problems.append(f"{file}: row 1: no {HEADERS['action']!r} column (expected columns: {', '.join(h for _, h in COLUMNS)})")
    if "at" not in present and "local" not in present:
        problems.append(f"{file}: row 1: no {HEADERS['at']!r} (or {HEADERS['local']!r}) column: when does each inject happen?")
    if problems:
        raise MselError(problems)
    sc = scenario.scenario
    entries: list[dict[str, Any]] = []
    numbers: list[int] = []
    seen_ids: dict[str, int] = {}
    for k, record in enumerate(records[1:]):
        number = k + 2
        if not any(cell.strip() for cell in record):
            continue  # blank rows at the end of a sheet
        if len(record) > len(header) and any(cell.strip() for cell in record[len(header):]):
            problems.append(f"{file}: row {number}: {len(record)} cells but the header has {len(header)} columns (a stray comma or delimiter?)")
            continue
        cells = {key: record[index] for index, key in columns.items() if index < len(record)}
        row = _Row(file, number, cells, problems)
        entry = _row_entry(row, sc)
        if entry is None:
            continue
        inject_id = entry.get("id")
        if inject_id is not None:
            if inject_id in seen_ids:
                row.problem("id", f"id {inject_id!r} is already used in row {seen_ids[inject_id]}")
                continue
            seen_ids[inject_id] = number
        try:
            Inject.model_validate(entry)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                message = error["msg"].removeprefix("Value error, ")
                if error["type"] == "string_pattern_mismatch":
                    message = f"{error['input']!r} is not an id (letters, digits and _ . : - only)"
                elif "input" in error and not isinstance(error["input"], dict) and error["type"] not in ("value_error", "assertion_error"):
                    message = f"{message} (got {error['input']!r})"
                row.problem(_column_of(tuple(error["loc"])), message)
            continue
        entries.append(entry)
        numbers.append(number)
    # The rows that parsed are checked against the scenario (targets, decision ids...) even when
    # others did not, so that every problem is reported at once, in row order.
    data = merge(scenario.data, {"injects": _loc(entries)}, top_level=True, replace=frozenset({"injects"}))
    loaded = None
    try:
        loaded = scenario_from_data(data, scenario.files)
    except DrillsimError as exc:
        diagnostics = getattr(exc, "diagnostics", None)
        if diagnostics is None:
            raise
        for diag in diagnostics:
            if diag.severity is not Severity.error:
                continue
            if diag.path[:1] == ("injects",) and len(diag.path) > 1 and isinstance(diag.path[1], int):
                row = _Row(file, numbers[diag.path[1]], {}, problems)
                row.problem(_column_of(tuple(diag.path[2:])), diag.message)
            else:
                problems.append(f"{file}: {diag.format()}")
    if problems or loaded is None:
        raise MselError(sorted(problems, key=_row_order))
    for diag in loaded.warnings:
        if diag.path[:1] == ("injects",) and len(diag.path) > 1 and isinstance(diag.path[1], int):
            row = _Row(file, numbers[diag.path[1]], {}, warnings)
            row.problem(_column_of(tuple(diag.path[2:])), "warning: " + diag.message)
    return MselImport(entries, numbers, warnings, loaded.scenario)


# ----------------------------------------------------------------------------------------
# Overlay
# ----------------------------------------------------------------------------------------
def overlay_document(scenario_path: str | Path, overlay_path: str | Path, injects: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The overlay that makes ``injects`` the inject list of the scenario at ``scenario_path``."""
    target = Path(scenario_path).resolve()
    base = Path(overlay_path).resolve().parent
    try:
        shared = Path(os.path.commonpath([target, base]))
        extends = os.path.relpath(target, base) if shared != Path(shared.anchor) else str(target)
    except ValueError:  # another drive (Windows)
        extends = str(target)
    return {"extends": Path(extends).as_posix(), "replace": ["injects"], "injects": list(injects)}


class _Dumper(yaml.SafeDumper):
    """Block style, long lines kept, multi-line messages as literal blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def write_overlay(path: str | Path, scenario_path: str | Path, result: MselImport, source: str | None = None) -> Path:
    """Write the imported injects as a YAML overlay of the scenario at ``scenario_path``."""
    out = Path(path)
    document = overlay_document(scenario_path, out, result.injects)
    header = [
        f"# Injects imported from {source} by 'drillsim injects import'." if source else "# Injects imported by 'drillsim injects import'.",
        f"# Load this file instead of {Path(scenario_path).name}: it extends the scenario and, with",
        "# 'replace: [injects]', its inject list replaces the scenario's.",
    ]
    head = yaml.dump({"extends": document["extends"]}, Dumper=_Dumper, allow_unicode=True, width=100)
    body = yaml.dump({"injects": document["injects"]}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    try:
        out.write_text("\n".join(header) + "\n" + head + "replace: [injects]\n" + body, encoding="utf-8")
    except OSError as exc:
        raise DrillsimError(f"{out}: cannot write the overlay: {exc.strerror}") from None
    return out


def import_msel(
    scenario: LoadedScenario, scenario_path: str | Path, csv_path: str | Path, out: str | Path | None = None
) -> tuple[MselImport, Path]:
    """Read ``csv_path`` against the scenario and write the overlay (default: beside the CSV, ``<name>.yaml``)."""
    result = read_msel(csv_path, scenario)
    target = Path(out) if out is not None else Path(csv_path).with_suffix(".yaml")
    write_overlay(target, scenario_path, result, source=Path(csv_path).name)
    return result, target

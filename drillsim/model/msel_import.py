"""Reading an events list back: the sheet's rows checked against the scenario, written as an overlay.

:func:`read_msel` reads a CSV file or an Excel workbook (:mod:`drillsim.model.sheets`), maps its
header to the columns of :mod:`drillsim.model.msel` (aliases, any order), turns every row into an
inject entry (:func:`drillsim.model.msel._row_entry`) and checks them all against the scenario,
reporting every problem at once by file, row and column. :func:`write_overlay` writes the result
as a YAML overlay that ``extends`` the scenario and replaces its injects; :func:`import_msel`
does both.

**The two time columns.** A row says when it happens by *Time after start* (``T+2h``), by *Local
date-time*, or by both. The export writes both, and the local date-time column's header names the
start it counts from (``Local date-time (start 2025-09-26 20:15)``). When both are filled in and
disagree, the one the user changed wins: the row is compared with what the export of the
scenario wrote for it (the inject with the same id, else with the same action and target), so
editing only the time after start of an exported sheet moves the inject, and editing only the
clock does too. When both changed and disagree, the message says which one to clear.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterable, TextIO

import yaml
from pydantic import ValidationError

from .diagnostics import DrillsimError, Severity
from .injects import Inject
from .loading import LoadedScenario, scenario_from_data
from .msel import _LOCAL_FORMAT, COLUMNS, HEADER_ALIASES, HEADERS, MselError, MselImport, _column_of, _dur, _Row, _row_entry, _split_ids, msel_rows
from .overlays import merge
from .scenario import Scenario
from .sheets import TableError, read_table
from .units import parse_duration
from .validation import did_you_mean
from .yamlio import LocDict, LocList

__all__ = ["read_msel", "import_msel", "write_overlay", "overlay_document"]

_START = re.compile(r"\(\s*start\s+([^)]*)\)\s*$", re.IGNORECASE)
"""The start the export counted local times from, in the local date-time header."""

_MINUTE = 1 / 60 + 1e-9


def _norm_header(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _START.sub("", text).lower())


def _exported_start(title: str, scenario: Scenario) -> datetime | None:
    match = _START.search(title)
    if not match:
        return None
    try:
        when = datetime.fromisoformat(match.group(1).strip().replace("/", "-"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=scenario.zone)


class _Times:
    """What the export of the scenario wrote for each row: times by id and by (action, target)."""

    def __init__(self, scenario: Scenario, start: datetime):
        self.scenario = scenario
        self.start = start
        self.by_id: dict[str, list[float]] = {}
        self.by_key: dict[tuple[str, tuple[str, ...]], list[float]] = {}
        for row in msel_rows(scenario):
            at = parse_duration(row["at"])
            if row["id"]:
                self.by_id.setdefault(row["id"], []).append(at)
            self.by_key.setdefault((row["action"], tuple(_split_ids(row["target"]))), []).append(at)

    def exported(self, row: _Row) -> list[float]:
        """The times the export wrote for injects this row can be (empty: a new row)."""
        if row.get("id") in self.by_id:
            return self.by_id[row.get("id")]
        action = re.sub(r"[\s-]+", "_", row.get("action").lower()) or "message"
        return self.by_key.get((action, tuple(_split_ids(row.get("target")))), [])

    def local(self, hours: float) -> str:
        return (self.start + timedelta(hours=hours)).astimezone(self.scenario.zone).strftime(_LOCAL_FORMAT)


def _parse_time(row: _Row, times: _Times) -> str | None:
    """The row's time after start (as text), from whichever of its two time columns tells it."""
    scenario = times.scenario
    at_text, local_text = row.get("at"), row.get("local")
    at: float | None = None
    if at_text:
        text = at_text[2:].strip() if at_text.upper().startswith("T+") else at_text
        try:
            at = parse_duration(text)
        except ValueError as exc:
            row.problem("at", str(exc))
            return None
    if local_text:
        start_text = scenario.start.astimezone(scenario.zone).strftime(_LOCAL_FORMAT)
        try:
            when = datetime.fromisoformat(local_text.replace("/", "-"))
        except ValueError:
            row.problem("local", f"{local_text!r} is not a date-time: write e.g. {start_text}")
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=scenario.zone)
        local_at = (when - scenario.start) / timedelta(hours=1)  # in the scenario as it is now
        as_exported = (when - times.start) / timedelta(hours=1)  # from the start the sheet was written with
        if at is not None and abs(as_exported - at) > _MINUTE:
            exported = times.exported(row)
            at_kept = any(abs(at - t) <= _MINUTE for t in exported)
            local_kept = any(abs(as_exported - t) <= _MINUTE for t in exported)
            if at_kept == local_kept:  # both changed (or a new row), and they disagree
                was = f" (the export wrote T+{_dur(exported[0])} and {times.local(exported[0])})" if len(exported) == 1 else ""
                row.problem(
                    "local",
                    f"{local_text} is T+{_dur(max(as_exported, 0))} but {HEADERS['at']!r} says {at_text}{was}: clear "
                    f"{HEADERS['local']!r} to use {at_text}, or clear {HEADERS['at']!r} to use {local_text}",
                )
                return None
            if at_kept:
                at = None  # only the local date-time was changed: it wins
        if at is None:
            if local_at < -_MINUTE:
                row.problem("local", f"{local_text} is before the scenario starts ({start_text})")
                return None
            at = max(0.0, round(local_at * 60) / 60)  # the sheet's precision: minutes
    if at is None:
        row.problem("at", "when does it happen? fill in the time after start (e.g. 2h) or the local date-time")
        return None
    return _dur(at)


def _loc(value: Any) -> Any:
    """Plain dicts and lists as the located types validation follows (so errors keep their path)."""
    if isinstance(value, dict):
        return LocDict({k: _loc(v) for k, v in value.items()})
    if isinstance(value, list):
        return LocList([_loc(v) for v in value])
    return value


def _row_order(problem: str) -> int:
    match = re.search(r": row (\d+)", problem)
    return int(match.group(1)) if match else 0


def _columns(header: list[str], file: str, problems: list[str], warnings: list[str]) -> dict[int, str]:
    """Sheet column index -> column key, from the header row (aliases, any order)."""
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
    return columns


def read_msel(source: str | Path | TextIO, scenario: LoadedScenario, name: str | None = None) -> MselImport:
    """Read an events list and check it against ``scenario``; raise MselError listing every problem.

    ``source`` is a CSV or XLSX file path, or an open CSV text file (then ``name`` is used in messages).
    """
    try:
        file, records = read_table(source, name)
    except TableError as exc:
        raise MselError(exc.problems) from None
    problems: list[str] = []
    warnings: list[str] = []
    if not records or not any(cell.strip() for cell in records[0][1]):
        raise MselError([f"{file}: row 1: the header row is missing (expected columns: {', '.join(h for _, h in COLUMNS)})"])
    header = records[0][1]
    columns = _columns(header, file, problems, warnings)
    if problems:
        raise MselError(problems)
    sc = scenario.scenario
    start = next((s for i, key in columns.items() if key == "local" and (s := _exported_start(header[i], sc))), None)
    if start is not None and start != sc.start:
        warnings.append(
            f"{file}: row 1: the sheet was exported with the scenario starting {start.astimezone(sc.zone).strftime(_LOCAL_FORMAT)}; "
            f"it now starts {sc.start.astimezone(sc.zone).strftime(_LOCAL_FORMAT)}: times after start are kept, local date-times count from the new start"
        )
    times = _Times(sc, start or sc.start)
    entries: list[dict[str, Any]] = []
    numbers: list[int] = []
    seen_ids: dict[str, int] = {}
    for number, record in records[1:]:
        if not any(cell.strip() for cell in record):
            continue  # blank rows at the end of a sheet
        if len(record) > len(header) and any(cell.strip() for cell in record[len(header):]):
            problems.append(f"{file}: row {number}: {len(record)} cells but the header has {len(header)} columns (a stray comma or delimiter?)")
            continue
        cells = {key: record[index] for index, key in columns.items() if index < len(record)}
        row = _Row(file, number, cells, problems)
        entry = _row_entry(row, sc, _parse_time(row, times))
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
    scenario: LoadedScenario, scenario_path: str | Path, sheet_path: str | Path, out: str | Path | None = None
) -> tuple[MselImport, Path]:
    """Read ``sheet_path`` (CSV or XLSX) against the scenario and write the overlay (default: beside it, ``<name>.yaml``)."""
    result = read_msel(sheet_path, scenario)
    target = Path(out) if out is not None else Path(sheet_path).with_suffix(".yaml")
    write_overlay(target, scenario_path, result, source=Path(sheet_path).name)
    return result, target

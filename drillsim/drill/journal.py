"""The drill journal: a JSON-lines file that lets a drill be resumed, replayed and reported on.

Line 1 is a header: the scenario file, its content hash (:attr:`LoadedScenario.hash`), the seed,
the drillsim version and when the drill started. Every later line is one command that changed
the world, in the order it was given:

=========  ==========================================  ============================================================
``type``   fields                                      meaning
=========  ==========================================  ============================================================
step       ``t``                                       run to the next event the team can see
advance    ``to``, ``t``                               run to ``to`` hours after the start (or until a decision opens)
act        ``id``, ``t``                               take the action ``id`` (see ``Simulation.actions``)
decide     ``decision``, ``option``, ``t``             answer an open decision point
order      ``text``, ``by``, ``t``                     a standing order or bulk action (``work all by grade``)
inject     ``text``, ``by``, ``t``                     a facilitator's inject (``fail daejeon-room-1 for 2h``)
undo       ``undone``, ``by``, ``t``                   undo the command numbered ``undone`` (it stays in the journal)
end        ``by``, ``t``                               the facilitator ended the drill here
resume     ``at``                                      the drill was resumed here (changes nothing)
=========  ==========================================  ============================================================

``t`` is the simulation time (hours since the start) *after* the command, ``n`` a sequence
number and ``at`` the wall-clock time (UTC) it was given; replaying a journal checks ``t`` at
every line, so a journal the engine no longer plays the same way is caught at the first line
that differs. Viewing choices (the facilitator view, grouping, opening a screen) change nothing
in the world and are not journalled.

Each line is written in one ``write``, flushed and ``fsync``-ed before the caller goes on (the
drill app updates its screen only afterwards). A power cut can therefore leave at most the last
line cut short: :func:`read_journal` drops such a line with a warning, and
:meth:`JournalWriter.reopen` cuts it off before appending.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import __version__
from ..model.diagnostics import DrillsimError

__all__ = [
    "FORMAT",
    "COMMAND_TYPES",
    "JournalHeader",
    "JournalEntry",
    "Journal",
    "JournalWriter",
    "read_journal",
    "utc_now",
]

FORMAT = "drillsim-journal"
"""The ``format`` field of every journal header."""
FORMAT_VERSION = 1

COMMAND_TYPES = ("step", "advance", "act", "decide", "order", "inject", "undo", "end")
"""Entry types that change the world (replayed in order)."""
_MARKER_TYPES = ("resume",)
_REQUIRED = {"step": (), "advance": ("to",), "act": ("id",), "decide": ("decision", "option"), "order": ("text",), "inject": ("text",), "undo": ("undone",), "end": ()}


def utc_now() -> str:
    """The current wall-clock time as an ISO 8601 string in UTC (seconds precision)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class JournalHeader:
    """The first line of a journal: which scenario, which version of it, which seed."""

    scenario: str
    """Path of the scenario file, as resolved when the drill started."""
    scenario_hash: str
    """Content hash of the merged scenario document; a resume refuses any other."""
    seed: int
    scenario_id: str = ""
    drillsim: str = __version__
    started_at: str = ""
    policy: str = "manual"

    def to_json(self) -> dict[str, Any]:
        """The header line as a JSON object."""
        return {
            "type": "header",
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "scenario": self.scenario,
            "scenario_id": self.scenario_id,
            "scenario_hash": self.scenario_hash,
            "seed": self.seed,
            "policy": self.policy,
            "drillsim": self.drillsim,
            "started_at": self.started_at,
        }

    @classmethod
    def from_json(cls, data: Any, where: str) -> "JournalHeader":
        """Parse a header line; raise DrillsimError if it is not one."""
        if not isinstance(data, dict) or data.get("type") != "header" or data.get("format") != FORMAT:
            raise DrillsimError(f"{where}: not a drillsim journal (the first line must be its header)")
        if data.get("version") != FORMAT_VERSION:
            raise DrillsimError(f"{where}: journal format version {data.get('version')!r} is not supported (this drillsim reads version {FORMAT_VERSION})")
        try:
            return cls(
                scenario=str(data["scenario"]),
                scenario_hash=str(data["scenario_hash"]),
                seed=int(data["seed"]),
                scenario_id=str(data.get("scenario_id", "")),
                drillsim=str(data.get("drillsim", "")),
                started_at=str(data.get("started_at", "")),
                policy=str(data.get("policy", "manual")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DrillsimError(f"{where}: the journal header is incomplete ({exc})") from None


@dataclass(frozen=True)
class JournalEntry:
    """One journalled command (or marker)."""

    type: str
    """step, advance, act, decide (commands) or resume (a marker)."""
    data: dict[str, Any] = field(default_factory=dict)
    """The command's own fields (``to``, ``id``, ``decision``/``option``)."""
    t: float | None = None
    """Simulation time after the command (hours since the start)."""
    n: int = 0
    at: str = ""
    line: int = 0
    """1-based line number in the journal file (0 for entries not read from a file)."""

    @property
    def is_command(self) -> bool:
        """Whether replaying this entry changes the world."""
        return self.type in COMMAND_TYPES

    def describe(self) -> str:
        """How the entry reads in a timeline: 'act recover/login/restore'."""
        if self.type == "advance":
            return f"advance to {self.data['to']:g}h"
        if self.type == "act":
            return f"act {self.data['id']}"
        if self.type == "decide":
            return f"decide {self.data['decision']}: {self.data['option']}"
        if self.type in ("order", "inject"):
            return f"{self.type} {self.data['text']}"
        if self.type == "undo":
            return f"undo #{self.data['undone']}"
        return self.type

    def to_json(self) -> dict[str, Any]:
        """The entry as a JSON object (one journal line)."""
        out: dict[str, Any] = {"type": self.type, **self.data}
        if self.t is not None:
            out["t"] = self.t
        out["n"] = self.n
        out["at"] = self.at
        return out

    @classmethod
    def from_json(cls, data: Any, line: int, where: str) -> "JournalEntry":
        """Parse one line after the header; raise DrillsimError naming the line if it is not an entry."""
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            raise DrillsimError(f"{where}:{line}: not a journal entry (an object with a 'type')")
        kind = data["type"]
        if kind not in COMMAND_TYPES and kind not in _MARKER_TYPES:
            raise DrillsimError(f"{where}:{line}: unknown journal entry type {kind!r} (known: {', '.join(COMMAND_TYPES + _MARKER_TYPES)})")
        missing = [k for k in _REQUIRED.get(kind, ()) if k not in data]
        if missing:
            raise DrillsimError(f"{where}:{line}: {kind} entry without {', '.join(missing)}")
        payload = {k: v for k, v in data.items() if k not in ("type", "t", "n", "at")}
        if kind == "advance":
            try:
                payload["to"] = float(payload["to"])
            except (TypeError, ValueError):
                raise DrillsimError(f"{where}:{line}: advance entry with a bad 'to': {data['to']!r}") from None
        t = data.get("t")
        if t is not None and not isinstance(t, (int, float)):
            raise DrillsimError(f"{where}:{line}: bad time 't': {t!r}")
        return cls(kind, payload, float(t) if t is not None else None, int(data.get("n", 0) or 0), str(data.get("at", "")), line)


@dataclass
class Journal:
    """A journal as read from disk."""

    path: Path
    header: JournalHeader
    entries: list[JournalEntry]
    truncated: bool = False
    """Whether the last line was cut short (and dropped)."""
    valid_bytes: int = 0
    """Length of the file up to the end of the last complete line."""
    warnings: list[str] = field(default_factory=list)

    @property
    def commands(self) -> list[JournalEntry]:
        """The entries that change the world, in order."""
        return [e for e in self.entries if e.is_command]


def read_journal(path: str | Path) -> Journal:
    """Read a journal; a last line cut short (power cut mid-write) is dropped with a warning.

    Raises:
        DrillsimError: the file is missing, is not a journal, or a line other than the last is
            damaged (the message names the line).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DrillsimError(f"journal {path} does not exist") from None
    except OSError as exc:
        raise DrillsimError(f"cannot read journal {path}: {exc.strerror or exc}") from None
    where = str(path)
    *complete, partial = raw.split(b"\n")  # partial: what follows the last newline (b"" normally)
    header: JournalHeader | None = None
    entries: list[JournalEntry] = []
    warnings: list[str] = []
    truncated = False
    offset = valid = 0

    def take(data: Any, number: int) -> None:
        nonlocal header
        if header is None:
            header = JournalHeader.from_json(data, where)
        else:
            entries.append(JournalEntry.from_json(data, number, where))

    for number, line in enumerate(complete, 1):
        offset += len(line) + 1
        text = line.strip()
        if text:
            try:
                data = json.loads(text)
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise DrillsimError(f"{where}:{number}: damaged line (not JSON): {text[:80].decode('utf-8', 'replace')!r}") from None
            take(data, number)
        valid = offset
    if partial.strip(b"\x00 \t\r"):
        number = len(complete) + 1
        try:
            data = json.loads(partial)
        except (json.JSONDecodeError, UnicodeDecodeError):
            truncated = True
            warnings.append(f"{where}:{number}: the last line was cut short (the drill was interrupted while writing it); it is ignored")
        else:
            take(data, number)  # complete but for its newline
            valid = offset + len(partial)
    elif partial:
        truncated = True  # padding (e.g. NUL bytes after a crash) after the last line
    if header is None:
        if truncated:
            raise DrillsimError(f"{where}: the journal was cut short while its header was written: the drill had not started, nothing to resume")
        raise DrillsimError(f"{where}: empty journal (no header line)")
    return Journal(path, header, entries, truncated, valid, warnings)


class JournalWriter:
    """Appends entries to a journal file, each flushed and fsync-ed before :meth:`append` returns."""

    def __init__(self, path: Path, handle: Any, next_n: int):
        self.path = path
        self._handle = handle
        self._n = next_n

    @classmethod
    def create(cls, path: str | Path, header: JournalHeader) -> "JournalWriter":
        """Start a new journal; refuses to overwrite an existing file."""
        path = Path(path)
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle = open(path, "xb")
        except FileExistsError:
            raise DrillsimError(f"journal {path} already exists: continue it with --resume {path}, or choose another --journal") from None
        except OSError as exc:
            raise DrillsimError(f"cannot create journal {path}: {exc.strerror or exc}") from None
        writer = cls(path, handle, 1)
        writer._write(header.to_json())
        _fsync_dir(path)
        return writer

    @classmethod
    def reopen(cls, journal: Journal) -> "JournalWriter":
        """Continue an existing journal: cut off a last line written in part, then append."""
        path = journal.path
        try:
            handle = open(path, "r+b")
        except OSError as exc:
            raise DrillsimError(f"cannot open journal {path} for writing: {exc.strerror or exc}") from None
        handle.seek(0, os.SEEK_END)
        if handle.tell() != journal.valid_bytes:
            handle.truncate(journal.valid_bytes)
        handle.seek(journal.valid_bytes)
        if journal.valid_bytes:
            handle.seek(journal.valid_bytes - 1)
            if handle.read(1) != b"\n":
                handle.write(b"\n")  # the last complete line lacked its newline
        handle.flush()
        os.fsync(handle.fileno())
        last = max((e.n for e in journal.entries), default=0)
        return cls(path, handle, last + 1)

    def append(self, type: str, t: float | None = None, **data: Any) -> JournalEntry:
        """Write one entry and make it durable (flush + fsync); return it."""
        entry = JournalEntry(type, data, t, self._n, utc_now())
        self._write(entry.to_json())
        self._n += 1
        return entry

    def _write(self, obj: dict[str, Any]) -> None:
        if self._handle is None:
            raise DrillsimError(f"journal {self.path} is closed")
        line = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
        self._handle.write(line.encode("utf-8"))
        self._handle.flush()
        os.fsync(self._handle.fileno())

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._handle is None

    def close(self) -> None:
        """Close the file (every entry is already on disk)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def _fsync_dir(path: Path) -> None:
    """Make a new file's directory entry durable too (POSIX; a no-op where unsupported)."""
    try:
        fd = os.open(path.parent if str(path.parent) else Path("."), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

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
report     ``seat``, ``org``, ``systems``, ``truth``   a seat's situation report (changes nothing; networked drills)
=========  ==========================================  ============================================================

Commands given from a network seat (``drillsim serve``) carry one more field, ``seat``: the seat
that gave them (never its token). Replaying ignores it.

``t`` is the simulation time (hours since the start) *after* the command, ``n`` a sequence
number and ``at`` the wall-clock time (UTC) it was given; replaying a journal checks ``t`` at
every line, so a journal the engine no longer plays the same way is caught at the first line
that differs. Viewing choices (the facilitator view, grouping, opening a screen) change nothing
in the world and are not journalled.

Each line is written in one ``write``, flushed and ``fsync``-ed before the caller goes on (the
drill app updates its screen only afterwards). A power cut can therefore leave at most the last
line cut short: :func:`~drillsim.drill.journal_read.read_journal` drops such a line with a warning, and
:meth:`JournalWriter.reopen` cuts it off before appending.

**Tampering shows.** Every line carries ``h``, a hash chained through the journal: the header's
is the SHA-256 of the scenario's hash and the header's own fields, each later line's that of the
previous line's ``h`` and its own fields (16 hex digits each). :func:`~drillsim.drill.journal_read.read_journal` checks every
line's types, that ``n`` counts 1, 2, 3... without gaps, and the chain (replaying checks ``t``), so a line edited, deleted or moved is reported with its line number
(:class:`JournalTampered`). A small companion file ``<journal>.last`` records the last line
written (its ``n`` and ``h``; rewritten after each line, not fsync-ed: after a power cut it may
lag, never lead), so lines removed from the end are reported too. Resuming a damaged journal
from its last good line is :meth:`DrillSession.resume`'s ``from_last_good``
(``drillsim drill --resume J --from-last-good``), which sets the rest aside in a copy first.
The hashes hold no secret: they show accidents and naive edits, not a forger who recomputes them.

Journals written before the chain (format version 1) are still read, resumed and replayed, with
a warning that their edits cannot be detected: they are records of drills already played (their
after-action reports), and refusing them would lose those without making them any safer. Lines
appended to such a journal on resume stay in its format.
"""

from __future__ import annotations

import hashlib
import json
import math
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
    "JournalTampered",
    "utc_now",
]

FORMAT = "drillsim-journal"
"""The ``format`` field of every journal header."""
FORMAT_VERSION = 2
"""Version 2 chains the lines with hashes; version 1 (unchained) is still read."""
_VERSIONS = (1, 2)
MAX_SEED = 2**63 - 1

COMMAND_TYPES = ("step", "advance", "act", "decide", "order", "inject", "undo", "end")
"""Entry types that change the world (replayed in order)."""
_MARKER_TYPES = ("resume", "report")  # change nothing in the world (a report: drillsim.seats.reports)
_REQUIRED = {"step": (), "advance": ("to",), "act": ("id",), "decide": ("decision", "option"), "order": ("text",), "inject": ("text",), "undo": ("undone",), "end": ()}


def _dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def chain_hash(previous: str, obj: dict[str, Any]) -> str:
    """The ``h`` of a line: SHA-256 of the previous line's ``h`` and the line's fields (without ``h``), 16 hex digits."""
    body = {k: v for k, v in obj.items() if k != "h"}
    return hashlib.sha256(f"{previous}\n{_dumps(body)}".encode("utf-8")).hexdigest()[:16]


class JournalTampered(DrillsimError):
    """A journal whose line ``line`` is damaged, edited, out of place, or whose end was cut off.

    ``good`` holds what was read before that line (header and entries), so a drill can go on
    from the last good line when asked to (:meth:`DrillSession.resume` with ``from_last_good``).
    """

    def __init__(self, message: str, line: int, good: "Journal | None"):
        super().__init__(message)
        self.line = line
        self.good = good


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
    version: int = FORMAT_VERSION
    """1: written before lines were chained (no ``h``); 2: chained."""

    @property
    def chained(self) -> bool:
        """Whether the journal's lines carry chained hashes."""
        return self.version >= 2

    def to_json(self) -> dict[str, Any]:
        """The header line as a JSON object."""
        return {
            "type": "header",
            "format": FORMAT,
            "version": self.version,
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
        version = data.get("version")
        if isinstance(version, bool) or version not in _VERSIONS:
            raise DrillsimError(f"{where}:1: journal format version {_short(version)} is not supported (this drillsim reads versions {', '.join(map(str, _VERSIONS))})")
        for key in ("scenario", "scenario_hash"):
            if key not in data:
                raise DrillsimError(f"{where}:1: the journal header is incomplete (no {key!r})")
            if not isinstance(data[key], str) or not data[key] or len(data[key]) > 4096:
                raise DrillsimError(f"{where}:1: the journal header's {key!r} must be text, got {_short(data[key])}")
        seed = data.get("seed")
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
            raise DrillsimError(f"{where}:1: the journal header's seed must be a whole number from 0 to {MAX_SEED}, got {_short(seed)}")
        for key in ("scenario_id", "drillsim", "started_at", "policy"):
            if key in data and not isinstance(data[key], str):
                raise DrillsimError(f"{where}:1: the journal header's {key!r} must be text, got {_short(data[key])}")
        return cls(
            scenario=data["scenario"],
            scenario_hash=data["scenario_hash"],
            seed=seed,
            scenario_id=data.get("scenario_id", ""),
            drillsim=data.get("drillsim", ""),
            started_at=data.get("started_at", ""),
            policy=data.get("policy", "manual"),
            version=version,
        )


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
        """The entry as a JSON object (one journal line, without its hash)."""
        out: dict[str, Any] = {"type": self.type, **self.data}
        if self.t is not None:
            out["t"] = self.t
        out["n"] = self.n
        out["at"] = self.at
        return out

    @classmethod
    def from_json(cls, data: Any, line: int, where: str) -> "JournalEntry":
        """Parse one line after the header; raise DrillsimError naming the line if any field has the wrong type."""
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            raise DrillsimError(f"{where}:{line}: not a journal entry (an object with a 'type')")
        kind = data["type"]
        if kind not in COMMAND_TYPES and kind not in _MARKER_TYPES:
            raise DrillsimError(f"{where}:{line}: unknown journal entry type {_short(kind)} (known: {', '.join(COMMAND_TYPES + _MARKER_TYPES)})")
        missing = [k for k in _REQUIRED.get(kind, ()) if k not in data]
        if missing:
            raise DrillsimError(f"{where}:{line}: {kind} entry without {', '.join(missing)}")
        payload = {k: v for k, v in data.items() if k not in ("type", "t", "n", "at", "h")}
        for key in ("id", "decision", "option"):
            if key in _REQUIRED.get(kind, ()) and (not isinstance(payload[key], str) or len(payload[key]) > 1000):
                raise DrillsimError(f"{where}:{line}: {kind} entry with a bad {key!r}: {_short(payload[key])} (must be text)")
        if kind == "advance":
            to = payload["to"]
            if not _finite(to):
                raise DrillsimError(f"{where}:{line}: advance entry with a bad 'to': {_short(to)} (must be a finite number of hours)")
            payload["to"] = float(to)
        t = data.get("t")
        if t is not None and (not _finite(t) or t < 0):
            raise DrillsimError(f"{where}:{line}: bad time 't': {_short(t)} (must be a finite number of hours)")
        n = data.get("n", 0)
        if isinstance(n, bool) or not isinstance(n, int):
            raise DrillsimError(f"{where}:{line}: bad sequence number 'n': {_short(n)} (must be a whole number)")
        at = data.get("at", "")
        if not isinstance(at, str):
            raise DrillsimError(f"{where}:{line}: bad wall-clock time 'at': {_short(at)}")
        return cls(kind, payload, float(t) if t is not None else None, n, at, line)


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
    chain: str = ""
    """The ``h`` of the last line read (empty for an unchained journal): the next line chains from it."""

    @property
    def commands(self) -> list[JournalEntry]:
        """The entries that change the world, in order."""
        return [e for e in self.entries if e.is_command]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def last_path(path: Path) -> Path:
    """The companion file that records a journal's last line (``<journal>.last``)."""
    return path.with_name(path.name + ".last")




class JournalWriter:
    """Appends entries to a journal file, each flushed and fsync-ed before :meth:`append` returns."""

    def __init__(self, path: Path, handle: Any, next_n: int, chain: str | None = ""):
        self.path = path
        self._handle = handle
        self._n = next_n
        self._chain = chain
        """The previous line's ``h``; None for an unchained (version 1) journal."""

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
        writer = cls(path, handle, 1, header.scenario_hash)
        writer._write(header.to_json(), 0)
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
        return cls(path, handle, last + 1, journal.chain if journal.header.chained else None)

    def append(self, type: str, t: float | None = None, **data: Any) -> JournalEntry:
        """Write one entry and make it durable (flush + fsync); return it."""
        entry = JournalEntry(type, data, t, self._n, utc_now())
        self._write(entry.to_json(), self._n)
        self._n += 1
        return entry

    def _write(self, obj: dict[str, Any], n: int) -> None:
        if self._handle is None:
            raise DrillsimError(f"journal {self.path} is closed")
        if self._chain is not None:
            obj = {**obj, "h": chain_hash(self._chain, obj)}
            self._chain = obj["h"]
        line = _dumps(obj) + "\n"
        self._handle.write(line.encode("utf-8"))
        self._handle.flush()
        os.fsync(self._handle.fileno())
        if self._chain is not None:
            self._record_last(n)

    def _record_last(self, n: int) -> None:
        """Rewrite ``<journal>.last`` (atomically, not fsync-ed: after a power cut it may lag, never lead)."""
        target = last_path(self.path)
        tmp = target.with_name(target.name + ".tmp")
        try:
            tmp.write_text(_dumps({"n": n, "h": self._chain}) + "\n", encoding="utf-8")
            os.replace(tmp, target)
        except OSError:
            pass  # the journal itself is written; only the check of its end is weaker

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

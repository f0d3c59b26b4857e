"""Reading a drill journal back, and proving it was not edited.

:func:`read_journal` checks every line as it reads it: its JSON, its fields and their types, its
number ``n`` (counted without gaps) and its hash (chained from the previous line, the header's
from the scenario's hash). An edited, deleted, moved or added line, or lines cut from the end
(checked against ``<journal>.last``), raise :class:`~drillsim.drill.journal.JournalTampered`
naming the line; a last line cut short by a power cut is dropped with a warning. The records
themselves and the writer are in :mod:`drillsim.drill.journal`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..model.diagnostics import DrillsimError
from ..model.limits import MAX_JOURNAL_BYTES
from .journal import Journal, JournalEntry, JournalHeader, JournalTampered, chain_hash, last_path

__all__ = ["read_journal"]


def _read_last(path: Path) -> tuple[int, str] | None:
    """(n, h) of the last line written, from the companion file; None if absent or unreadable."""
    try:
        with open(last_path(path), "rb") as handle:
            data = json.loads(handle.read(4096))
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and isinstance(data.get("n"), int) and not isinstance(data.get("n"), bool) and isinstance(data.get("h"), str):
        return data["n"], data["h"]
    return None


def read_journal(path: str | Path) -> Journal:
    """Read a journal and check it; a last line cut short (power cut mid-write) is dropped with a warning.

    Raises:
        DrillsimError: the file is missing, not a regular file, too large, or not a journal.
        JournalTampered: a line other than a cut-short last one is damaged, has a field of the
            wrong type, is out of sequence (``n``, ``t``) or breaks the hash chain (edited,
            deleted, moved), or lines were removed from the end; the message names the line.
    """
    import stat

    path = Path(path)
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise DrillsimError(f"{path}: is not a regular file (a folder, a device or a pipe): only regular files are read as a journal")
            raw = handle.read(MAX_JOURNAL_BYTES + 1)
    except FileNotFoundError:
        raise DrillsimError(f"journal {path} does not exist") from None
    except IsADirectoryError:
        raise DrillsimError(f"{path}: is a folder, not a journal") from None
    except OSError as exc:
        raise DrillsimError(f"cannot read journal {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_JOURNAL_BYTES:
        raise DrillsimError(f"{path}: is more than the {MAX_JOURNAL_BYTES:,} bytes a journal may have")
    where = str(path)
    *complete, partial = raw.split(b"\n")  # partial: what follows the last newline (b"" normally)
    header: JournalHeader | None = None
    entries: list[JournalEntry] = []
    warnings: list[str] = []
    truncated = False
    offset = valid = 0
    chain = ""
    good_bytes = 0

    def good() -> Journal | None:
        return Journal(path, header, list(entries), False, good_bytes, list(warnings), chain) if header is not None else None

    def tampered(number: int, message: str) -> JournalTampered:
        last = entries[-1] if entries else None
        if header is None:
            return JournalTampered(f"{where}:{number}: {message}", number, None)
        since = f"line {last.line}, T+{last.t:g}h" if last is not None and last.t is not None else "its header"
        return JournalTampered(
            f"{where}:{number}: {message}. The journal is good up to {since}: resume from there with "
            f"--from-last-good (the rest is kept in a copy beside the journal), or replay an intact copy",
            number,
            good(),
        )

    def take(data: Any, number: int) -> None:
        nonlocal header, chain
        if header is None:
            header = JournalHeader.from_json(data, where)
            if header.chained:
                chain = _check_chain(data, header.scenario_hash, number)
            else:
                warnings.append(f"{where}: written before journal lines were chained (format version 1): an edited or deleted line cannot be detected")
            return
        try:
            entry = JournalEntry.from_json(data, number, where)
        except JournalTampered:
            raise
        except DrillsimError as exc:
            raise tampered(number, str(exc).split(": ", 1)[1] if str(exc).startswith(f"{where}:") else str(exc)) from None
        if header.chained:
            chain = _check_chain(data, chain, number)
        expected_n = entries[-1].n + 1 if entries else 1
        if header.chained or entry.n:
            if entry.n != expected_n:
                if entry.n > expected_n:
                    what = f"line(s) before it were deleted (n jumps from {expected_n - 1} to {entry.n})"
                else:
                    what = f"it is out of place (n is {entry.n} after {expected_n - 1}: lines were moved or copied)"
                raise tampered(number, what)
        entries.append(entry)  # its time 't' is checked when it is replayed

    def _check_chain(data: dict[str, Any], previous: str, number: int) -> str:
        h = data.get("h")
        if not isinstance(h, str):
            raise tampered(number, "the line has no hash 'h' (journal lines are chained): it was edited or inserted")
        if chain_hash(previous, data) != h:
            if number == 1:
                raise tampered(number, "the header was edited (its hash does not match its fields)")
            raise tampered(number, "the line was edited, or the line before it was deleted, edited or moved (the hash chain breaks here)")
        return h

    for number, line in enumerate(complete, 1):
        offset += len(line) + 1
        text = line.strip()
        if text:
            try:
                data = json.loads(text)
            except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
                raise tampered(number, f"damaged line (not JSON): {text[:80].decode('utf-8', 'replace')!r}") from None
            take(data, number)
        valid = offset
        good_bytes = valid
    if partial.strip(b"\x00 \t\r"):
        number = len(complete) + 1
        try:
            data = json.loads(partial)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
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
    if header.chained:
        last = _read_last(path)
        last_n = entries[-1].n if entries else 0
        if last is not None and last[0] > last_n:
            number = (entries[-1].line if entries else 1) + 1
            raise tampered(number, f"the journal ends at n={last_n}, but its last line written had n={last[0]} ({last_path(path).name}): lines were removed from its end")
    return Journal(path, header, entries, truncated, valid, warnings, chain)

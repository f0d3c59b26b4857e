"""Reading the files people name on the command line, with one set of messages when that fails.

Every command that opens a file a person named (a scenario, a case, a journal, an events list,
an options file) says the same thing when it cannot: ``PATH: file not found (the path does not
exist)``, ``PATH: is a directory, not a scenario file``, ``PATH: cannot read: Permission denied``, ``PATH: not UTF-8
text (invalid start byte at byte 17)``, as a :class:`~drillsim.model.diagnostics.DrillsimError`
(exit status 2, never a traceback). :func:`read_problem` gives the message part alone, for
callers that report through their own diagnostics (the YAML loader's ``file:line: message``).
"""

from __future__ import annotations

from pathlib import Path

from .diagnostics import DrillsimError

__all__ = ["NOT_FOUND", "read_problem", "decode_problem", "require_file", "read_bytes", "read_text", "read_head"]

NOT_FOUND = "file not found (the path does not exist)"
"""What a missing file is called."""


def read_problem(exc: OSError, what: str = "file") -> str:
    """What went wrong opening a file, without the path: ``file not found ...``, ``is a directory, not a <what>``, ..."""
    if isinstance(exc, FileNotFoundError):
        return NOT_FOUND
    if isinstance(exc, IsADirectoryError):
        return f"is a directory, not a {what}"
    return f"cannot read: {exc.strerror or exc}"


def decode_problem(exc: UnicodeDecodeError) -> str:
    """What is wrong with a file that is not UTF-8 text, without the path."""
    return f"not UTF-8 text ({exc.reason} at byte {exc.start})"


def require_file(path: str | Path, what: str = "file") -> Path:
    """``path`` as a Path if it names an existing file (not a directory); DrillsimError ``PATH: <problem>`` if not.

    For callers that hand the path on (to a loader) and want the problem reported before that.
    """
    path = Path(path)
    if path.is_dir():
        raise DrillsimError(f"{path}: {read_problem(IsADirectoryError(), what)}")
    if not path.exists():
        raise DrillsimError(f"{path}: {NOT_FOUND}")
    return path


def read_bytes(path: str | Path, what: str = "file") -> bytes:
    """The bytes of ``path``; DrillsimError ``PATH: <problem>`` when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise DrillsimError(f"{path}: {read_problem(exc, what)}") from None


def read_text(path: str | Path, what: str = "file") -> str:
    """The UTF-8 text of ``path`` (a byte-order mark is dropped); DrillsimError when it cannot be read or decoded."""
    raw = read_bytes(path, what)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DrillsimError(f"{path}: {decode_problem(exc)}") from None


def read_head(path: str | Path, size: int, what: str = "file") -> bytes:
    """The first ``size`` bytes of ``path`` (to tell file kinds apart); DrillsimError when it cannot be read."""
    try:
        with Path(path).open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise DrillsimError(f"{path}: {read_problem(exc, what)}") from None

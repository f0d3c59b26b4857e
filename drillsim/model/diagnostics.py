"""Diagnostics: what is wrong with a scenario, and exactly where (file, line, path inside the file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterable, Sequence

from .limits import MAX_ERRORS

__all__ = ["Severity", "Diagnostic", "Diagnostics", "ScenarioError", "format_path", "DrillsimError"]


class DrillsimError(Exception):
    """An error caused by the user's input; the CLI prints its message (no traceback) and exits 2."""


class Severity(str, Enum):
    """Errors stop a scenario from loading; warnings are printed and loading goes on."""

    error = "error"
    warning = "warning"


def format_path(path: Sequence[str | int]) -> str:
    """``('systems', 3, 'depends_on', 1)`` -> ``systems[3].depends_on[1]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Diagnostic:
    """One finding: severity, message, and where it is (file, 1-based line, path inside the document)."""

    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    path: tuple[str | int, ...] = field(default_factory=tuple)

    def format(self) -> str:
        """``file.yaml:12: systems[3].depends_on[1]: unknown system 'gpky' (did you mean 'gpki'?)``."""
        where = self.file or "<scenario>"
        if self.line is not None:
            where += f":{self.line}"
        where += ":"
        if self.path:
            where += f" {format_path(self.path)}:"
        prefix = "warning: " if self.severity is Severity.warning else ""
        return f"{where} {prefix}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        return {
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "path": format_path(self.path),
        }


class Diagnostics(list[Diagnostic]):
    """A list of diagnostics that also says how many more errors were found but not kept."""

    omitted: int = 0


class ScenarioError(DrillsimError):
    """A scenario that cannot be loaded; carries the diagnostics found, errors first.

    At most :data:`~drillsim.model.limits.MAX_ERRORS` errors are kept; the others are counted in
    :attr:`omitted` (a list built by a capped collector may bring its own count, as
    :class:`Diagnostics` does) and the message ends "... and N more errors".
    """

    def __init__(self, diagnostics: Iterable[Diagnostic], omitted: int = 0):
        omitted += getattr(diagnostics, "omitted", 0)
        ordered = sorted(diagnostics, key=lambda d: (d.severity is not Severity.error, d.file or "", d.line or 0))
        errors = [d for d in ordered if d.severity is Severity.error]
        if len(errors) > MAX_ERRORS:
            omitted += len(errors) - MAX_ERRORS
            dropped = set(map(id, errors[MAX_ERRORS:]))
            ordered = [d for d in ordered if id(d) not in dropped]
            errors = errors[:MAX_ERRORS]
        self.diagnostics = ordered
        self.omitted = omitted
        """Errors found beyond the ones kept."""
        lines = [d.format() for d in errors] or [d.format() for d in self.diagnostics]
        if omitted:
            lines.append(f"... and {omitted:,} more error{'s' if omitted != 1 else ''}")
        total = len(errors) + omitted
        summary = f"{total:,} error{'s' if total != 1 else ''}" if errors else "invalid scenario"
        super().__init__("\n".join(lines + [summary]))

    @property
    def error_count(self) -> int:
        """Every error found, kept or only counted."""
        return len(self.errors) + self.omitted

    @property
    def errors(self) -> list[Diagnostic]:
        """Only the errors."""
        return [d for d in self.diagnostics if d.severity is Severity.error]

"""Diagnostics: what is wrong with a scenario, and exactly where (file, line, path inside the file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Iterable, Sequence

__all__ = ["Severity", "Diagnostic", "ScenarioError", "format_path", "DrillsimError"]


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

    def as_dict(self) -> dict:
        """A JSON-friendly form."""
        return {
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "path": format_path(self.path),
        }


class ScenarioError(DrillsimError):
    """A scenario that cannot be loaded; carries every diagnostic found, errors first."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=lambda d: (d.severity is not Severity.error, d.file or "", d.line or 0))
        errors = [d for d in self.diagnostics if d.severity is Severity.error]
        lines = [d.format() for d in errors] or [d.format() for d in self.diagnostics]
        summary = f"{len(errors)} error{'s' if len(errors) != 1 else ''}" if errors else "invalid scenario"
        super().__init__("\n".join(lines + [summary]))

    @property
    def errors(self) -> list[Diagnostic]:
        """Only the errors."""
        return [d for d in self.diagnostics if d.severity is Severity.error]

"""Reading the invest input files (threats, options) with errors that point at the line.

Both files are plain YAML read with :func:`drillsim.model.yamlio.load_yaml`, which remembers the
file and line of every value. This module validates such a document against a pydantic model and
turns every problem into a :class:`~drillsim.model.diagnostics.Diagnostic` naming the file, the
line, the path inside the document (``options[2].capital_cost``) and, where it helps, the entry's
id, so ``drillsim invest`` can print it and exit 2 instead of showing a traceback.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..model.diagnostics import Diagnostic, ScenarioError, Severity
from ..model.loading import pydantic_diagnostics
from ..model.yamlio import LocDict, load_yaml, locate
from .assumptions import TAGS

__all__ = ["load_document", "validate_document", "error_at", "entry_label", "located_overlay", "where"]

M = TypeVar("M", bound=BaseModel)


def load_document(path: str | Path, what: str) -> LocDict:
    """Read ``path`` as a YAML mapping (``what`` names the kind of file in the error message)."""
    data = load_yaml(path)
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise ScenarioError([Diagnostic(Severity.error, f"a {what} file must be a mapping of fields, this one is {kind}", str(path), getattr(data, "loc", None) and data.loc.line)])
    return data


def error_at(data: Any, path: tuple[Any, ...], message: str, file: str | None) -> Diagnostic:
    """An error located at ``path`` inside ``data`` (the deepest line known along the path)."""
    loc, kept = locate(data, path)
    return Diagnostic(Severity.error, message, loc.file if loc else file, loc.line if loc else None, kept)


def where(data: Any, path: tuple[Any, ...], file: str) -> str:
    """``file:line`` of the value at ``path`` inside ``data`` (``file`` alone if no line is known)."""
    loc, _ = locate(data, path)
    if loc is None or loc.line is None:
        return file
    return f"{loc.file or file}:{loc.line}"


def entry_label(data: Any, path: tuple[Any, ...]) -> str:
    """``option 'gdrive-backup': `` for a path inside the list entry with that id, else an empty string."""
    if len(path) >= 2 and isinstance(path[1], int) and isinstance(data, dict):
        entries = data.get(path[0])
        if isinstance(entries, list) and 0 <= path[1] < len(entries) and isinstance(entries[path[1]], dict):
            entry_id = entries[path[1]].get("id")
            if entry_id is not None:
                noun = str(path[0]).rstrip("s")
                return f"{noun} {entry_id!r}: "
    return ""


def validate_document(model: type[M], data: Any, file: str) -> M:
    """Validate ``data`` against ``model``; raise ScenarioError with one located diagnostic per problem.

    The union tags of assumed figures (``<number>``, ``<range>``: a number or a range) are dropped
    from the paths, so an error reads ``threats[0].frequency``.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        found = pydantic_diagnostics(exc, data, file, root=model, prefix=lambda path: entry_label(data, path))
        out, seen = [], set()
        for d in found:
            path = tuple(p for p in d.path if p not in TAGS)
            if path not in seen:
                seen.add(path)
                out.append(Diagnostic(d.severity, d.message, d.file, d.line, path))
        raise ScenarioError(out) from None


def located_overlay(entry: LocDict, keys: typing.Iterable[str], rename: dict[str, str] | None = None) -> LocDict:
    """A new mapping with some keys of ``entry`` (locations kept), for use as an overlay patch."""
    out = LocDict()
    out.loc = entry.loc
    for key in keys:
        if key in entry:
            target = (rename or {}).get(key, key)
            out[target] = entry[key]
            if key in entry.locs:
                out.locs[target] = entry.locs[key]
    return out

"""Overlays: one model, many scenarios and plan variants.

A file with ``extends: other.yaml`` starts from that file (recursively) and patches it:

- Mappings merge key by key; a value in the overlay replaces the base's.
- Lists whose entries carry an ``id`` (or, for placements, a ``name``) merge entry by entry:
  an entry with a known id patches that entry, a new id is appended, and ``remove: true``
  deletes the entry. Top-level ``injects`` and ``failures`` entries without an id are appended.
- Any other list is replaced as a whole (``depends_on: [...]`` states the full new list).
- ``replace: [injects]`` at the top of an overlay makes the named top-level lists replace the
  base's lists instead of merging into them (an imported events list states every inject).

Investment options and plan variants are overlays too, applied in memory with :func:`merge`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, ScenarioError, Severity
from .limits import MAX_EXTENDS, MAX_PATH_CHARS
from .yamlio import LocDict, LocList, load_yaml

__all__ = ["merge", "resolve_extends", "replace_keys", "APPEND_LISTS"]

APPEND_LISTS = frozenset({"injects", "failures"})
"""Top-level lists whose entries without an id are appended rather than replacing the list."""

_KEYS = ("id", "name")


def _entry_key(item: Any) -> tuple[str, Any] | None:
    """``('id', value)`` of a list entry that has a plain id (or name); None otherwise.

    An id that is a list or a mapping is no key (validation of the merged result reports it).
    """
    if isinstance(item, dict):
        for key in _KEYS:
            if key in item:
                value = item[key]
                if value is None or isinstance(value, (str, int, float, bool)):
                    return key, value
                return None
    return None


def _shallow(value: Any) -> Any:
    """A new container holding the same children (and locations): the one level a merge changes."""
    if isinstance(value, dict):
        out = LocDict(value)
        out.loc = getattr(value, "loc", None)
        out.locs = dict(getattr(value, "locs", {}))
        return out
    if isinstance(value, list):
        out_list = LocList(value)
        out_list.loc = getattr(value, "loc", None)
        out_list.locs = list(getattr(value, "locs", [None] * len(value)))
        return out_list
    return value


def _merge_list(base: list[Any], patch: list[Any], append_unkeyed: bool) -> list[Any]:
    base_keys = [_entry_key(item) for item in base]
    patch_keys = [_entry_key(item) for item in patch]
    keyed = all(k is not None for k in patch_keys) and all(k is not None for k in base_keys)
    if not keyed and not append_unkeyed:
        return patch
    out = _shallow(base)
    index = {k: i for i, k in enumerate(base_keys) if k is not None}
    removed: set[int] = set()
    patch_locs = getattr(patch, "locs", [None] * len(patch))
    for item, key, loc in zip(patch, patch_keys, patch_locs):
        if key is not None and key in index:
            i = index[key]
            if isinstance(item, dict) and item.get("remove") is True:
                removed.add(i)
            else:
                out[i] = merge(out[i], item)
                out.locs[i] = loc or out.locs[i]
        elif isinstance(item, dict) and item.get("remove") is True:
            continue  # removing something absent: validation of the result reports nothing lost
        else:
            out.append(item)
            out.locs.append(loc)
            if key is not None:
                index[key] = len(out) - 1
    if removed:
        kept = [(v, loc) for i, (v, loc) in enumerate(zip(out, out.locs)) if i not in removed]
        result = LocList([v for v, _ in kept])
        result.loc = out.loc
        result.locs = [loc for _, loc in kept]
        return result
    return out  # type: ignore[no-any-return]  # a LocList, like the base it copies


def replace_keys(data: Any, file: str | None = None) -> frozenset[str]:
    """The top-level lists an overlay document replaces (its ``replace:`` entry), checked."""
    value = data.get("replace") if isinstance(data, dict) else None
    if value is None:
        return frozenset()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        line = data.locs["replace"].line if getattr(data, "locs", {}).get("replace") else None
        raise ScenarioError([Diagnostic(Severity.error, f"'replace' must list top-level keys, e.g. [injects], got {value!r}", file, line, ("replace",))])
    return frozenset(names)


def merge(base: Any, patch: Any, *, top_level: bool = False, replace: frozenset[str] = frozenset()) -> Any:
    """Merge ``patch`` onto ``base`` (see the module docstring); neither input is modified.

    ``replace`` names top-level keys whose value in ``patch`` replaces the base's outright.
    The result shares every part the patch does not touch with ``base`` (and the patch's own
    values with ``patch``): only the containers along the patched paths are new. Documents are
    never changed once loaded, so sharing is safe, and a variant of a 17,000-system model costs
    what its patch touches, not a copy of the model.
    """
    if isinstance(base, dict) and isinstance(patch, dict):
        out = _shallow(base)
        patch_locs = getattr(patch, "locs", {})
        for key, value in patch.items():
            if top_level and key in replace:
                out[key] = value
            elif key in out:
                if isinstance(out[key], list) and isinstance(value, list):
                    out[key] = _merge_list(out[key], value, append_unkeyed=top_level and key in APPEND_LISTS)
                else:
                    out[key] = merge(out[key], value)
            else:
                out[key] = value
            if key in patch_locs:
                out.locs[key] = patch_locs[key]
        return out
    return patch


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _extends_target(path: Path, data: Any) -> Path | None:
    """The file ``data`` (read from ``path``) extends, checked; None if it extends nothing."""
    parent = data.get("extends")
    if parent is None:
        return None
    line = data.locs["extends"].line if "extends" in getattr(data, "locs", {}) else None

    def fail(message: str) -> ScenarioError:
        return ScenarioError([Diagnostic(Severity.error, message, str(path), line, ("extends",))])

    if not isinstance(parent, str):
        raise fail(f"'extends' must be a file path, got {_short(parent)}")
    if len(parent) > MAX_PATH_CHARS or any(len(part) > 255 for part in parent.split("/")):
        raise fail(f"'extends' names a path too long for any file system ({len(parent)} characters): {_short(parent)}")
    parent_path = path.parent / parent
    try:
        exists = parent_path.exists()
    except (OSError, ValueError) as exc:
        raise fail(f"'extends' names {_short(parent)}, which cannot be opened: {getattr(exc, 'strerror', None) or exc}") from None
    if not exists:
        raise fail(f"'extends' names {_short(parent)}, which does not exist (looked for {parent_path})")
    if not parent_path.is_file():
        raise fail(f"'extends' names {_short(parent)}, which is not a regular file (a folder, a device or a pipe)")
    return parent_path


def _read_overlay(path: Path) -> Any:
    data = load_yaml(path)
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        line = getattr(data, "loc", None) and data.loc.line
        raise ScenarioError([Diagnostic(Severity.error, f"a scenario file must be a mapping of fields, this one is {kind}", str(path), line)])
    return data


def resolve_extends(path: Path) -> tuple[Any, list[Path]]:
    """Load ``path`` and everything it extends; return the merged document and the files read (base first).

    The chain is followed without recursion and may be :data:`~drillsim.model.limits.MAX_EXTENDS`
    files long; a file met twice is a circle.
    """
    chain: list[tuple[Path, Any]] = []
    current: Path | None = path.resolve()
    while current is not None:
        if any(current == p for p, _ in chain):
            cycle = " -> ".join(str(p) for p in (*(p for p, _ in chain), current))
            raise ScenarioError([Diagnostic(Severity.error, f"'extends' goes round in a circle: {cycle}", str(current))])
        if len(chain) >= MAX_EXTENDS:
            first = chain[0][0]
            raise ScenarioError(
                [
                    Diagnostic(
                        Severity.error,
                        f"the 'extends' chain from {first} is longer than {MAX_EXTENDS} files (the limit): {current} is file {MAX_EXTENDS + 1}",
                        str(chain[-1][0]),
                    )
                ]
            )
        data = _read_overlay(current)
        chain.append((current, data))
        target = _extends_target(current, data)
        current = target.resolve() if target is not None else None
    base_path, merged = chain[-1]
    files = [base_path]
    for overlay_path, data in reversed(chain[:-1]):
        replace = replace_keys(data, str(overlay_path))
        patch = LocDict({k: v for k, v in data.items() if k not in ("extends", "replace")})
        patch.loc = data.loc
        patch.locs = {k: v for k, v in data.locs.items() if k not in ("extends", "replace")}
        merged = merge(merged, patch, top_level=True, replace=replace)
        merged.pop("extends", None)
        files.append(overlay_path)
    return merged, files

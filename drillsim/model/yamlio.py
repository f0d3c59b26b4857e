"""Safe YAML loading that remembers where every value came from (file and line).

Scenario files are read with PyYAML's safe constructor only: tags that build Python objects
(``!!python/object``) are refused. Mappings become :class:`LocDict` and sequences :class:`LocList`,
plain ``dict`` and ``list`` subclasses that also carry the line of every key and item, so an
error found after merging overlays and validating can still point at the line a person wrote.
Duplicate keys, which YAML itself silently lets the last one win, are errors here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, ScenarioError, Severity

__all__ = ["Loc", "LocDict", "LocList", "load_yaml", "loads_yaml", "locate", "to_plain"]


@dataclass(frozen=True)
class Loc:
    """A place in a file: its path and 1-based line."""

    file: str
    line: int


class LocDict(dict):
    """A dict that knows where it and each of its values were written."""

    loc: Loc | None = None

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.locs: dict[Any, Loc] = {}


class LocList(list):
    """A list that knows where it and each of its items were written."""

    loc: Loc | None = None

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.locs: list[Loc | None] = [None] * len(self)


_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap"})


def _mark(node: yaml.Node, file: str) -> Loc:
    return Loc(file, node.start_mark.line + 1)


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, file: str):
        self.loader = loader
        self.file = file
        self.memo: dict[int, Any] = {}

    def build(self, node: yaml.Node) -> Any:
        key = id(node)
        if key in self.memo:  # aliases share one object: no exponential blow-up
            return self.memo[key]
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
            raise ScenarioError(
                [Diagnostic(Severity.error, f"tag {node.tag!r} is not allowed: only plain YAML is (safe loading refuses object tags)", self.file, node.start_mark.line + 1)]
            )
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)  # handles YAML merge keys (<<)
            out = LocDict()
            out.loc = _mark(node, self.file)
            self.memo[key] = out
            for key_node, value_node in node.value:
                k = self.loader.construct_object(key_node, deep=True)
                if not isinstance(k, (str, int, float, bool)) and k is not None:
                    raise ScenarioError([Diagnostic(Severity.error, f"mapping key {k!r} is not a plain value", self.file, key_node.start_mark.line + 1)])
                if k in out:
                    raise ScenarioError(
                        [Diagnostic(Severity.error, f"duplicate key {k!r} (first at line {out.locs[k].line})", self.file, key_node.start_mark.line + 1)]
                    )
                out[k] = self.build(value_node)
                out.locs[k] = _mark(key_node, self.file)
            return out
        if isinstance(node, yaml.SequenceNode):
            out_list = LocList()
            out_list.loc = _mark(node, self.file)
            self.memo[key] = out_list
            for item in node.value:
                out_list.append(self.build(item))
                out_list.locs.append(_mark(item, self.file))
            return out_list
        value = self.loader.construct_object(node, deep=True)
        self.memo[key] = value
        return value


def loads_yaml(text: str, file: str = "<string>") -> Any:
    """Parse YAML text safely into LocDict/LocList values; raise ScenarioError with the line on any problem."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _Builder(loader, file).build(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or "malformed YAML"
        if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in problem:
            problem = f"{problem.strip()}: only plain YAML is allowed (safe loading refuses object tags)"
        elif exc.context:
            problem = f"{exc.context}, {problem}"
        raise ScenarioError([Diagnostic(Severity.error, f"malformed YAML: {problem}", file, line)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Diagnostic(Severity.error, f"malformed YAML: {exc}", file)]) from None
    finally:
        loader.dispose()


def load_yaml(path: str | Path) -> Any:
    """Read and parse a YAML file safely (see :func:`loads_yaml`)."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Diagnostic(Severity.error, "file not found", file)]) from None
    except IsADirectoryError:
        raise ScenarioError([Diagnostic(Severity.error, "is a directory, not a scenario file", file)]) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError([Diagnostic(Severity.error, f"not UTF-8 text ({exc.reason} at byte {exc.start})", file)]) from None
    except OSError as exc:
        raise ScenarioError([Diagnostic(Severity.error, f"cannot read: {exc.strerror}", file)]) from None
    return loads_yaml(text, file)


def locate(data: Any, path: tuple[Any, ...]) -> tuple[Loc | None, tuple[Any, ...]]:
    """Follow ``path`` into ``data``; return the deepest known location and the part of the path that exists.

    Path elements that are not keys of the data (union tags added by validation) are skipped;
    a last element naming a missing key (a required field) is kept in the path.
    """
    loc: Loc | None = getattr(data, "loc", None)
    node = data
    kept: list[Any] = []
    for index, part in enumerate(path):
        if isinstance(node, LocDict) and part in node:
            loc = node.locs.get(part, loc)
            node = node[part]
            kept.append(part)
        elif isinstance(node, LocList) and isinstance(part, int) and 0 <= part < len(node):
            loc = node.locs[part] or loc
            node = node[part]
            kept.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and index == len(path) - 1:
            kept.append(part)
    return loc, tuple(kept)


def to_plain(data: Any) -> Any:
    """Strip location wrappers: plain dicts and lists (for hashing and dumping)."""
    if isinstance(data, dict):
        return {k: to_plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [to_plain(v) for v in data]
    return data

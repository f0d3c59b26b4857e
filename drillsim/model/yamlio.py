"""Safe YAML loading that remembers where every value came from (file and line).

Scenario files are read with PyYAML's safe constructor only: tags that build Python objects
(``!!python/object``) are refused. Mappings become :class:`LocDict` and sequences :class:`LocList`,
plain ``dict`` and ``list`` subclasses that also carry the line of every key and item, so an
error found after merging overlays and validating can still point at the line a person wrote.
Duplicate keys, which YAML itself silently lets the last one win, are errors here; a key written
beside a merge key (``<<: *base``) overrides the merged one, as YAML intends.
"""

from __future__ import annotations

import gc
import re
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, ScenarioError, Severity
from .limits import MAX_DEPTH, MAX_FILE_BYTES
from .located import Loc, LocDict, LocList, locate, merge_into, to_plain
from .yamlfast import MERGE_TAG as _MERGE_TAG
from .yamlfast import PLAIN_TAGS as _PLAIN_TAGS
from .yamlfast import FastLoader as _FastLoader
from .yamlfast import Unusual as _Unusual
from .yamlfast import fast_load as _fast_load
from .yamlfast import too_deep as _too_deep

__all__ = ["Loc", "LocDict", "LocList", "load_yaml", "loads_yaml", "locate", "to_plain", "read_text_file", "read_bytes_file"]



# What YAML forbids in a stream (PyYAML's Reader.NON_PRINTABLE): control characters and NUL bytes.
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")



def _check_printable(text: str, file: str) -> None:
    """Refuse control characters and NUL bytes, naming the line and the character (YAML forbids them)."""
    match = _NON_PRINTABLE.search(text)
    if match is None:
        return
    start = match.start()
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    char = match.group()
    raise ScenarioError(
        [Diagnostic(Severity.error, f"control character {char!r} (U+{ord(char):04X}) at column {column}: YAML files may not contain control characters or NUL bytes", file, line)]
    )


def _check_depth(text: str, file: str) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` before PyYAML's composer (which recurses per level) sees it.

    Reads the event stream (libyaml's, when there is one: fast, and without recursion) and names
    the line where the nesting first goes too deep; other YAML errors are left to the builder.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_FastLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ScenarioError([_too_deep(file, event.start_mark.line + 1 if event.start_mark else None)])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):  # libyaml's own limit, met while scanning ahead
            mark = exc.problem_mark or exc.context_mark
            raise ScenarioError([_too_deep(file, mark.line + 1 if mark is not None else None)]) from None
    except yaml.YAMLError:
        pass
    except RecursionError:  # the pure-Python parser, where libyaml is missing
        raise ScenarioError([_too_deep(file, None)]) from None


def _mark(node: yaml.Node, file: str) -> Loc:
    return Loc(file, node.start_mark.line + 1)


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, file: str):
        self.loader = loader
        self.file = file
        self.memo: dict[int, Any] = {}

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        key = id(node)
        if key in self.memo:  # aliases share one object: no exponential blow-up
            return self.memo[key]
        if depth >= MAX_DEPTH and isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            raise ScenarioError([_too_deep(self.file, node.start_mark.line + 1)])
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
            raise ScenarioError(
                [Diagnostic(Severity.error, f"tag {node.tag!r} is not allowed: only plain YAML is (safe loading refuses object tags)", self.file, node.start_mark.line + 1)]
            )
        if isinstance(node, yaml.MappingNode):
            out = LocDict()
            out.loc = _mark(node, self.file)
            self.memo[key] = out
            merges: list[LocDict] = []
            merge_line: int | None = None
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE_TAG:  # YAML merge key (<<): applied after the own pairs, below
                    line = key_node.start_mark.line + 1
                    if merge_line is not None:
                        message = f"duplicate key '<<' (first at line {merge_line}): list the mappings to merge in one key, as <<: [*a, *b]"
                        raise ScenarioError([Diagnostic(Severity.error, message, self.file, line)])
                    merge_line = line
                    merges.extend(self._merge_sources(node, value_node, depth))
                    continue
                k = self.loader.construct_object(key_node, deep=True)
                if not isinstance(k, (str, int, float, bool)) and k is not None:
                    raise ScenarioError([Diagnostic(Severity.error, f"mapping key {k!r} is not a plain value", self.file, key_node.start_mark.line + 1)])
                if k in out:
                    raise ScenarioError(
                        [Diagnostic(Severity.error, f"duplicate key {k!r} (first at line {out.locs[k].line})", self.file, key_node.start_mark.line + 1)]
                    )
                out[k] = self.build(value_node, depth + 1)
                out.locs[k] = _mark(key_node, self.file)
            if merges:
                merge_into(out, merges)
            return out
        if isinstance(node, yaml.SequenceNode):
            out_list = LocList()
            out_list.loc = _mark(node, self.file)
            self.memo[key] = out_list
            for item in node.value:
                out_list.append(self.build(item, depth + 1))
                out_list.locs.append(_mark(item, self.file))
            return out_list
        value = self.loader.construct_object(node, deep=True)
        self.memo[key] = value
        return value

    def _merge_sources(self, node: yaml.MappingNode, value_node: yaml.Node, depth: int) -> list[LocDict]:
        """The mappings a merge key names: one mapping, or a list of them (PyYAML's messages otherwise)."""
        if isinstance(value_node, yaml.MappingNode):
            return [self.build(value_node, depth + 1)]
        if isinstance(value_node, yaml.SequenceNode):
            for item in value_node.value:
                if not isinstance(item, yaml.MappingNode):
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark, f"expected a mapping for merging, but found {item.id}", item.start_mark
                    )
            return [self.build(item, depth + 1) for item in value_node.value]
        raise yaml.constructor.ConstructorError(
            "while constructing a mapping", node.start_mark,
            f"expected a mapping or list of mappings for merging, but found {getattr(value_node, 'id', 'a scalar')}", value_node.start_mark,
        )


def loads_yaml(text: str, file: str = "<string>") -> Any:
    """Parse YAML text safely into LocDict/LocList values; raise ScenarioError with the line on any problem.

    Plain documents take a fast path over libyaml's events; anything unusual (tags, merge keys,
    malformed YAML) goes through PyYAML's own composer, so values and messages are the same either way.
    """
    _check_printable(text, file)
    # A large file makes millions of small containers; the cyclic garbage collector would scan
    # them all again and again while they are built (a third of the time), and none can be garbage yet.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _fast_load(text, file)
    except _Unusual:
        pass
    finally:
        if was_enabled:
            gc.enable()
    _check_depth(text, file)
    return _loads_yaml_nodes(text, file)


def _loads_yaml_nodes(text: str, file: str) -> Any:
    """The node-based builder: PyYAML's pure-Python composer, then a walk over the nodes."""
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:
        raise ScenarioError([Diagnostic(Severity.error, f"malformed YAML: {exc}", file)]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _Builder(loader, file).build(node)
    except RecursionError:  # PyYAML's composer recurses once per level (_check_depth ran first)
        raise ScenarioError([_too_deep(file, None)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or "malformed YAML"
        if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in problem:
            problem = f"{problem.strip()}: only plain YAML is allowed (safe loading refuses object tags)"
        elif exc.context:
            problem = f"{exc.context}, {problem}"
        if "'\\t'" in problem:  # PyYAML: "found character '\t' that cannot start any token"
            problem = f"{problem}: indent with spaces, not tabs"
        raise ScenarioError([Diagnostic(Severity.error, f"malformed YAML: {problem}", file, line)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Diagnostic(Severity.error, f"malformed YAML: {exc}", file)]) from None
    finally:
        loader.dispose()


def read_bytes_file(path: str | Path, limit: int = MAX_FILE_BYTES, what: str = "scenario file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ScenarioError (naming the file) otherwise.

    Devices, pipes and directories are refused before anything is read (``/dev/zero`` never
    ends), and at most ``limit + 1`` bytes are ever read, so a file that grows is caught too.
    """
    import os
    import stat

    file = str(path)

    def fail(message: str) -> ScenarioError:
        return ScenarioError([Diagnostic(Severity.error, message, file)])

    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise fail(f"is a directory, not a {what}")
            if not stat.S_ISREG(info.st_mode):
                raise fail(f"is not a regular file (a device, a pipe or a socket): only regular files are read as a {what}")
            if info.st_size > limit:
                raise fail(f"is {info.st_size:,} bytes, more than the {limit:,} a {what} may have")
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise fail("file not found") from None
    except IsADirectoryError:
        raise fail(f"is a directory, not a {what}") from None
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise fail(f"is more than the {limit:,} bytes a {what} may have")
    return data


def read_text_file(path: str | Path, limit: int = MAX_FILE_BYTES, what: str = "scenario file") -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes (see :func:`read_bytes_file`)."""
    data = read_bytes_file(path, limit, what)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError([Diagnostic(Severity.error, f"not UTF-8 text ({exc.reason} at byte {exc.start})", str(path), line)]) from None
    return text


def load_yaml(path: str | Path) -> Any:
    """Read and parse a YAML file safely (see :func:`loads_yaml`): a regular file, up to :data:`MAX_FILE_BYTES`."""
    file = str(path)
    return loads_yaml(read_text_file(path), file)

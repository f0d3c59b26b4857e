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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, ScenarioError, Severity
from .limits import MAX_DEPTH, MAX_FILE_BYTES

__all__ = ["Loc", "LocDict", "LocList", "load_yaml", "loads_yaml", "locate", "to_plain", "read_text_file", "read_bytes_file"]


@dataclass(frozen=True)
class Loc:
    """A place in a file: its path and 1-based line."""

    file: str
    line: int


class LocDict(dict[Any, Any]):
    """A dict that knows where it and each of its values were written."""

    __slots__ = ("loc", "locs")  # no per-instance __dict__: a 17,000-system file makes a million of these

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.loc: Loc | None = None
        self.locs: dict[Any, Loc] = {}


class LocList(list[Any]):
    """A list that knows where it and each of its items were written."""

    __slots__ = ("loc", "locs")

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.loc: Loc | None = None
        self.locs: list[Loc | None] = [None] * len(self)


_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap"})
_MERGE_TAG = "tag:yaml.org,2002:merge"


# What YAML forbids in a stream (PyYAML's Reader.NON_PRINTABLE): control characters and NUL bytes.
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")


def _too_deep(file: str, line: int | None) -> Diagnostic:
    return Diagnostic(
        Severity.error,
        f"mappings and lists are nested more than {MAX_DEPTH} levels deep here: a scenario never needs that many (the limit is {MAX_DEPTH})",
        file,
        line,
    )


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
                        raise ScenarioError([Diagnostic(Severity.error, f"duplicate key '<<' (first at line {merge_line}): list the mappings to merge in one key, as <<: [*a, *b]", self.file, line)])
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
                _merge_into(out, merges)
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


_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SAFE_SCALAR_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("null", "bool", "int", "float", "str", "timestamp")
)
_STR_TAG = "tag:yaml.org,2002:str"


_MERGE = object()
"""Stands for a ``<<`` merge key while a mapping is read."""


class _Unusual(Exception):
    """The fast path met something it leaves to the node-based builder (tags, merge keys, errors)."""


def _fast_load(text: str, file: str) -> Any:
    """Build LocDict/LocList straight from libyaml's event stream (no node graph, no Python resolver per scalar).

    Handles plain documents: mappings, sequences, anchors and aliases, merge keys, untagged
    scalars. Anything else (an explicit tag, a non-scalar or non-plain key, a YAML error, more than
    one document) raises :class:`_Unusual`, and :func:`loads_yaml` falls back to the node-based builder,
    which gives the same values and the same messages as before.
    """
    try:
        loader = _FastLoader(text)
    except yaml.YAMLError:
        raise _Unusual from None
    try:
        get_event = loader.get_event
        event = get_event()  # StreamStart
        event = get_event()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        loc_cache: dict[int, Loc] = {}
        scalars: dict[str, Any] = {}  # plain scalar text -> its value (immutable values only)
        anchors: dict[str, tuple[Any, int]] = {}
        constructors = loader.yaml_constructors
        resolve = loader.resolve
        ScalarEvent, MappingStartEvent, SequenceStartEvent = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
        AliasEvent, CollectionEndEvent = yaml.AliasEvent, yaml.CollectionEndEvent
        ScalarNode = yaml.ScalarNode
        # Frames: [container, is_mapping, pending_key, key_line, has_key, merged mappings].
        stack: list[list[Any]] = []
        root: Any = None
        done = False
        while not done:
            event = get_event()
            cls = event.__class__
            line = event.start_mark.line + 1
            if cls is ScalarEvent:
                tag = event.tag
                if tag is not None and tag != "!":
                    raise _Unusual
                raw = event.value
                if event.implicit[0]:
                    try:
                        value = scalars[raw]
                    except KeyError:
                        resolved = resolve(ScalarNode, raw, (True, False))
                        if resolved == _STR_TAG:
                            value = raw
                        elif resolved == _MERGE_TAG:
                            value = _MERGE
                        elif resolved in _SAFE_SCALAR_TAGS:
                            value = constructors[resolved](loader, ScalarNode(resolved, raw, event.start_mark, event.end_mark))
                        else:
                            raise _Unusual
                        scalars[raw] = value
                else:
                    value = raw
                if event.anchor is not None:
                    anchors[event.anchor] = (value, line)
                container = None
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if event.tag is not None and event.tag != "!" and event.tag not in _PLAIN_TAGS:
                    raise _Unusual
                container = LocDict() if cls is MappingStartEvent else LocList()
                loc = loc_cache.get(line)
                if loc is None:
                    loc = loc_cache[line] = Loc(file, line)
                container.loc = loc
                value = container
                if event.anchor is not None:
                    anchors[event.anchor] = (value, line)
            elif cls is AliasEvent:
                try:
                    value, line = anchors[event.anchor]
                except KeyError:
                    raise _Unusual from None
                container = None
            elif isinstance(event, CollectionEndEvent):
                frame = stack.pop()
                if frame[5]:
                    _apply_merges(frame[0], frame[5])
                if not stack:
                    done = True
                continue
            else:  # document or stream events where a node was expected
                raise _Unusual
            # Attach the value to its parent.
            if not stack:
                if value is _MERGE:
                    raise _Unusual
                root = value
                if container is None:
                    done = True
            else:
                frame = stack[-1]
                parent = frame[0]
                if frame[1]:  # a mapping
                    if not frame[4]:
                        if value is _MERGE and cls is ScalarEvent:
                            frame[2], frame[4] = _MERGE, True
                            continue
                        if container is not None or cls is AliasEvent or not (
                            value is None or isinstance(value, (str, int, float, bool))
                        ):
                            raise _Unusual  # a complex, aliased or non-plain key: the node-based builder reports it
                        if value in parent:
                            raise ScenarioError(
                                [Diagnostic(Severity.error, f"duplicate key {value!r} (first at line {parent.locs[value].line})", file, line)]
                            )
                        frame[2], frame[3], frame[4] = value, line, True
                    elif frame[2] is _MERGE:
                        if not isinstance(value, (LocDict, LocList)):
                            raise _Unusual  # PyYAML's message: merge a mapping or a list of mappings
                        frame[5].append(value)
                        frame[4] = False
                    else:
                        if value is _MERGE:
                            raise _Unusual
                        key = frame[2]
                        parent[key] = value
                        loc = loc_cache.get(frame[3])
                        if loc is None:
                            loc = loc_cache[frame[3]] = Loc(file, frame[3])
                        parent.locs[key] = loc
                        frame[4] = False
                else:
                    if value is _MERGE:
                        raise _Unusual
                    parent.append(value)
                    loc = loc_cache.get(line)
                    if loc is None:
                        loc = loc_cache[line] = Loc(file, line)
                    parent.locs.append(loc)
            if container is not None:
                if len(stack) >= MAX_DEPTH:
                    raise ScenarioError([_too_deep(file, line)])
                stack.append([container, cls is MappingStartEvent, None, 0, False, []])
        if not isinstance(get_event(), yaml.DocumentEndEvent) or not isinstance(get_event(), yaml.StreamEndEvent):
            raise _Unusual  # several documents: the node-based builder gives the usual message
        return root
    except yaml.YAMLError:
        raise _Unusual from None
    finally:
        loader.dispose()


def _merge_into(mapping: LocDict, sources: list[LocDict]) -> None:
    """Apply YAML merge keys to a mapping, the same way on both paths and with every PyYAML release.

    The mapping's own pairs win over merged ones; of several merged mappings the first listed wins
    (YAML's merge-key rule). Order: the merged keys come first, in the order they are first met
    reading the merged mappings in the order listed, then the mapping's own keys. PyYAML's own
    ``flatten_mapping`` changed this order between releases (6.0.2 and 6.0.4), so it is not used.
    """
    own, own_locs = list(mapping.items()), mapping.locs
    mapping.clear()
    mapping.locs = {}
    for source in sources:
        for k, v in source.items():
            if k not in mapping:
                mapping[k] = v
                mapping.locs[k] = source.locs[k]
    for k, v in own:
        mapping[k] = v
        mapping.locs[k] = own_locs[k]


def _apply_merges(mapping: LocDict, merges: list[Any]) -> None:
    """The fast path's merges: each merge value is a mapping or a list of mappings (else the node builder reports it)."""
    if len(merges) > 1:
        raise _Unusual  # a second merge key in one mapping: the node-based builder reports the duplicate
    sources: list[LocDict] = []
    for merge in merges:
        if isinstance(merge, LocDict):
            sources.append(merge)
        elif all(isinstance(item, LocDict) for item in merge):
            sources.extend(merge)
        else:
            raise _Unusual
    _merge_into(mapping, sources)


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

"""The YAML loader's fast path: located values built straight from libyaml's event stream.

Plain documents (mappings, sequences, anchors and aliases, merge keys, untagged scalars) are
built here without PyYAML's node graph; anything unusual raises :class:`Unusual`, and
:mod:`drillsim.model.yamlio` falls back to its node-based builder, which gives the same values
and the same messages.
"""

from __future__ import annotations

from typing import Any

import yaml

from .diagnostics import Diagnostic, ScenarioError, Severity
from .limits import MAX_DEPTH
from .located import Loc, LocDict, LocList, merge_into

__all__ = ["FastLoader", "PLAIN_TAGS", "MERGE_TAG", "Unusual", "fast_load", "too_deep"]

PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap"})
MERGE_TAG = "tag:yaml.org,2002:merge"

def too_deep(file: str, line: int | None) -> Diagnostic:
    return Diagnostic(
        Severity.error,
        f"mappings and lists are nested more than {MAX_DEPTH} levels deep here: a scenario never needs that many (the limit is {MAX_DEPTH})",
        file,
        line,
    )


FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SAFE_SCALAR_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("null", "bool", "int", "float", "str", "timestamp")
)
_STR_TAG = "tag:yaml.org,2002:str"


_MERGE = object()
"""Stands for a ``<<`` merge key while a mapping is read."""


class Unusual(Exception):
    """The fast path met something it leaves to the node-based builder (tags, merge keys, errors)."""


def fast_load(text: str, file: str) -> Any:
    """Build LocDict/LocList straight from libyaml's event stream (no node graph, no Python resolver per scalar).

    Handles plain documents: mappings, sequences, anchors and aliases, merge keys, untagged
    scalars. Anything else (an explicit tag, a non-scalar or non-plain key, a YAML error, more than
    one document) raises :class:`Unusual`, and :func:`loads_yaml` falls back to the node-based builder,
    which gives the same values and the same messages as before.
    """
    try:
        loader = FastLoader(text)
    except yaml.YAMLError:
        raise Unusual from None
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
                    raise Unusual
                raw = event.value
                if event.implicit[0]:
                    try:
                        value = scalars[raw]
                    except KeyError:
                        resolved = resolve(ScalarNode, raw, (True, False))
                        if resolved == _STR_TAG:
                            value = raw
                        elif resolved == MERGE_TAG:
                            value = _MERGE
                        elif resolved in _SAFE_SCALAR_TAGS:
                            value = constructors[resolved](loader, ScalarNode(resolved, raw, event.start_mark, event.end_mark))
                        else:
                            raise Unusual from None
                        scalars[raw] = value
                else:
                    value = raw
                if event.anchor is not None:
                    anchors[event.anchor] = (value, line)
                container = None
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if event.tag is not None and event.tag != "!" and event.tag not in PLAIN_TAGS:
                    raise Unusual
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
                    raise Unusual from None
                container = None
            elif isinstance(event, CollectionEndEvent):
                frame = stack.pop()
                if frame[5]:
                    _apply_merges(frame[0], frame[5])
                if not stack:
                    done = True
                continue
            else:  # document or stream events where a node was expected
                raise Unusual
            # Attach the value to its parent.
            if not stack:
                if value is _MERGE:
                    raise Unusual
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
                            raise Unusual  # a complex, aliased or non-plain key: the node-based builder reports it
                        if value in parent:
                            raise ScenarioError(
                                [Diagnostic(Severity.error, f"duplicate key {value!r} (first at line {parent.locs[value].line})", file, line)]
                            )
                        frame[2], frame[3], frame[4] = value, line, True
                    elif frame[2] is _MERGE:
                        if not isinstance(value, (LocDict, LocList)):
                            raise Unusual  # PyYAML's message: merge a mapping or a list of mappings
                        frame[5].append(value)
                        frame[4] = False
                    else:
                        if value is _MERGE:
                            raise Unusual
                        key = frame[2]
                        parent[key] = value
                        loc = loc_cache.get(frame[3])
                        if loc is None:
                            loc = loc_cache[frame[3]] = Loc(file, frame[3])
                        parent.locs[key] = loc
                        frame[4] = False
                else:
                    if value is _MERGE:
                        raise Unusual
                    parent.append(value)
                    loc = loc_cache.get(line)
                    if loc is None:
                        loc = loc_cache[line] = Loc(file, line)
                    parent.locs.append(loc)
            if container is not None:
                if len(stack) >= MAX_DEPTH:
                    raise ScenarioError([too_deep(file, line)])
                stack.append([container, cls is MappingStartEvent, None, 0, False, []])
        if not isinstance(get_event(), yaml.DocumentEndEvent) or not isinstance(get_event(), yaml.StreamEndEvent):
            raise Unusual  # several documents: the node-based builder gives the usual message
        return root
    except yaml.YAMLError:
        raise Unusual from None
    finally:
        loader.dispose()


def _apply_merges(mapping: LocDict, merges: list[Any]) -> None:
    """The fast path's merges: each merge value is a mapping or a list of mappings (else the node builder reports it)."""
    if len(merges) > 1:
        raise Unusual  # a second merge key in one mapping: the node-based builder reports the duplicate
    sources: list[LocDict] = []
    for merge in merges:
        if isinstance(merge, LocDict):
            sources.append(merge)
        elif all(isinstance(item, LocDict) for item in merge):
            sources.extend(merge)
        else:
            raise Unusual
    merge_into(mapping, sources)

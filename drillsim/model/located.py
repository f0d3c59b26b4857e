"""Values that remember where they were written: :class:`LocDict`, :class:`LocList` and their :class:`Loc`.

What the YAML loader (:mod:`drillsim.model.yamlio`) builds, and what validation follows
(:func:`locate`) to turn a path inside a document back into the line a person wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Loc", "LocDict", "LocList", "locate", "merge_into", "to_plain"]


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


def merge_into(mapping: LocDict, sources: list[LocDict]) -> None:
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

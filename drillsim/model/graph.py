"""Graph queries on a scenario: who depends on whom, hard-dependency cycles, what sits where.

Pure functions over a validated :class:`~drillsim.model.scenario.Scenario`; iterative (no
recursion), so they work on national-scale models with deep chains.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from .domains import DomainKind
from .scenario import Scenario
from .systems import DependencyKind

__all__ = ["hard_edges", "find_cycle", "domain_ancestors", "site_of"]


def hard_edges(scenario: Scenario) -> dict[str, list[str]]:
    """system -> systems it hard-depends on alone (any_of groups excluded: they have alternatives)."""
    edges: dict[str, list[str]] = {}
    for system in scenario.systems:
        edges[system.id] = [
            dep.system
            for dep in system.depends_on
            if dep.kind is DependencyKind.hard and dep.system is not None
        ]
    return edges


def find_cycle(edges: dict[str, list[str]]) -> list[str] | None:
    """A cycle in a directed graph as ``[a, b, c, a]``, or None. Iterative three-colour DFS."""
    white, grey, black = 0, 1, 2
    colour: dict[str, int] = defaultdict(int)
    for root in edges:
        if colour[root] != white:
            continue
        stack: list[tuple[str, Iterable[str]]] = [(root, iter(edges.get(root, ())))]
        path = [root]
        colour[root] = grey
        while stack:
            node, children = stack[-1]
            advanced = False
            for child in children:
                if colour[child] == grey:
                    start = path.index(child)
                    return path[start:] + [child]
                if colour[child] == white and child in edges:
                    colour[child] = grey
                    stack.append((child, iter(edges.get(child, ()))))
                    path.append(child)
                    advanced = True
                    break
            if not advanced:
                colour[node] = black
                stack.pop()
                path.pop()
    return None


def domain_ancestors(scenario: Scenario, domain_id: str) -> list[str]:
    """The domain and its ancestors, innermost first (stops at unknown parents and at loops)."""
    index = scenario.domain_index
    out: list[str] = []
    current: str | None = domain_id
    while current is not None and current in index and current not in out:
        out.append(current)
        current = index[current].parent
    return out


def site_of(scenario: Scenario, domain_ids: Iterable[str]) -> str | None:
    """The id of the first site (domain of kind site) among the given domains and their ancestors."""
    index = scenario.domain_index
    for domain_id in domain_ids:
        for d in domain_ancestors(scenario, domain_id):
            if index[d].kind is DomainKind.site:
                return d
    return None

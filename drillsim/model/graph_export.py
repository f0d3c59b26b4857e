"""The dependency graph as Graphviz DOT or a Mermaid flowchart.

Arrows point from a system to what it needs (``portal -> login``). Hard dependencies are solid
lines, soft ones dashed (labelled with their factor), and an ``any_of`` group is drawn as a small
junction node ("any of N"): the line into it has the group's kind, plain arrows (hollow heads in
DOT) lead from it to the alternatives. Systems are clustered by the
site their first placement sits in. The grade is always written in the node's text ("G1") and
also shown by shape and fill, never by colour alone:

========  ================  ====================
grade     DOT shape         Mermaid shape
========  ================  ====================
1         doubleoctagon     hexagon ``{{...}}``
2         octagon           subroutine ``[[...]]``
3         box               rectangle ``[...]``
4         ellipse           rounded ``(...)``
========  ================  ====================

Labels are escaped for each format (quotes, backslashes, brackets, ``#``, ``<``/``>``); Korean and
other non-ASCII names pass through as UTF-8. A national model is unreadable whole: ``focus`` keeps
one system's (or one domain's) neighbourhood, ``depth`` steps along dependencies in both
directions (what it needs, and what needs it).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from .diagnostics import DrillsimError
from .graph import domain_ancestors
from .scenario import Scenario
from .systems import DependencyKind, System

__all__ = ["GraphView", "select", "to_dot", "to_mermaid", "export_graph", "dot_quote", "mermaid_text", "FORMATS"]

FORMATS = ("dot", "mermaid")
"""The output formats :func:`export_graph` knows."""

_DOT_SHAPE = {1: "doubleoctagon", 2: "octagon", 3: "box", 4: "ellipse"}
_FILL = {1: "#f4c7c3", 2: "#fce8b2", 3: "#d9ead3", 4: "#eeeeee"}
_STROKE = {1: "#a50e0e", 2: "#b06000", 3: "#38761d", 4: "#666666"}
_MERMAID_SHAPE = {1: ("{{", "}}"), 2: ("[[", "]]"), 3: ("[", "]"), 4: ("(", ")")}


@dataclass
class GraphView:
    """The part of a scenario's dependency graph to draw."""

    scenario: Scenario
    systems: list[System]
    """Systems drawn, in the scenario's order."""
    focus: set[str] = field(default_factory=set)
    """Systems the view was centred on (highlighted)."""
    title: str = ""
    """Caption of the drawing."""

    def site_of(self) -> dict[str, str | None]:
        """system id -> the site its first placement sits in (else that placement's outermost domain), None if unknown."""
        scenario = self.scenario
        index = scenario.domain_index
        cache: dict[tuple[str, ...], str | None] = {}
        out: dict[str, str | None] = {}
        for system in self.systems:
            domains = tuple(system.placements[0].domains) if system.placements else ()
            if domains not in cache:
                chains = [domain_ancestors(scenario, d) for d in domains]
                sites = [d for chain in chains for d in chain if index[d].kind.value == "site"]
                outer = [chain[-1] for chain in chains if chain]
                cache[domains] = sites[0] if sites else (outer[0] if outer else None)
            out[system.id] = cache[domains]
        return out


def select(scenario: Scenario, focus: str | None = None, depth: int = 1) -> GraphView:
    """The systems to draw: all of them, or the neighbourhood of ``focus`` (a system or a domain id).

    ``depth`` counts steps along dependencies from the focus, both towards what it depends on and
    towards what depends on it (siblings sharing a dependency are not pulled in). A domain focus
    starts from every system with a replica inside the domain.
    """
    if depth < 0:
        raise DrillsimError(f"depth must not be negative, got {depth}")
    if focus is None:
        return GraphView(scenario, list(scenario.systems), set(), scenario.label)
    index = scenario.system_index
    if focus in index:
        start = {focus}
        title = f"{scenario.label}: around {index[focus].label}, depth {depth}"
    elif focus in scenario.domain_index:
        start = set()
        for system in scenario.systems:
            if any(focus in domain_ancestors(scenario, d) for p in system.placements for d in p.domains):
                start.add(system.id)
        title = f"{scenario.label}: systems in {scenario.domain_index[focus].label}, depth {depth}"
    else:
        from .validation import did_you_mean

        raise DrillsimError(
            f"--focus {focus!r} is neither a system nor a domain of {scenario.id!r}"
            f"{did_you_mean(focus, list(index) + list(scenario.domain_index))}"
        )
    needs: dict[str, set[str]] = {s.id: {t for d in s.depends_on for t in d.targets if t in index} for s in scenario.systems}
    needed_by: dict[str, set[str]] = defaultdict(set)
    for sid, targets in needs.items():
        for t in targets:
            needed_by[t].add(sid)
    keep = set(start)
    for step in (needs, needed_by):
        frontier = set(start)
        for _ in range(depth):
            frontier = {n for f in frontier for n in step.get(f, ())} - keep
            if not frontier:
                break
            keep |= frontier
    return GraphView(scenario, [s for s in scenario.systems if s.id in keep], start, title)


# -- escaping ---------------------------------------------------------------------------

def _clean(text: str) -> str:
    """Control characters other than newline become spaces."""
    return "".join(ch if ch == "\n" or ch >= " " and ch != "\x7f" else " " for ch in text)


def dot_quote(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, newlines as ``\\n``."""
    text = _clean(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


_MERMAID_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;", "|": "#124;"}


def mermaid_text(text: str) -> str:
    """Text for inside a Mermaid quoted label: special characters as entity codes, newlines as ``<br>``."""
    text = _clean(text)
    return "".join(_MERMAID_ENTITIES.get(ch, ch) for ch in text).replace("\n", "<br>")


# -- drawing ----------------------------------------------------------------------------

def _label(system: System) -> str:
    name = system.name or system.id
    lines = [name]
    if system.name_local:
        lines.append(system.name_local)
    lines.append(f"{system.id} · G{system.grade}")
    return "\n".join(lines)


def _factor(value: float) -> str:
    return f"{value:g}"


def _edges(view: GraphView) -> Iterator[tuple[str, DependencyKind, float, list[str], int, str | None]]:
    """Yield (dependent, kind, factor, targets, group_size, junction_key) for what the view draws."""
    drawn = {s.id for s in view.systems}
    for system in view.systems:
        for j, dep in enumerate(system.depends_on):
            targets = [t for t in dep.targets if t in drawn]
            if not targets:
                continue
            if dep.any_of is not None:
                yield system.id, dep.kind, dep.factor, targets, len(dep.any_of), f"{system.id}#{j}"
            else:
                yield system.id, dep.kind, dep.factor, targets, 1, None


def _clusters(view: GraphView) -> tuple[dict[str | None, list[System]], dict[str, str]]:
    sites = view.site_of()
    groups: dict[str | None, list[System]] = defaultdict(list)
    for system in view.systems:
        groups[sites[system.id]].append(system)
    index = view.scenario.domain_index
    names = {site: index[site].label for site in groups if site is not None}
    return groups, names


def to_dot(view: GraphView) -> str:
    """Graphviz DOT text for the view (``dot -Tsvg`` renders it)."""
    out = [
        "digraph drillsim {",
        f"  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label={dot_quote(view.title)}];",
        '  node [fontname="Helvetica", style=filled, fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    groups, names = _clusters(view)
    for n, (site, members) in enumerate(sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))):
        indent = "  "
        if site is not None:
            out.append(f"  subgraph cluster_{n} {{")
            out.append(f"    label={dot_quote(names[site])}; style=rounded; color=\"#999999\";")
            indent = "    "
        for system in members:
            g = system.grade
            attrs = [
                f"label={dot_quote(_label(system))}",
                f"shape={_DOT_SHAPE[g]}",
                f'fillcolor="{_FILL[g]}"',
                f'color="{_STROKE[g]}"',
            ]
            if system.id in view.focus:
                attrs.append("penwidth=3")
            out.append(f"{indent}{dot_quote(system.id)} [{', '.join(attrs)}];")
        if site is not None:
            out.append("  }")
    junctions = 0
    for source, kind, factor, targets, group, key in _edges(view):
        style = "solid" if kind is DependencyKind.hard else "dashed"
        soft = kind is DependencyKind.soft
        if key is None:
            label = f", label={dot_quote('soft ×' + _factor(factor))}" if soft else ""
            out.append(f"  {dot_quote(source)} -> {dot_quote(targets[0])} [style={style}{label}];")
            continue
        junction = dot_quote(f"any:{key}")
        junctions += 1
        text = f"any of {group}" + (f"\nsoft ×{_factor(factor)}" if soft else "")
        out.append(f"  {junction} [label={dot_quote(text)}, shape=circle, fontsize=8, width=0.3, fixedsize=false, style=\"\"];")
        out.append(f"  {dot_quote(source)} -> {junction} [style={style}];")
        for target in targets:
            out.append(f"  {junction} -> {dot_quote(target)} [arrowhead=empty];")
    out.append("}")
    return "\n".join(out) + "\n"


def to_mermaid(view: GraphView) -> str:
    """A Mermaid flowchart for the view (renders on GitHub, GitLab and in most Markdown viewers)."""
    ids = {system.id: f"n{k}" for k, system in enumerate(view.systems)}
    out = ["flowchart LR"]
    if view.title:
        out.insert(0, "---")
        out.insert(1, f"title: {json.dumps(_clean(view.title), ensure_ascii=False)}")  # YAML front matter
        out.insert(2, "---")
    groups, names = _clusters(view)
    for n, (site, members) in enumerate(sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))):
        indent = "  "
        if site is not None:
            out.append(f'  subgraph s{n}["{mermaid_text(names[site])}"]')
            indent = "    "
        for system in members:
            left, right = _MERMAID_SHAPE[system.grade]
            out.append(f'{indent}{ids[system.id]}{left}"{mermaid_text(_label(system))}"{right}')
        if site is not None:
            out.append("  end")
    junctions = 0
    for source, kind, factor, targets, group, key in _edges(view):
        soft = kind is DependencyKind.soft
        arrow = "-.->" if soft else "-->"
        if key is None:
            label = f'|"{mermaid_text("soft ×" + _factor(factor))}"|' if soft else ""
            out.append(f"  {ids[source]} {arrow}{label} {ids[targets[0]]}")
            continue
        junction = f"j{junctions}"
        junctions += 1
        text = f"any of {group}" + (f"\nsoft ×{_factor(factor)}" if soft else "")
        out.append(f'  {junction}(("{mermaid_text(text)}"))')
        out.append(f"  {ids[source]} {arrow} {junction}")
        for target in targets:
            out.append(f"  {junction} --> {ids[target]}")
    for g in (1, 2, 3, 4):
        out.append(f"  classDef g{g} fill:{_FILL[g]},stroke:{_STROKE[g]},color:#000")
    out.append("  classDef focus stroke-width:4px")
    for g in (1, 2, 3, 4):
        graded = [ids[s.id] for s in view.systems if s.grade == g]
        if graded:
            out.append(f"  class {','.join(graded)} g{g}")
    focused = [ids[s] for s in sorted(view.focus) if s in ids]
    if focused:
        out.append(f"  class {','.join(focused)} focus")
    return "\n".join(out) + "\n"


def export_graph(scenario: Scenario, fmt: str = "dot", focus: str | None = None, depth: int = 1) -> str:
    """The dependency graph of ``scenario`` (or of ``focus``'s neighbourhood) as DOT or Mermaid text."""
    if fmt not in FORMATS:
        raise DrillsimError(f"unknown graph format {fmt!r}: use {' or '.join(FORMATS)}")
    view = select(scenario, focus, depth)
    return to_dot(view) if fmt == "dot" else to_mermaid(view)

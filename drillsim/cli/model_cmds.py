"""Commands about a model's structure: ``generate`` (a synthetic ecosystem), ``spof`` and ``graph``."""

import time
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import command, console, err_console, escape
from .jsonout import dumps

if TYPE_CHECKING:
    from rich.table import Table

    from ..model.spof import BlastRadius

__all__ = ["generate", "spof", "graph"]

# The generator's defaults (drillsim.model.generator.NATIONAL_SYSTEMS and FIRE_ROOM), repeated here
# so that --help needs no model import; tests/test_startup.py checks that they agree.
NATIONAL_SYSTEMS = 17090
FIRE_ROOM = "dc-daejeon-b1-f5-r1"


def _write(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=False)
        return
    from ..model import DrillsimError

    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DrillsimError(f"{out}: cannot write: {exc.strerror}") from None


@command()
def generate(
    systems: Annotated[int, typer.Option("--systems", "-n", help="Number of systems, hubs included (at least 50).")] = NATIONAL_SYSTEMS,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same options and seed give the same file, byte for byte.")] = 0,
    edges: Annotated[
        int | None, typer.Option("--edges", help="Dependency links in all (each any_of alternative counts); default: 3 per system.", show_default=False)
    ] = None,
    sites: Annotated[
        int | None,
        typer.Option("--sites", help="Data centers hosting systems (1-15; national ones first); default: 3 + one per ~4,000 systems.", show_default=False),
    ] = None,
    fire_room: Annotated[str, typer.Option("--fire-room", help="The server room --fire-room-systems and --fire-inject refer to.")] = FIRE_ROOM,
    fire_room_systems: Annotated[
        int | None, typer.Option("--fire-room-systems", help="Put exactly this many systems' primary replica in the fire room.", show_default=False)
    ] = None,
    fire_room_leaves: Annotated[
        bool, typer.Option("--fire-room-leaves", help="Only systems nothing depends on go in the fire room (its fire then hits exactly that many).")
    ] = False,
    fire_inject: Annotated[bool, typer.Option("--fire-inject", help="Add an inject that destroys the fire room at time 0.")] = False,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the YAML here instead of standard output.", show_default=False)] = None,
) -> None:
    """Write a synthetic national-scale ecosystem (a model file) for scale tests and SPOF studies.

    Nothing in it is a real system. Its shape follows the public record (docs/incidents.md): ~300 of
    17,090 systems graded 1-2, national and regional data centers (sites > buildings > floors >
    rooms, with UPS rooms and network zones), hub services (GPKI linked to ~1,800 systems, mobile
    ID, simple authentication, address, information sharing), heavy-tailed fan-in, daily backups
    (most also off-site), DR for a few percent, manual fallbacks, organizations and their teams.
    Check the result with 'drillsim validate FILE' (it warns, rightly, about systems whose every
    backup sits in their own data center).
    """
    from ..model.generator import dump_yaml, generate_ecosystem

    started = time.perf_counter()
    document = generate_ecosystem(
        systems,
        seed,
        edges=edges,
        sites=sites,
        fire_room=fire_room,
        fire_room_systems=fire_room_systems,
        fire_room_leaves=fire_room_leaves,
        fire_inject=fire_inject,
    )
    header = (
        f"Synthetic ecosystem written by 'drillsim generate --systems {systems} --seed {seed}"
        + (f" --edges {edges}" if edges is not None else "")
        + (f" --sites {sites}" if sites is not None else "")
        + (f" --fire-room {fire_room}" if fire_room != FIRE_ROOM else "")
        + (f" --fire-room-systems {fire_room_systems}" if fire_room_systems is not None else "")
        + (" --fire-room-leaves" if fire_room_leaves else "")
        + (" --fire-inject" if fire_inject else "")
        + "'.\nNo system in it is real; see drillsim/model/generator.py for how it is built."
    )
    text = dump_yaml(document, header=header)
    _write(text, out)
    links = sum(len(d) if isinstance(d, list) else 1 for s in document["systems"] for d in _targets(s))
    err_console.print(
        f"{'wrote ' + escape(str(out)) if out else 'generated'}: {len(document['systems'])} systems, {links} dependency links, "
        f"{len(document['domains'])} domains, {len(document['teams'])} teams, {len(document['organizations'])} organizations "
        f"({len(text) / 1e6:.1f} MB, {time.perf_counter() - started:.2f}s)",
        soft_wrap=True,
    )


def _targets(system: dict) -> list:
    out = []
    for dep in system.get("depends_on", ()):
        if isinstance(dep, str):
            out.append(dep)
        else:
            out.append(dep.get("any_of") or dep["system"])
    return out


class Kind(str, Enum):
    """Which candidates ``drillsim spof`` ranks."""

    all = "all"
    domain = "domain"
    system = "system"


def _amount(value: float) -> str:
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(value) >= size:
            return f"{value / size:.3g}{unit}"
    return f"{value:.3g}"


def spof_table(entries: "list[BlastRadius]", title: str, caption: str, wide: bool = True) -> "Table":
    """A rich table of blast radii, worst first; ``wide`` adds the name and a separate kind column."""
    from rich.table import Table

    table = Table(title=title, caption=caption, caption_justify="left")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("id", overflow="fold", min_width=8)
    if wide:
        table.add_column("what", no_wrap=True)
        table.add_column("name", overflow="ellipsis", no_wrap=True, max_width=32)
    headers = ("down", "degraded", "G1 hit", "lost", "share", "switchover") if wide else ("down", "degr", "G1", "lost", "share", "sw")
    for column in headers:
        table.add_column(column, justify="right", no_wrap=True)
    for rank, entry in enumerate(entries, 1):
        what = entry.detail.replace("grade ", "system G") if entry.kind == "system" else entry.detail
        cells = [str(rank)]
        if wide:
            cells += [escape(entry.id), escape(what), escape(entry.label)]
        else:
            cells.append(f"{escape(entry.id)}\n[dim]{escape(what)}[/]")
        cells += [
            f"{entry.down:,}",
            f"{entry.degraded:,}",
            f"{entry.grade1:,}",
            _amount(entry.weighted_lost),
            f"{entry.share:.1%}",
            f"{entry.switchover:,}" if entry.switchover else "",
        ]
        table.add_row(*cells)
    return table


@command()
def spof(
    model: Annotated[Path, typer.Argument(help="Model or scenario file (YAML).", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the ranking as JSON.")] = False,
    top: Annotated[int, typer.Option("--top", "-t", min=0, help="Show the N worst (0: all).")] = 20,
    kind: Annotated[Kind, typer.Option("--kind", help="Rank domains, systems, or both.")] = Kind.all,
    show: Annotated[
        str | None, typer.Option("--show", help="Instead of a ranking, list the systems one domain or system takes down.", show_default=False)
    ] = None,
) -> None:
    """Rank every domain and every system by its blast radius: what is lost if it alone fails.

    A domain fails with everything inside it (a site takes its rooms); a replica is lost when any
    domain it sits in fails (room, UPS room, network zone). Active-active systems keep the
    capacity of their surviving replicas; an active-standby system is assumed to switch to a
    surviving standby (counted in 'switchover': it relies on that working). Failures spread
    along dependencies: hard ones take dependents down, any_of groups only when every
    alternative is down, soft ones cut capacity by their factor; a system below its threshold
    is down and spreads further. 'weighted demand lost' is daily demand times the grade weight
    (scenario grade_weights); 'share' is its part of the ecosystem's total.
    """
    from ..model import load_scenario
    from ..model.spof import SpofAnalysis

    loaded = load_scenario(model)
    if loaded.warnings:
        err_console.print(
            f"[yellow]{len(loaded.warnings)} warning(s) in the model: see 'drillsim validate {escape(str(model))}'[/]", soft_wrap=True
        )
    started = time.perf_counter()
    analysis = SpofAnalysis(loaded.scenario)
    if show is not None:
        entry = analysis.radius(show, details=True)
        if as_json:
            typer.echo(dumps({"model": loaded.scenario.id, "total_weighted_demand": analysis.total, **entry.as_dict(details=True)}, indent=2))
            return
        console.print(spof_table([entry], f"Blast radius of {escape(entry.id)}", "", wide=console.width >= 120))
        index = loaded.scenario.system_index
        for title, ids in (("down", entry.down_ids), ("degraded", entry.degraded_ids), ("relying on a switchover", entry.switchover_ids)):
            if ids:
                console.print(f"\n[bold]{title}[/] ({len(ids)}):")
                for sid in ids:
                    system = index[sid]
                    console.print(f"  {escape(sid)}  G{system.grade}  {escape(system.label)}", highlight=False)
        return
    entries = analysis.rank(domains=kind is not Kind.system, systems=kind is not Kind.domain)
    elapsed = time.perf_counter() - started
    shown = entries if top == 0 else entries[:top]
    if as_json:
        typer.echo(
            dumps(
                {
                    "model": loaded.scenario.id,
                    "systems": len(loaded.scenario.systems),
                    "domains": len(loaded.scenario.domains),
                    "total_weighted_demand": analysis.total,
                    "grade_weights": loaded.scenario.grade_weights,
                    "candidates": len(entries),
                    "entries": [e.as_dict() for e in shown],
                },
                indent=2,
            )
        )
        return
    console.print(
        spof_table(
            shown,
            f"Single points of failure: {escape(loaded.scenario.label)}",
            f"{len(shown)} of {len(entries)} candidates, worst first, ranked in {elapsed:.2f}s. down/degraded: systems; "
            f"G1 hit: grade-1 systems down or degraded; lost: grade-weighted daily demand lost (total {_amount(analysis.total)}), "
            "share: its part of the total; switchover: systems that survive only if an active-standby switchover works.",
            wide=console.width >= 120,
        )
    )


class GraphFormat(str, Enum):
    """Output formats of ``drillsim graph``."""

    dot = "dot"
    mermaid = "mermaid"


@command()
def graph(
    model: Annotated[Path, typer.Argument(help="Model or scenario file (YAML).", show_default=False)],
    fmt: Annotated[GraphFormat, typer.Option("--format", "-f", help="Graphviz DOT or a Mermaid flowchart.")] = GraphFormat.dot,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here instead of standard output.", show_default=False)] = None,
    focus: Annotated[
        str | None, typer.Option("--focus", help="Draw only this system's (or domain's) neighbourhood.", show_default=False)
    ] = None,
    depth: Annotated[int, typer.Option("--depth", min=0, help="With --focus: dependency steps to follow, both ways.")] = 1,
) -> None:
    """Export the dependency graph as Graphviz DOT or a Mermaid flowchart.

    Arrows go from a system to what it needs: solid for hard dependencies, dashed for soft ones,
    and a small 'any of N' junction for alternatives. Systems are grouped by site; the grade is
    written in each node ('G1') and also shown by shape and colour. Render DOT with
    'dot -Tsvg graph.dot -o graph.svg'; paste Mermaid into a Markdown ```mermaid block.
    A national model is unreadable whole: use --focus ID --depth N.
    """
    from ..model import load_scenario
    from ..model.graph_export import select, to_dot, to_mermaid

    loaded = load_scenario(model)
    view = select(loaded.scenario, focus, depth)
    if focus is None and len(view.systems) > 300:
        err_console.print(
            f"[yellow]{len(view.systems)} systems in one drawing will be unreadable: try --focus ID --depth 1[/]", soft_wrap=True
        )
    text = to_dot(view) if fmt is GraphFormat.dot else to_mermaid(view)
    _write(text, out)
    if out is not None:
        err_console.print(f"wrote {escape(str(out))}: {len(view.systems)} systems", soft_wrap=True)

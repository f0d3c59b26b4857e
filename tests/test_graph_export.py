"""Graph export: DOT parsed with a real parser (pydot), Mermaid checked line by line, escaping of
awkward names, the focus neighbourhood, and the CLI."""

from __future__ import annotations

import html
import re

import pytest

from drillsim.cli import main
from drillsim.model import DrillsimError
from drillsim.model.graph_export import dot_quote, export_graph, mermaid_text, select, to_dot, to_mermaid

from helpers import scenario_yaml

AWKWARD = 'Portal "main" [v2] {beta} <b>#1</b> & back\\slash | pipe `tick`'

MODEL = r"""
id: graph-test
name: Graph test
start: 2025-01-06T09:00:00+09:00
domains:
  - {id: daejeon, kind: site, name: Daejeon center, name_local: 대전센터}
  - {id: d-room, kind: room, parent: daejeon}
  - {id: gwangju, kind: site, name: 'Gwangju "south" [B]'}
  - {id: g-room, kind: room, parent: gwangju}
  - {id: zone, kind: network_zone}
teams:
  - {id: ops, staff: 2}
systems:
  - {id: gpki, name: GPKI, grade: 1, team: ops, placements: [{domains: [d-room, zone]}]}
  - {id: mobile-id, name: Mobile ID, name_local: 모바일 신분증, grade: 2, team: ops, placements: [{domains: [g-room]}]}
  - id: gov24
    name: Government24
    name_local: 정부24 "민원"
    grade: 1
    team: ops
    placements: [{domains: [d-room]}]
    depends_on:
      - {any_of: [gpki, mobile-id]}
      - {system: address, kind: soft, factor: 0.7}
  - {id: address, name: Address, grade: 3, team: ops, placements: [{domains: [g-room]}]}
  - id: portal
    name: 'AWKWARD'
    grade: 4
    team: ops
    placements: [{domains: [g-room]}]
    depends_on: [gov24]
  - {id: sibling, grade: 3, team: ops, placements: [{domains: [zone]}], depends_on: [gpki]}
"""


@pytest.fixture
def scenario():
    return scenario_yaml(MODEL.replace("'AWKWARD'", "'" + AWKWARD.replace("'", "''") + "'"))


def _unquote_dot(text: str) -> str:
    """Undo DOT string quoting as Graphviz reads a label: \\" -> ", \\\\ -> \\, \\n -> newline."""
    assert text.startswith('"') and text.endswith('"'), text
    body, out, k = text[1:-1], [], 0
    while k < len(body):
        ch = body[k]
        if ch == "\\" and k + 1 < len(body):
            nxt = body[k + 1]
            out.append({"n": "\n", '"': '"', "\\": "\\"}.get(nxt, "\\" + nxt))
            k += 2
        else:
            out.append(ch)
            k += 1
    return "".join(out)


def test_dot_parses_with_pydot_and_keeps_every_node_edge_and_cluster(scenario):
    pydot = pytest.importorskip("pydot")
    text = to_dot(select(scenario))
    graphs = pydot.graph_from_dot_data(text)
    assert graphs is not None and len(graphs) == 1
    graph = graphs[0]
    clusters = graph.get_subgraphs()
    assert len(clusters) == 3 and all(c.get_name().startswith("cluster_") for c in clusters)
    labels = {_unquote_dot(c.get("label")): c for c in clusters}
    # Clustered by site; 'sibling' sits in a network zone outside any site: clustered by that zone.
    assert set(labels) == {"Daejeon center (대전센터)", 'Gwangju "south" [B]', "zone"}
    members = {k: {_unquote_dot(n.get_name()) for n in c.get_nodes()} for k, c in labels.items()}
    assert members == {"Daejeon center (대전센터)": {"gpki", "gov24"}, 'Gwangju "south" [B]': {"mobile-id", "address", "portal"}, "zone": {"sibling"}}
    nodes = {}
    for cluster in clusters:
        for node in cluster.get_nodes():
            nodes[_unquote_dot(node.get_name())] = node
    for node in graph.get_nodes():
        if node.get_name() not in ("node", "edge", "graph"):
            nodes[_unquote_dot(node.get_name())] = node
    systems = {"gpki", "mobile-id", "gov24", "address", "portal", "sibling"}
    junctions = {n for n in nodes if n.startswith("any:")}
    assert set(nodes) == systems | junctions and len(junctions) == 1
    # Grade: shape, and the text itself.
    assert nodes["gpki"].get("shape") == "doubleoctagon" and "G1" in _unquote_dot(nodes["gpki"].get("label"))
    assert nodes["mobile-id"].get("shape") == "octagon"
    assert nodes["address"].get("shape") == "box"
    assert nodes["portal"].get("shape") == "ellipse" and "G4" in _unquote_dot(nodes["portal"].get("label"))
    edges = {(_unquote_dot(e.get_source()), _unquote_dot(e.get_destination())): e for e in graph.get_edges()}
    junction = next(iter(junctions))
    assert set(edges) == {
        ("gov24", junction),
        (junction, "gpki"),
        (junction, "mobile-id"),
        ("gov24", "address"),
        ("portal", "gov24"),
        ("sibling", "gpki"),
    }
    assert edges[("portal", "gov24")].get("style") == "solid"
    assert edges[("gov24", "address")].get("style") == "dashed"
    assert "0.7" in _unquote_dot(edges[("gov24", "address")].get("label"))
    assert _unquote_dot(nodes[junction].get("label")) == "any of 2"


def test_dot_labels_survive_quotes_backslashes_brackets_and_korean(scenario):
    pydot = pytest.importorskip("pydot")
    graph = pydot.graph_from_dot_data(to_dot(select(scenario)))[0]
    labels = {}
    for cluster in graph.get_subgraphs():
        for node in cluster.get_nodes():
            labels[_unquote_dot(node.get_name())] = _unquote_dot(node.get("label"))
    assert labels["portal"] == f"{AWKWARD}\nportal · G4"
    assert labels["gov24"] == 'Government24\n정부24 "민원"\ngov24 · G1'
    assert dot_quote('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'


_MERMAID_NODE = re.compile(r'^\s+(n\d+)(\{\{|\[\[|\[|\(\(|\()"([^"]*)"(\}\}|\]\]|\]|\)\)|\))$')
_MERMAID_EDGE = re.compile(r'^\s+([nj]\d+) (-->|-\.->)(\|"([^"]*)"\|)? ([nj]\d+)$')
_MERMAID_JUNCTION = re.compile(r'^\s+(j\d+)\(\("([^"]*)"\)\)$')


def _decode_mermaid(text: str) -> str:
    """Mermaid's reading of a label: <br> is a newline, #name; and #NN; are entity codes."""
    assert re.fullmatch(r"(?:[^#<>&\"`|]|#(?:\d+|[a-z]+);|<br>)*", text), text  # nothing raw that Mermaid reads specially
    text = text.replace("<br>", "\n")
    return re.sub(r"#(\d+|[a-z]+);", lambda m: html.unescape(f"&#{m.group(1)};" if m.group(1).isdigit() else f"&{m.group(1)};"), text)


def test_mermaid_structure_and_escaping(scenario):
    text = to_mermaid(select(scenario))
    lines = text.splitlines()
    assert lines[0] == "---" and lines[1].startswith("title: ") and lines[2] == "---" and lines[3] == "flowchart LR"
    depth = 0
    nodes: dict[str, tuple[str, str]] = {}
    junctions: dict[str, str] = {}
    edges: list[tuple[str, str, str, str | None]] = []
    for line in lines[4:]:
        if line.strip().startswith("subgraph "):
            assert re.fullmatch(r'\s+subgraph s\d+\["[^"]*"\]', line), line
            depth += 1
        elif line.strip() == "end":
            depth -= 1
            assert depth >= 0
        elif m := _MERMAID_NODE.match(line):
            assert m.group(1) not in nodes
            nodes[m.group(1)] = (m.group(2), _decode_mermaid(m.group(3)))
        elif m := _MERMAID_JUNCTION.match(line):
            junctions[m.group(1)] = _decode_mermaid(m.group(2))
        elif m := _MERMAID_EDGE.match(line):
            edges.append((m.group(1), m.group(2), m.group(5), m.group(4)))
        else:
            assert re.fullmatch(r"\s+(classDef \w+ [\w:#,.-]+|class [n\d,]+ \w+)", line), line
    assert depth == 0
    by_id = {label.splitlines()[-1].split(" · ")[0]: (nid, shape, label) for nid, (shape, label) in nodes.items()}
    assert set(by_id) == {"gpki", "mobile-id", "gov24", "address", "portal", "sibling"}
    assert by_id["portal"][2] == f"{AWKWARD}\nportal · G4" and by_id["portal"][1] == "("
    assert by_id["gov24"][2] == 'Government24\n정부24 "민원"\ngov24 · G1' and by_id["gov24"][1] == "{{"
    assert by_id["mobile-id"][1] == "[[" and by_id["address"][1] == "["
    n = {k: v[0] for k, v in by_id.items()}
    (j, label), = junctions.items()
    assert label == "any of 2"
    assert sorted(edges) == sorted(
        [
            (n["gov24"], "-->", j, None),
            (j, "-->", n["gpki"], None),
            (j, "-->", n["mobile-id"], None),
            (n["gov24"], "-.->", n["address"], "soft ×0.7"),
            (n["portal"], "-->", n["gov24"], None),
            (n["sibling"], "-->", n["gpki"], None),
        ]
    )
    # Every edge end is declared.
    assert {e[0] for e in edges} | {e[2] for e in edges} <= set(nodes) | set(junctions)


def test_mermaid_text_escapes_everything_mermaid_reads_specially():
    assert mermaid_text('a"b') == "a#quot;b"
    assert mermaid_text("#1") == "#35;1"
    assert mermaid_text("<x> & y") == "#lt;x#gt; #amp; y"
    assert mermaid_text("l1\nl2") == "l1<br>l2"
    assert mermaid_text("정부24 [v] (x) {y}") == "정부24 [v] (x) {y}"  # fine inside quotes


def test_focus_follows_dependencies_both_ways_but_not_to_siblings(scenario):
    view = select(scenario, "gov24", 1)
    assert {s.id for s in view.systems} == {"gov24", "gpki", "mobile-id", "address", "portal"}
    assert view.focus == {"gov24"}
    # gpki's other dependent ('sibling') is a sibling of gov24, not a neighbour.
    deeper = select(scenario, "portal", 2)
    assert {s.id for s in deeper.systems} == {"portal", "gov24", "gpki", "mobile-id", "address"}
    only = select(scenario, "portal", 0)
    assert [s.id for s in only.systems] == ["portal"]
    dot = to_dot(view)
    assert "penwidth=3" in dot.split('"gov24" [')[1].split("\n")[0]


def test_focus_on_a_domain_and_unknown_focus(scenario):
    view = select(scenario, "gwangju", 0)
    assert {s.id for s in view.systems} == {"mobile-id", "address", "portal"}
    with pytest.raises(DrillsimError, match=r"neither a system nor a domain.*did you mean 'gov24'"):
        select(scenario, "gov42")
    with pytest.raises(DrillsimError, match="unknown graph format"):
        export_graph(scenario, "svg")


def test_cli_graph(tmp_path, capsys):
    path = tmp_path / "model.yaml"
    path.write_text(MODEL, encoding="utf-8")
    out = tmp_path / "g.mmd"
    assert main(["graph", str(path), "--format", "mermaid", "--focus", "gov24", "--depth", "1", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "flowchart LR" in text and "정부24" in text and "sibling" not in text
    assert main(["graph", str(path)]) == 0
    assert capsys.readouterr().out.startswith("digraph drillsim {")
    assert main(["graph", str(path), "--focus", "nothing"]) == 2
    assert "neither a system nor a domain" in capsys.readouterr().err
    assert main(["graph", str(path), "--format", "svg"]) == 2

"""Model-layer benchmark at national scale: generate, write, load, validate, rank SPOFs, export.

    python benchmarks/bench_generate.py [--systems 17090] [--seed 0] [--before] [--cli]

Prints wall times for each step on a 17,090-system synthetic ecosystem (see
``drillsim.model.generator``), then for the 5,000-system / 20,000-edge model with a 200-system
fire room that the engine benchmarks use. ``--before`` also times the node-based YAML builder
that the fast event-based loader replaced (slow: tens of seconds); ``--cli`` also times
``drillsim validate`` and ``drillsim spof`` as subprocesses (interpreter start and printing included).
No assertion: the numbers are for reading.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from drillsim.model.generator import FIRE_ROOM, dump_yaml, generate_ecosystem
from drillsim.model.graph_export import export_graph
from drillsim.model.loading import load_scenario, scenario_from_data
from drillsim.model.scenario import Scenario
from drillsim.model.spof import SpofAnalysis
from drillsim.model.validation import check_scenario
from drillsim.model.yamlio import _loads_yaml_nodes, load_yaml


class Clock:
    """Prints the wall time of each step."""

    def __init__(self) -> None:
        self.results: dict[str, float] = {}

    def __call__(self, name: str, fn, *args, **kwargs):
        started = time.perf_counter()
        value = fn(*args, **kwargs)
        elapsed = time.perf_counter() - started
        self.results[name] = elapsed
        print(f"  {name:<44} {elapsed:8.2f} s", flush=True)
        return value


def national(systems: int, seed: int, before: bool, cli: bool) -> None:
    clock = Clock()
    print(f"national ecosystem: {systems} systems, seed {seed}")
    document = clock("generate_ecosystem", generate_ecosystem, systems, seed)
    text = clock("dump_yaml", dump_yaml, document)
    links = sum(len(d["any_of"]) if isinstance(d, dict) and "any_of" in d else 1 for s in document["systems"] for d in s.get("depends_on", ()))
    print(f"  ({len(text) / 1e6:.1f} MB, {text.count(chr(10)):,} lines, {links:,} dependency links, {len(document['domains'])} domains)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "national.yaml"
        path.write_text(text, encoding="utf-8")
        data = clock("load_yaml (fast, libyaml events)", load_yaml, path)
        if before:
            clock("load_yaml before (node-based builder)", _loads_yaml_nodes, text, str(path))
        scenario = clock("pydantic Scenario.model_validate", Scenario.model_validate, data)
        findings = clock("check_scenario (cross-entry checks)", check_scenario, scenario)
        print(f"  ({sum(f.severity.value == 'warning' for f in findings)} warnings, {sum(f.severity.value == 'error' for f in findings)} errors)")
        loaded = clock("load_scenario (all of 'validate')", load_scenario, path)
        total_gen_validate = clock.results["generate_ecosystem"] + clock.results["dump_yaml"] + clock.results["load_scenario (all of 'validate')"]
        print(f"  {'generate + write + validate':<44} {total_gen_validate:8.2f} s")
        analysis = clock("SpofAnalysis (indexes)", SpofAnalysis, loaded.scenario)
        ranking = clock("SpofAnalysis.rank (every domain and system)", analysis.rank)
        print(f"  ({len(ranking)} candidates; worst: " + ", ".join(f"{e.id} {e.share:.0%}" for e in ranking[:4]) + ")")
        clock("graph export, --focus gpki --depth 1 (dot)", export_graph, loaded.scenario, "dot", "gpki", 1)
        clock("graph export, whole model (mermaid)", export_graph, loaded.scenario, "mermaid")
        if cli:
            exe = Path(sys.executable).with_name("drillsim")
            for args in (["validate", str(path)], ["spof", str(path), "--top", "10"]):
                started = time.perf_counter()
                subprocess.run([str(exe), *args], check=True, capture_output=True)
                print(f"  {'$ drillsim ' + args[0]:<44} {time.perf_counter() - started:8.2f} s")


def fire_room(seed: int) -> None:
    clock = Clock()
    print("\nengine-benchmark model: 5,000 systems, 20,000 links, 200 systems in the fire room")
    for leaves in (False, True):
        document = clock(
            f"generate_ecosystem (fire_room_leaves={leaves})", generate_ecosystem, 5000, seed,
            edges=20000, fire_room_systems=200, fire_room_leaves=leaves, fire_inject=True,
        )
        scenario = clock("scenario_from_data", scenario_from_data, document).scenario
        radius = SpofAnalysis(scenario).radius(FIRE_ROOM)
        print(f"  (fire in {FIRE_ROOM}: {radius.down} down, {radius.degraded} degraded, {radius.switchover} on switchover)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=17090)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--before", action="store_true", help="also time the node-based YAML builder (slow)")
    parser.add_argument("--cli", action="store_true", help="also time 'drillsim validate' and 'drillsim spof' as subprocesses")
    args = parser.parse_args()
    national(args.systems, args.seed, args.before, args.cli)
    fire_room(args.seed)


if __name__ == "__main__":
    main()

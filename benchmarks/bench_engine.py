"""Engine benchmark: the cost of a run must follow the affected systems, not the model's size.

Builds a 5,000-system model with 20,000 dependency edges in clusters (systems mostly depend on
their own cluster and on a few shared hubs), burns the room of one cluster (about 200 systems
touched with their dependents), and times one run. Then builds a model holding only the touched
systems and their dependents, runs the same fire, and reports the ratio of wall times.

    python benchmarks/bench_engine.py [--systems 5000] [--edges 20000] [--repeat 5]

Prints events per second and wall times; compile time (once per scenario, shared by a drill's
steps and a batch worker's runs) is reported separately.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from drillsim.engine import Simulation, compile_scenario
from drillsim.model import scenario_from_data


def build(n_systems: int, n_edges: int, cluster_size: int = 200, seed: int = 1) -> dict:
    """A clustered model: cluster k lives in room k; cluster 0's room burns."""
    rng = np.random.default_rng(seed)
    n_clusters = max(2, n_systems // cluster_size)
    domains = [{"id": "region", "kind": "region"}]
    for site in ("a", "b"):
        domains.append({"id": f"site-{site}", "kind": "site", "parent": "region", "free_capacity": 50})
    for k in range(n_clusters):
        domains.append({"id": f"room-{k}", "kind": "room", "parent": "site-a" if k % 2 == 0 else "site-b"})
    domains.append({"id": "dr-room", "kind": "room", "parent": "site-b"})
    teams = [{"id": f"team-{k}", "staff": 6, "mutual_aid": {"staff": 6, "after": "2d"}} for k in range(n_clusters)]
    hubs = list(range(1, 6))  # systems 1..5 are shared hubs in cluster 0's neighbours
    systems = []
    per_system = n_edges / n_systems
    for i in range(n_systems):
        k = i // cluster_size
        if k >= n_clusters:
            k = n_clusters - 1
        lo = k * cluster_size
        deps: list = []
        n_deps = int(rng.poisson(per_system))
        for _ in range(n_deps):
            if i > lo and rng.random() < 0.9:
                j = int(rng.integers(lo, i))  # earlier system of the same cluster: a DAG
            elif k > 0 and i not in hubs:
                j = int(rng.choice(hubs)) + cluster_size  # a hub of cluster 1 (outside the fire)
            else:
                continue
            if j != i and j < i and {"system": f"s{j}"} not in deps and f"s{j}" not in deps:
                deps.append(f"s{j}" if rng.random() < 0.7 else {"system": f"s{j}", "kind": "soft", "factor": 0.6})
        grade = int(rng.choice([1, 2, 3, 4], p=[0.02, 0.04, 0.3, 0.64]))
        system = {
            "id": f"s{i}",
            "grade": grade,
            "team": f"team-{k}",
            "rto": "8h" if grade <= 2 else "3d",
            "demand": {"per_day": float(rng.integers(100, 100000)), "profile": "citizen"},
            "placements": [{"domains": [f"room-{k}"]}],
            "data": {"size": "100GB", "backups": [{"every": "1d", "in": ["dr-room"], "restore_rate": "200GB/h"}]},
            "depends_on": deps,
            "recovery": [
                {"kind": "restart", "duration": "30m"},
                {"kind": "restore", "target": ["dr-room"], "staff": 2, "duration": {"dist": "lognormal", "mean": "6h", "cv": 0.5}},
                {"kind": "rebuild", "lead_time": "7d", "staff": 2, "duration": "2d"},
            ],
        }
        if grade <= 2:
            system["fallback"] = {"activation": "2h", "share": 0.3, "staff": 2, "reentry": "1m"}
        systems.append(system)
    return {
        "id": "bench-fire",
        "start": "2025-09-26T20:15:00+09:00",
        "horizon": "60d",
        "domains": domains,
        "teams": teams,
        "systems": systems,
        "injects": [{"at": "0m", "destroy": "room-0"}, {"at": "1d", "restore": "room-0"}],
    }


def touched_submodel(document: dict, touched: set[str]) -> dict:
    """The scenario with only the touched systems; links to the others dropped (those stay up).

    Dependencies on untouched systems go (an any_of group too, unless all its alternatives are
    touched), as do untouched systems in organizations' lists and an untouched monitoring system.
    """
    out = dict(document)
    systems = []
    for system in document["systems"]:
        if system["id"] not in touched:
            continue
        system = dict(system)
        deps = []
        for dep in system.get("depends_on", []):
            if isinstance(dep, str):
                if dep in touched:
                    deps.append(dep)
            elif "any_of" in dep:
                if all(t in touched for t in dep["any_of"]):  # an untouched alternative is always up
                    deps.append(dep)
            elif dep["system"] in touched:
                deps.append(dep)
        system["depends_on"] = deps
        systems.append(system)
    out["systems"] = systems
    out["organizations"] = [
        {**org, "owns": [x for x in org.get("owns", []) if x in touched], "uses": [x for x in org.get("uses", []) if x in touched]}
        for org in document.get("organizations", [])
    ]
    monitoring = document.get("monitoring")
    if monitoring is not None and monitoring["system"] not in touched:
        del out["monitoring"]  # an untouched monitoring system is up all along: the same as none
    return out


def time_run(scenario, record_events: bool) -> tuple[float, int, int, int]:
    """One timed run: wall seconds, SimPy events scheduled, journal length, systems affected."""
    t0 = time.perf_counter()
    sim = Simulation(scenario, seed=3, record_events=record_events)
    result = sim.run()
    wall = time.perf_counter() - t0
    simpy_events = next(sim.world.env._eid)  # events scheduled in the run
    return wall, simpy_events, len(result.events), result.metrics.systems_affected


def compare(big, small, repeat: int, record_events: bool) -> tuple[tuple, tuple]:
    """Alternate the two models (so machine noise hits both alike) and keep each one's fastest run."""
    best_big = best_small = None
    for _ in range(repeat):
        b = time_run(big, record_events)
        s = time_run(small, record_events)
        best_big = b if best_big is None or b[0] < best_big[0] else best_big
        best_small = s if best_small is None or s[0] < best_small[0] else best_small
    return best_big, best_small  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--systems", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    t0 = time.perf_counter()
    document = build(args.systems, args.edges)
    edges = sum(len(s["depends_on"]) for s in document["systems"])
    big = scenario_from_data(document).scenario
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    compile_scenario(big)
    t_compile = time.perf_counter() - t0

    probe = Simulation(big, seed=3)
    probe.run()
    touched = set(probe.touched())
    small = scenario_from_data(touched_submodel(document, touched)).scenario
    compile_scenario(small)

    print(f"model: {len(big.systems)} systems, {edges} dependency edges; fire touches {len(touched)} systems")
    print(f"build+validate {t_load:.2f}s, compile {t_compile * 1000:.0f} ms (once per scenario)")
    for record in (True, False):
        (wall_big, ev_big, journal_big, affected_big), (wall_small, ev_small, journal_small, affected_small) = compare(
            big, small, args.repeat, record
        )
        assert affected_big == affected_small, (affected_big, affected_small)
        print(f"\nevents recorded: {record}  (fastest of {args.repeat} alternating runs)")
        print(f"  full model   : {wall_big * 1000:7.1f} ms  {ev_big:6d} SimPy events  {ev_big / wall_big:9.0f} events/s  journal {journal_big}")
        print(f"  touched only : {wall_small * 1000:7.1f} ms  {ev_small:6d} SimPy events  {ev_small / wall_small:9.0f} events/s  journal {journal_small}")
        print(f"  ratio full/touched: {wall_big / wall_small:.2f}  (target < 1.5)")


if __name__ == "__main__":
    main()

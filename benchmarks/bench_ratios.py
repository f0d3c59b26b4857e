"""Every speed ratio of the project's targets, from one run (numbers, not tests).

    python benchmarks/bench_ratios.py [--trials 5] [--skip-invest] [--skip-national] [--before REV]

Prints, each measured in this one run (best of ``--trials``; CPU time, since the machine may be
shared), against its target:

1. CLI start-up: ``drillsim --help`` and ``drillsim validate scenarios/example-room-fire.yaml``
   against ``python -c pass`` (CPU of the child process; targets 3x and 5x), with
   ``bench_startup.measure``;
2. the engine per SimPy event against a bare SimPy ``env.timeout`` in the same process: one NIRS
   fire (``scenarios/nirs-daejeon-fire-2025.yaml``, seed 0, journal not kept, as batches run),
   building the world and running it, divided by its SimPy events; the bare loop yields as many
   timeouts from one process (target 5x);
3. CPU per NIRS run (world, run and scores); with ``--before REV`` the same measured for the
   engine of git revision REV (exported with ``git archive`` into a temporary folder, run in a
   subprocess, interleaved with this tree's) and the ratio (target: at most half); without it the
   figure measured before the hot-path work is quoted;
4. the generated 17,090-system fire (``drillsim.model.generator``, seed 1, 650 systems in the fire
   room, as ``bench_batch.py`` and ``bench_tui.py`` build it) against a model holding only the
   systems the fire touches (links to the others dropped: those stay up), as ``bench_engine.py``
   does for its clustered model (target under 1.5x);
5. a small batch (the NIRS fire, 20 runs a job) with 2 jobs against 1: runs per second (target
   at least 1.7x);
6. the README's ``drillsim invest`` command (``bench_invest._run``): wall time, CPU and runs used
   (target: within 60 s on two cores); ``--skip-invest`` leaves it out (it takes over a minute).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_startup  # noqa: E402
from bench_engine import touched_submodel  # noqa: E402
from revisions import check_revision, export_drillsim  # noqa: E402

NIRS = ROOT / "scenarios" / "nirs-daejeon-fire-2025.yaml"
BEFORE_MS = 135.0
"""CPU per NIRS run before the hot-path work (engine of 0c9f19d on the development machine, quiet); --before measures it afresh."""

_PER_RUN = r"""
import sys, time
from drillsim.model import load_scenario
from drillsim.engine import Simulation, compile_scenario
compiled = compile_scenario(load_scenario(sys.argv[1]).scenario)
Simulation(compiled, seed=0, record_events=False).run()
best = float("inf")
for _ in range(int(sys.argv[2])):
    t0 = time.process_time()
    Simulation(compiled, seed=0, record_events=False).run()
    best = min(best, time.process_time() - t0)
print(best)
"""


def _best_cpu(fn, trials: int) -> float:
    best = float("inf")
    for _ in range(trials):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def startup(trials: int) -> None:
    """1. CLI start-up against bare Python (CPU of the child, best of ``trials``)."""
    py = sys.executable
    commands = {
        "python -c pass": [py, "-c", "pass"],
        "--help": [py, "-m", "drillsim", "--help"],
        "validate": [py, "-m", "drillsim", "validate", "scenarios/example-room-fire.yaml"],
    }
    for command in commands.values():  # warm the file cache and the .pyc files
        bench_startup.measure(command)
    best = dict.fromkeys(commands, float("inf"))
    for _ in range(trials):
        for name, command in commands.items():
            best[name] = min(best[name], bench_startup.measure(command)[1])
    base = best["python -c pass"]
    print("1. CLI start-up, CPU of the child process")
    for name, target in bench_startup.TARGETS.items():
        ratio = best[name] / base
        verdict = "met" if ratio <= target else "NOT met"
        print(f"   drillsim {name:<9} {best[name] * 1e3:6.1f} ms vs python -c pass {base * 1e3:5.1f} ms: {ratio:4.2f}x  (target <= {target:g}x: {verdict})")


def engine_per_event(trials: int, before: str | None) -> None:
    """2 and 3. Engine CPU per SimPy event against a bare timeout; CPU per NIRS run (and before)."""
    import simpy

    from drillsim.engine import Simulation, compile_scenario
    from drillsim.model import load_scenario

    compiled = compile_scenario(load_scenario(NIRS).scenario)
    Simulation(compiled, seed=0, record_events=False).run()  # warm

    def engine() -> Simulation:
        sim = Simulation(compiled, seed=0, record_events=False)
        sim.advance(sim.end)
        return sim

    events = next(engine().world.env._eid)  # SimPy events scheduled in one run

    def bare() -> None:
        env = simpy.Environment()

        def ticks():  # type: ignore[no-untyped-def]
            for _ in range(events):
                yield env.timeout(1.0)

        env.process(ticks())
        env.run()

    best_engine = best_bare = best_run = float("inf")
    for _ in range(trials):  # interleaved, so that a load on the machine falls on all alike
        best_engine = min(best_engine, _best_cpu(engine, 1))
        best_bare = min(best_bare, _best_cpu(bare, 1))
        best_run = min(best_run, _best_cpu(lambda: Simulation(compiled, seed=0, record_events=False).run(), 1))
    per_event = best_engine / events
    per_bare = best_bare / events
    ratio = per_event / per_bare
    print(f"2. engine per SimPy event (NIRS fire, seed 0, {events} SimPy events, journal not kept)")
    print(f"   engine {per_event * 1e6:5.2f} us, bare env.timeout {per_bare * 1e6:5.2f} us: {ratio:4.1f}x  (target <= 5x: {'met' if ratio <= 5 else 'NOT met'})")
    print("3. CPU per NIRS run (world, run and scores; seed 0, journal not kept)")
    if before is None:
        half = best_run * 1e3 / BEFORE_MS
        verdict = "met" if half <= 0.5 else "NOT met"
        print(f"   now {best_run * 1e3:6.1f} ms; before the hot-path work {BEFORE_MS:.0f} ms (saved figure, see BEFORE_MS): {half:4.2f}x  (target <= 0.5x: {verdict})")
        return
    with tempfile.TemporaryDirectory() as tmp:
        tree = export_drillsim(before, Path(tmp) / "then")  # the old engine; the subprocesses run from tmp, so neither tree is the current folder
        now_ms = then_ms = float("inf")
        for _ in range(max(2, trials)):  # alternating rounds: the machine's speed drifts by a third within minutes
            for label, path in (("now", str(ROOT)), ("then", str(tree))):
                env = dict(os.environ, PYTHONPATH=path)
                out = subprocess.run([sys.executable, "-c", _PER_RUN, str(NIRS), "5"], cwd=tmp, env=env, capture_output=True, text=True, check=True)
                ms = float(out.stdout) * 1e3
                if label == "now":
                    now_ms = min(now_ms, ms)
                else:
                    then_ms = min(then_ms, ms)
    half = now_ms / then_ms
    print(f"   now {now_ms:6.1f} ms; revision {before} {then_ms:6.1f} ms (measured now, interleaved): {half:4.2f}x  (target <= 0.5x: {'met' if half <= 0.5 else 'NOT met'})")


def national(trials: int) -> None:
    """4. The 17,090-system fire against its touched-only model."""
    from drillsim.engine import Simulation, compile_scenario
    from drillsim.model import scenario_from_data
    from drillsim.model.generator import generate_ecosystem

    document = generate_ecosystem(17090, seed=1, fire_room_systems=650, fire_inject=True)
    big = compile_scenario(scenario_from_data(document).scenario)
    probe = Simulation(big, seed=0, record_events=False)
    probe.run()
    touched = set(probe.touched())
    small = compile_scenario(scenario_from_data(touched_submodel(document, touched)).scenario)

    def one(model) -> tuple[float, int]:
        t0 = time.process_time()
        sim = Simulation(model, seed=0, record_events=False)
        result = sim.run()
        return time.process_time() - t0, result.metrics.systems_affected

    best_big = best_small = float("inf")
    affected = set()
    for _ in range(trials):  # alternating
        t, a_big = one(big)
        best_big = min(best_big, t)
        t, a_small = one(small)
        best_small = min(best_small, t)
        affected.add((a_big, a_small))
    ratio = best_big / best_small
    same = all(a == b for a, b in affected)
    print(f"4. 17,090-system fire vs its {len(touched)} touched systems alone (seed 0, journal not kept)")
    print(f"   full model {best_big * 1e3:6.1f} ms, touched only {best_small * 1e3:6.1f} ms: {ratio:4.2f}x  (target < 1.5x: {'met' if ratio < 1.5 else 'NOT met'})"
          f"{'' if same else '  (affected systems differ: ' + str(sorted(affected)) + ')'}")


def jobs(trials: int) -> None:
    """5. A small NIRS batch, 2 jobs against 1 (runs per second, best of ``trials``)."""
    from bench_batch import _timed_batch

    from drillsim.batch import resolve_variants
    from drillsim.model import load_scenario

    variants = resolve_variants([load_scenario(NIRS)])
    rates = {1: 0.0, 2: 0.0}
    for _ in range(trials):
        for n_jobs in (1, 2):
            runs = 20 * n_jobs
            wall, _cpu, _result = _timed_batch(variants, runs, n_jobs)
            rates[n_jobs] = max(rates[n_jobs], runs / wall)
    ratio = rates[2] / rates[1]
    print("5. batch of the NIRS fire, 20 runs a job (pool start-up and saving included)")
    print(f"   1 job {rates[1]:5.2f} runs/s, 2 jobs {rates[2]:5.2f} runs/s: {ratio:4.2f}x  (target >= 1.7x: {'met' if ratio >= 1.7 else 'NOT met'})")


def invest() -> None:
    """6. The README's invest command: wall time, CPU, runs used."""
    from bench_invest import _run

    wall, cpu, doc = _run(["--jobs", "2"])
    rep = doc["replication"]
    print("6. the README's drillsim invest command (--budget 30bn --jobs 2)")
    print(f"   {wall:5.1f} s wall, {cpu:5.1f} s CPU, {rep['runs_simulated']} runs of {rep['variants_simulated']} variants, "
          f"{rep['rounds']} round(s)  (target <= 60 s wall: {'met' if wall <= 60 else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=5, help="trials per figure (the best counts)")
    parser.add_argument("--skip-invest", action="store_true", help="leave out the invest command (over a minute)")
    parser.add_argument("--skip-national", action="store_true", help="leave out the 17,090-system fire (builds it: about 10 s)")
    parser.add_argument("--skip-batch", action="store_true", help="leave out the 2-jobs batch")
    parser.add_argument("--before", metavar="REV", help="measure CPU per NIRS run of this git revision too (e.g. 0c9f19d)")
    args = parser.parse_args()
    if args.before is not None:
        check_revision(args.before)  # before a minute of other measurements
    print(f"drillsim ratios, best of {args.trials} trials ({os.cpu_count()} CPUs; CPU times)")
    startup(args.trials)
    engine_per_event(args.trials, args.before)
    if not args.skip_national:
        national(args.trials)
    if not args.skip_batch:
        jobs(max(1, args.trials // 2))
    if not args.skip_invest:
        invest()


if __name__ == "__main__":
    main()

"""Start-up cost of the command line, against a bare interpreter (numbers, not tests).

    python benchmarks/bench_startup.py [--trials 9]

Measures, in the same run and interleaved (so that a load on the machine falls on all three
alike), the best of several trials of:

- ``python -c pass`` (the interpreter and its site packages, nothing of drillsim),
- ``python -m drillsim --help``,
- ``python -m drillsim validate scenarios/example-room-fire.yaml``,
- for reference, ``python -c "import typer"`` and ``python -c "import drillsim.model"`` (the floors
  under the two commands: the CLI library, and pydantic with the scenario schema),

each as wall time and CPU time (user + system of the child process), and prints the ratios to
bare Python. Targets: --help within 3x, validate within 5x. Run it with the tree to measure on
``PYTHONPATH`` (or installed).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"--help": 3.0, "validate": 5.0}


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""As installed packages run: compiled once (the warm-up run writes the .pyc files), then loaded."""


def measure(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``command`` (its output discarded)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=9, help="trials per command (the best counts)")
    args = parser.parse_args()
    py = sys.executable
    commands = {
        "python -c pass": [py, "-c", "pass"],
        "import typer": [py, "-c", "import typer"],  # the floor under --help: the CLI library itself
        "import model": [py, "-c", "import drillsim.model"],  # the floor under validate: pydantic and the schema
        "--help": [py, "-m", "drillsim", "--help"],
        "validate": [py, "-m", "drillsim", "validate", "scenarios/example-room-fire.yaml"],
    }
    env_note = os.environ.get("PYTHONPATH", "(installed drillsim)")
    for command in commands.values():  # warm the file cache and the .pyc files
        measure(command)
    best = {name: [float("inf"), float("inf")] for name in commands}
    for _ in range(args.trials):
        for name, command in commands.items():
            wall, cpu = measure(command)
            best[name][0] = min(best[name][0], wall)
            best[name][1] = min(best[name][1], cpu)
    base_wall, base_cpu = best["python -c pass"]
    print(f"drillsim start-up, best of {args.trials} trials (PYTHONPATH={env_note}, {os.cpu_count()} CPUs)")
    print(f"{'command':<16} {'wall ms':>8} {'CPU ms':>8} {'wall x':>7} {'CPU x':>7}  target")
    for name, (wall, cpu) in best.items():
        target = TARGETS.get(name)
        verdict = ""
        if target is not None:
            verdict = f"<= {target:g}x: " + ("met" if cpu / base_cpu <= target else "NOT met") + " (CPU)"
        print(f"{name:<16} {wall * 1e3:8.1f} {cpu * 1e3:8.1f} {wall / base_wall:7.2f} {cpu / base_cpu:7.2f}  {verdict}")


if __name__ == "__main__":
    main()

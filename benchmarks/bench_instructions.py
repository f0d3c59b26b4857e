"""Instructions per NIRS run under valgrind, for this tree and earlier revisions (numbers, not tests).

    python benchmarks/bench_instructions.py [REV ...] [--runs 3]

CPU times on a shared machine drift by a third within minutes, which hides a change of a few
percent; the number of machine instructions a run executes does not drift. For this tree (and
each git revision REV, exported with ``git archive`` into a temporary folder) this counts, with
``valgrind --tool=callgrind``, the instructions of a process that loads the NIRS fire
(``scenarios/nirs-daejeon-fire-2025.yaml``), compiles it and makes one warm-up run, then
``--runs`` more runs (seed 0, journal not kept, as batches run), and of the same process with no
further runs; the difference divided by ``--runs`` is the instructions per run. Instructions are
not time (cache misses, the garbage collector's memory walks), but a change that removes work
shows here whatever the machine is doing. Needs valgrind; each tree takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from revisions import check_revision, export_drillsim  # noqa: E402

NIRS = ROOT / "scenarios" / "nirs-daejeon-fire-2025.yaml"

_RUNS = r"""
import sys
from drillsim.model import load_scenario
from drillsim.engine import Simulation, compile_scenario
compiled = compile_scenario(load_scenario(sys.argv[1]).scenario)
Simulation(compiled, seed=0, record_events=False).run()
for _ in range(int(sys.argv[2])):
    Simulation(compiled, seed=0, record_events=False).run()
"""


def instructions(tree: Path, runs: int, work: Path) -> int:
    """Instructions executed by the loading process with ``runs`` extra runs (callgrind's count)."""
    out = work / "callgrind.out"
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c", _RUNS, str(NIRS), str(runs)],
        cwd=work, env=dict(os.environ, PYTHONPATH=str(tree)), capture_output=True, text=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"valgrind failed in {tree}: {done.stderr[-500:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revisions", nargs="*", help="git revisions to count too (e.g. 0c9f19d)")
    parser.add_argument("--runs", type=int, default=3, help="runs counted after the warm-up (default 3)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt install valgrind)")
    for rev in args.revisions:
        check_revision(rev)  # before minutes of counting
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        trees = {"this tree": ROOT}
        for rev in args.revisions:
            trees[rev] = export_drillsim(rev, work / rev)
        per_run = {}
        for name, tree in trees.items():
            per_run[name] = (instructions(tree, args.runs, work) - instructions(tree, 0, work)) / args.runs
            print(f"{name:<12} {per_run[name] / 1e6:8.1f} million instructions per NIRS run", flush=True)
        base = per_run["this tree"]
        for rev in args.revisions:
            print(f"this tree / {rev}: {base / per_run[rev]:.3f}")


if __name__ == "__main__":
    main()

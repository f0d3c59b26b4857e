"""Fuzz campaign: thousands of mutated bundled scenarios through the real ``drillsim run`` (in-process).

Not part of the test suite (tests/test_fuzz_scenarios.py runs a fixed few hundred). Usage::

    PYTHONPATH=. python benchmarks/fuzz_campaign.py --files 3000 --seed 1 [--minutes 20]

Prints the counts: files, located errors, clean runs, runs refused with a message, and every
failure (a traceback, an error without file:line, output that is not strict finite JSON) with the
mutated file kept for a look.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzz_mutations import ALL, KINDS, SMALL, check_file, copy_tree, mutate  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--minutes", type=float, default=60.0, help="stop early after this long (the counts say how far it got)")
    parser.add_argument("--keep", type=Path, default=Path("fuzz-failures"))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    counts: Counter[str] = Counter()
    by_kind: Counter[tuple[str, str]] = Counter()
    failures = []
    started = time.monotonic()
    cpu = time.process_time()
    with tempfile.TemporaryDirectory() as tmp:
        tree = copy_tree(Path(tmp))
        for k in range(args.files):
            if time.monotonic() - started > args.minutes * 60:
                break
            name = rng.choice(SMALL if rng.random() < 0.7 else ALL)
            kind = rng.choice(KINDS)
            text = (tree / name).read_text(encoding="utf-8")
            path = (tree / name).with_name(f"fuzz-{k}-{Path(name).name}")
            path.write_text(mutate(text, rng, kind), encoding="utf-8")
            try:
                outcome = check_file(path, validate=rng.random() < 0.2)
            except BaseException as exc:  # noqa: BLE001  # every failure is counted and kept
                if isinstance(exc, KeyboardInterrupt):
                    raise
                outcome = "FAILED"
                args.keep.mkdir(exist_ok=True)
                kept = args.keep / path.name
                kept.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
                failures.append((kept, "".join(traceback.format_exception_only(type(exc), exc)).strip()[:400]))
            counts[outcome] += 1
            by_kind[(kind, outcome)] += 1
            path.unlink()
    files = sum(counts.values())
    print(f"files: {files}  located errors: {counts['located']}  clean runs: {counts['ran']}  refused with a message: {counts['refused']}  failures: {counts['FAILED']}")
    print(f"CPU {time.process_time() - cpu:.0f} s, wall {time.monotonic() - started:.0f} s")
    for kind in KINDS:
        print(f"  {kind:10s} " + "  ".join(f"{o} {by_kind[(kind, o)]}" for o in ("located", "ran", "refused", "FAILED")))
    for kept, message in failures[:50]:
        print(f"FAILED {kept}: {message}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

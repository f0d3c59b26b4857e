"""The drillsim package of an earlier git revision, for benchmarks that measure it beside this tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def check_revision(rev: str) -> None:
    """Exit with status 2 and a clear message unless ``rev`` names a commit of this repository (checked before any long work)."""
    found = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], capture_output=True)
    if found.returncode != 0:
        print(f"revision {rev!r}: not a commit of {ROOT} (try 'git log --oneline'; a shallow clone may lack it)", file=sys.stderr)
        raise SystemExit(2)


def export_drillsim(rev: str, into: Path) -> Path:
    """Extract revision ``rev``'s ``drillsim`` package into the folder ``into`` (created); return ``into`` (a PYTHONPATH entry)."""
    check_revision(rev)
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "drillsim"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into

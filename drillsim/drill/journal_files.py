"""Journal files on disk: the name a new drill's journal gets, and the copy kept of a damaged one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..model.diagnostics import DrillsimError

__all__ = ["default_journal_path", "set_aside"]


def default_journal_path(scenario_id: str, seed: int, directory: str | Path = ".", now: datetime | None = None) -> Path:
    """``<scenario-id>-seed<N>-<YYYYmmdd-HHMMSS>.journal.jsonl`` in ``directory`` (never an existing file)."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    base = Path(directory) / f"{scenario_id}-seed{seed}-{stamp}"
    path = base.with_name(base.name + ".journal.jsonl")
    k = 2
    while path.exists():
        path = base.with_name(f"{base.name}-{k}.journal.jsonl")
        k += 1
    return path


def set_aside(path: Path) -> Path:
    """Copy a damaged journal to ``<journal>.damaged`` (``.damaged-2``... if taken) before it is cut; return the copy."""
    import shutil

    copy = path.with_name(path.name + ".damaged")
    k = 2
    while copy.exists():
        copy = path.with_name(f"{path.name}.damaged-{k}")
        k += 1
    try:
        shutil.copyfile(path, copy)
    except OSError as exc:
        raise DrillsimError(f"cannot keep a copy of the damaged journal {path} in {copy}: {exc.strerror or exc}") from None
    return copy

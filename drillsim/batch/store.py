"""Chunk files on disk: results are saved as they arrive, so an interrupted batch loses nothing.

Layout of a batch's output folder::

    OUT/chunks/<key>/variant.json                      what the key stands for (for people)
    OUT/chunks/<key>/runs-000000000-000000050.parquet  run rows of runs 0..49
    OUT/chunks/<key>/systems-000000000-000000050.parquet  their system rows (if kept)

``<key>`` is a digest of everything that determines the rows of a variant: the scenario's content
hash, the root seed, the policy, ``until``, the time grid and whether system rows are kept. The
same command finds the same keys, so it sees what is done and runs only what is missing; a changed
scenario file gets a new key (and starts afresh) instead of mixing old and new rows.

Each chunk is written to a temporary file and renamed into place (atomic on POSIX and Windows),
system rows first, run rows last: a ``runs-`` file is the proof that its chunk is complete. On
opening, leftovers of an interrupted write (temporary files, system rows without run rows,
unreadable files) are deleted. A lock file keeps two batches from writing the same folder at once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..model.diagnostics import DrillsimError
from .worker import ChunkResult

__all__ = ["ChunkStore"]

_RUNS = re.compile(r"^runs-(\d{9})-(\d{9})\.parquet$")
_SYSTEMS = re.compile(r"^systems-(\d{9})-(\d{9})\.parquet$")


def _name(kind: str, start: int, stop: int) -> str:
    return f"{kind}-{start:09d}-{stop:09d}.parquet"


class ChunkStore:
    """The chunk files of one output folder (see the module docstring)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        try:
            (self.root / "chunks").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DrillsimError(f"cannot create the output folder {self.root}: {exc.strerror or exc}") from None
        self._lock_file: Any = None

    # -- locking ----------------------------------------------------------------------
    def lock(self) -> None:
        """Take the folder's lock (released when the process ends, even if killed)."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover: Windows: no lock
            return
        handle = open(self.root / ".lock", "a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise DrillsimError(f"another batch is writing to {self.root}; wait for it or choose another --out") from None
        self._lock_file = handle

    def unlock(self) -> None:
        """Release the lock."""
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    # -- what is done -----------------------------------------------------------------
    def folder(self, key: str) -> Path:
        """The folder of a variant's chunks."""
        return self.root / "chunks" / key

    def clear(self, key: str) -> None:
        """Delete a variant's chunks (a fresh start)."""
        shutil.rmtree(self.folder(key), ignore_errors=True)

    def describe(self, key: str, info: dict[str, Any]) -> None:
        """Write ``variant.json``: what this key stands for."""
        folder = self.folder(key)
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(info, indent=2, ensure_ascii=False, default=str)
        path = folder / "variant.json"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            tmp = folder / "variant.json.tmp"
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)

    def ranges(self, key: str) -> list[tuple[int, int]]:
        """The run ranges ``[start, stop)`` saved for ``key``, after cleaning up leftovers."""
        folder = self.folder(key)
        if not folder.is_dir():
            return []
        out: list[tuple[int, int]] = []
        names = {p.name for p in folder.iterdir()}
        for name in names:
            if name.endswith(".tmp"):
                (folder / name).unlink(missing_ok=True)
        for name in sorted(names):
            match = _RUNS.match(name)
            if not match:
                continue
            start, stop = int(match.group(1)), int(match.group(2))
            try:
                rows = pq.read_metadata(folder / name).num_rows
            except Exception:  # noqa: BLE001 - an unreadable chunk is simply redone
                rows = -1
            if rows != stop - start:
                (folder / name).unlink(missing_ok=True)
                (folder / _name("systems", start, stop)).unlink(missing_ok=True)
                continue
            out.append((start, stop))
        done = set(out)
        for name in names:
            match = _SYSTEMS.match(name)
            if match and (int(match.group(1)), int(match.group(2))) not in done:
                (folder / name).unlink(missing_ok=True)
        out.sort()
        return out

    def done_mask(self, key: str, runs: int) -> np.ndarray:
        """A boolean array: which of runs ``0 .. runs-1`` are saved."""
        mask = np.zeros(runs, dtype=bool)
        for start, stop in self.ranges(key):
            if start < runs:
                mask[start : min(stop, runs)] = True
        return mask

    # -- writing ----------------------------------------------------------------------
    def write(self, result: ChunkResult) -> None:
        """Save a finished chunk (system rows first, then run rows: the proof of completion)."""
        task = result.task
        folder = self.folder(task.key)
        folder.mkdir(parents=True, exist_ok=True)
        if result.systems is not None:
            self._write_table(result.systems, folder / _name("systems", task.start, task.stop))
        self._write_table(result.runs, folder / _name("runs", task.start, task.stop))

    @staticmethod
    def _write_table(table: pa.Table, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        try:
            pq.write_table(table, tmp, compression="zstd")
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise DrillsimError(f"cannot write {path}: {exc.strerror or exc}") from None

    # -- reading ----------------------------------------------------------------------
    def read_runs(self, key: str, runs: int) -> pa.Table:
        """The run rows of runs ``0 .. runs-1`` saved for ``key``, in run order."""
        tables = []
        for start, stop in self.ranges(key):
            if start >= runs:
                continue
            table = pq.read_table(self.folder(key) / _name("runs", start, stop))
            if stop > runs:
                table = table.slice(0, runs - start)
            tables.append(table)
        if not tables:
            raise DrillsimError(f"no saved runs for variant {key}")
        table = pa.concat_tables(tables)
        run = table.column("run").to_numpy()
        if len(run) > 1 and np.any(np.diff(run) < 0):  # chunks are read in run order: normally sorted
            table = table.take(pa.array(np.argsort(run, kind="stable")))
        return table

    def iter_systems(self, key: str, runs: int) -> Iterator[pa.Table]:
        """The system rows of runs ``0 .. runs-1``, one chunk at a time (memory stays flat)."""
        for start, stop in self.ranges(key):
            if start >= runs:
                continue
            path = self.folder(key) / _name("systems", start, stop)
            if not path.exists():
                continue
            table = pq.read_table(path)
            if stop > runs:
                table = table.filter(pc.less(table.column("run"), pa.scalar(runs, pa.int32())))
            yield table

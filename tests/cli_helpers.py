"""Helpers for tests that drive the real command line in-process: exit status, stdout, stderr."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drillsim.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run ``drillsim ARGS`` in this process; return (exit status, stdout, stderr)."""
    capsys.readouterr()
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def located(stderr: str, file: str | Path) -> list[str]:
    """The lines of ``stderr`` that are located errors in ``file``: ``file:LINE: ...`` (never a warning)."""
    text = " ".join(stderr.split("\n"))  # rich may wrap long lines
    pattern = re.compile(re.escape(str(file)) + r":(\d+): (?!\S*:? ?warning)")
    return [m.group(0) for m in pattern.finditer(text)] if "Traceback" not in stderr else []


def assert_located(capsys: pytest.CaptureFixture[str], file: Path, *needles: str, command: str = "validate") -> str:
    """``drillsim COMMAND FILE`` exits 2 with a ``file:line:`` error containing every needle; return stderr."""
    code, _, err = run_cli(capsys, command, file)
    flat = " ".join(err.split())
    assert code == 2, err
    assert "Traceback" not in err
    assert located(err, file), err
    for needle in needles:
        assert needle in flat, flat
    return flat

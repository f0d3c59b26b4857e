"""Mutations of the bundled scenarios, for the property test and the fuzz campaign (benchmarks/fuzz_campaign.py).

:func:`mutate` takes a bundled file and a ``random.Random`` and returns mutated YAML text: a key
deleted, a value's type swapped, an out-of-range or non-finite number, a control character, deep
nesting, a long string, or damage to the text itself. :func:`check_file` puts the text through
the real ``drillsim validate`` and, when it is valid, ``drillsim run --json`` (in-process), and
says what happened: a located error (``file:line:``, exit 2), a clean run with strict, finite
JSON, or a run refused with a message (exit 2). Anything else (a traceback, an error without a
place, JSON that is not JSON) raises AssertionError.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import random
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from drillsim.cli import main

ROOT = Path(__file__).resolve().parents[1]
SMALL = ["example-room-fire.yaml", "pangyo-fire-2022.yaml", "ransomware-site-encryption.yaml", "regional-power-outage.yaml"]
"""Bundled scenarios small enough to run hundreds of times in the suite (no 17,000-line model)."""
ALL = SMALL + [
    "vaccine-booking-surge-2021.yaml", "saeol-gpki-outage-2023.yaml", "nirs-daejeon-fire-2025.yaml",
    "variants/pangyo-tooling-in-second-center.yaml", "variants/vaccine-booking-fix-2021.yaml", "models/enterprise-two-sites.yaml",
]
KINDS = ("delete", "swap", "number", "nonfinite", "control", "nest", "long", "duration", "text")

_WEIRD_VALUES: list[Any] = [None, True, 0, -1, 1.5, "", "x", [], {}, [1, 2], {"a": 1}, "99999999999999999999y", 10**400, -(10**30)]
_NUMBERS: list[Any] = [-1, 0, -0.5, 1e-300, 1e300, 10**400, 2**63, 2**64 + 1, 1.0e15]
_NONFINITE = [float("nan"), float("inf"), float("-inf")]
_DURATIONS = ["-5h", "0s", "1e400h", "9" * 300 + "h", "18446744073709551617s", "5", "1y1y1y", "3 fortnights", "0.0000001s"]


def copy_tree(dest: Path) -> Path:
    """A copy of the bundled scenarios folder (mutated files go beside the originals they extend)."""
    target = dest / "scenarios"
    if not target.exists():
        shutil.copytree(ROOT / "scenarios", target)
    return target


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def _set(node: Any, path: tuple[Any, ...], value: Any) -> None:
    _get(node, path[:-1])[path[-1]] = value


def mutate(text: str, rng: random.Random, kind: str | None = None) -> str:
    """One mutation of a scenario's YAML text (the kind drawn by ``rng`` unless given)."""
    kind = kind or rng.choice(KINDS)
    if kind == "text":
        where = rng.randrange(len(text) + 1)
        damage = rng.choice(["\x00", "\x07", "\x1b[31m", "\t", "\ufeff", "{", "]", ": :", "\n  - ", "&a *a", "!!python/object:os.system x"])
        return text[:where] + damage + text[where:] if rng.random() < 0.8 else text[:where]
    data = yaml.safe_load(text)
    paths = [p for p in _paths(data) if p]
    if not paths:
        return text
    path = rng.choice(paths)
    if kind == "delete":
        parent = _get(data, path[:-1])
        del parent[path[-1]]
    elif kind == "swap":
        _set(data, path, rng.choice(_WEIRD_VALUES))
    elif kind in ("number", "nonfinite"):
        numeric = [p for p in paths if isinstance(_get(data, p), (int, float)) and not isinstance(_get(data, p), bool)] or paths
        _set(data, rng.choice(numeric), rng.choice(_NUMBERS if kind == "number" else _NONFINITE))
    elif kind == "duration":
        strings = [p for p in paths if isinstance(_get(data, p), str) and re.fullmatch(r"[\d.]+[smhdwy]", _get(data, p))] or paths
        _set(data, rng.choice(strings), rng.choice(_DURATIONS))
    elif kind == "control":
        strings = [p for p in paths if isinstance(_get(data, p), str)] or paths
        target = rng.choice(strings)
        value = str(_get(data, target))
        _set(data, target, value[: len(value) // 2] + chr(rng.choice([0, 1, 7, 8, 0x1B, 0x7F, 0x85])) + value[len(value) // 2:])
    elif kind == "nest":
        depth = rng.choice([10, 70, 300])
        value: Any = "x"
        for _ in range(depth):
            value = [value] if rng.random() < 0.5 else {"k": value}
        _set(data, path, value)
    elif kind == "long":
        _set(data, path, rng.choice(["x" * 300, "a" * 5000, "/" * 300, "9" * 400 + "GB", "é" * 1000]))
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)
    except (yaml.YAMLError, RecursionError):
        return text


def _strict(text: str) -> Any:
    def refuse(constant: str) -> Any:
        raise AssertionError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


_LOCATED = re.compile(r"(?:^|error: )(/\S+?):(\d+): ", re.M)


def check_file(path: Path, until: str = "12h", validate: bool = False) -> str:
    """``located``, ``ran`` or ``refused`` (see the module docstring); AssertionError for anything else.

    ``drillsim run`` validates the file exactly as ``drillsim validate`` does (the same loader,
    the same messages); ``validate=True`` also runs the latter first.
    """
    if validate:
        code, _, err = _cli("validate", str(path))
        assert "Traceback" not in err and code in (0, 2), err[:500]
    code, out, err = _cli("run", str(path), "--json", "--until", until)
    assert "Traceback" not in err, err
    flat = " ".join(err.split("\n"))
    if code == 2:
        if _LOCATED.search(err) or _LOCATED.search(flat) or "empty" in err:
            return "located"
        assert "callers are expected" in flat or "simulation events" in flat, f"no file:line in: {err[:500]}"
        return "refused"
    assert code == 0, f"run exited {code}: {err[:500]}"
    doc = _strict(out)
    assert _finite(doc), "a non-finite number in the JSON"
    return "ran"

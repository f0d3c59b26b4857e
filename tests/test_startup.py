"""Start-up: the command line imports only what a command uses, when it uses it.

Checked in fresh interpreters through ``sys.modules`` (which modules got loaded), never by timing;
the times are in ``benchmarks/bench_startup.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import SCENARIOS

HEAVY = ("scipy", "pyarrow", "matplotlib", "textual", "dask", "distributed", "ray", "openpyxl", "websockets")
"""Libraries no command may load before it needs them."""

LOWER_LAYERS = ("drillsim.model", "drillsim.engine", "drillsim.batch", "drillsim.invest", "drillsim.report", "drillsim.drill", "drillsim.tui", "drillsim.check", "drillsim.seats")


def loaded_after(code: str) -> list[str]:
    """The top-level packages and drillsim sub-packages loaded by ``code`` in a fresh interpreter."""
    probe = (
        "import contextlib, io, json, sys\n"
        f"{code}\n"
        "names = sorted({m.split('.')[0] for m in sys.modules} | {'.'.join(m.split('.')[:2]) for m in sys.modules if m.startswith('drillsim.')})\n"
        "print('MODULES=' + json.dumps(names))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("MODULES="))
    return json.loads(line.removeprefix("MODULES="))


def test_importing_the_cli_loads_no_heavy_library_and_no_lower_layer():
    loaded = loaded_after("import drillsim.cli")
    assert "typer" in loaded and "drillsim.cli" in loaded  # the probe does see what gets imported
    assert [m for m in HEAVY if m in loaded] == []
    assert [m for m in LOWER_LAYERS if m in loaded] == []  # not even the model: pydantic and numpy wait too
    if "rich" not in loaded_after("import typer"):  # older Typer releases import rich themselves
        assert "rich" not in loaded  # help is plain text; the consoles are made on first use


def test_help_of_every_command_loads_no_heavy_library():
    code = (
        "from drillsim.cli import main\n"
        "commands = ['validate', 'schema', 'run', 'batch', 'generate', 'spof', 'graph', 'invest', 'drill', 'replay',\n"
        "            'report', 'sitrep', 'check', 'injects', 'injects export', 'injects import', 'serve', 'join']\n"
        "for args in [['--help']] + [c.split() + ['--help'] for c in commands]:\n"
        "    with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "        code = main(args)\n"
        "    assert code == 0 and 'Usage' in out.getvalue(), (args, code)\n"
    )
    loaded = loaded_after(code)
    assert "typer" in loaded
    assert [m for m in HEAVY if m in loaded] == []
    assert [m for m in LOWER_LAYERS if m in loaded] == []


def test_validate_loads_the_model_but_no_heavy_library_nor_numpy():
    example = SCENARIOS / "example-room-fire.yaml"
    code = (
        "from drillsim.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    assert main(['validate', {str(example)!r}]) == 0\n"
        "assert 'valid' in out.getvalue()\n"
    )
    loaded = loaded_after(code)
    assert "drillsim.model" in loaded and "pydantic" in loaded
    assert [m for m in HEAVY if m in loaded] == []
    assert "numpy" not in loaded and "drillsim.engine" not in loaded and "simpy" not in loaded


def test_the_generate_defaults_shown_in_help_are_the_generators():
    from drillsim.cli import model_cmds
    from drillsim.model import generator

    assert (model_cmds.NATIONAL_SYSTEMS, model_cmds.FIRE_ROOM) == (generator.NATIONAL_SYSTEMS, generator.FIRE_ROOM)

"""Every command's --help shows its help texts as written: no bracket eaten as markup.

Rich markup once turned ``pip install 'drillsim[dask]' / 'drillsim[ray]'`` into ``pip install
'drillsim' / 'drillsim'``. Each command's help page must contain every help text of the command
and of its parameters (whitespace aside: the help is re-wrapped to the terminal's width), and in
particular every bracketed phrase of those texts.
"""

from __future__ import annotations

import re

import pytest
import typer.main

from drillsim.cli import app, main


def commands():
    """(argument path, click command) for every command and group of the CLI, the root included."""
    root = typer.main.get_command(app)
    out = [((), root)]
    stack = [((), root)]
    while stack:
        path, group = stack.pop()
        for name, command in getattr(group, "commands", {}).items():
            out.append(((*path, name), command))
            stack.append(((*path, name), command))
    return out


def texts(command) -> list[str]:
    """The help texts written in the source for ``command`` and its parameters."""
    found = [command.help] if command.help else []
    found += [p.help for p in command.params if getattr(p, "help", None)]
    return found


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


COMMANDS = commands()


def test_every_command_is_checked():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"batch", "validate", "drill", "invest", "injects", "injects export", "injects import", "check"} <= names
    brackets = {b for _, c in COMMANDS for t in texts(c) for b in re.findall(r"\[[^\]\s]*\]", t)}
    assert {"[dask]", "[ray]", "[injects]"} <= brackets  # the texts this test is about


@pytest.mark.parametrize("path, command", COMMANDS, ids=lambda x: " ".join(x) or "drillsim" if isinstance(x, tuple) else "")
def test_help_shows_every_help_text_with_its_brackets(path, command, capsys):
    assert main([*path, "--help"]) == 0
    page = capsys.readouterr().out
    assert "Usage:" in page
    flat = squeeze(page)
    for text in texts(command):
        for bracketed in re.findall(r"\S*\[[^\]]*\]\S*", text):
            assert squeeze(bracketed) in flat, f"{' '.join(path)} --help lost {bracketed!r}"
        assert squeeze(text) in flat, f"{' '.join(path)} --help does not show {text!r} as written"

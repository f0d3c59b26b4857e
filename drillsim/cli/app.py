"""The Typer application object, the consoles every command prints to, and how commands are registered."""

from __future__ import annotations

import inspect
from typing import Any, Callable

import typer
from rich.console import Console

__all__ = ["app", "console", "err_console", "command", "help_text"]

app = typer.Typer(
    name="drillsim",
    help=(
        "Disaster-recovery drill simulator.\n\n"
        "Rehearse an outage as a tabletop drill, compare recovery plans over thousands of simulated "
        "disasters, and rank redundancy investments by the downtime they avoid. Scenarios are YAML "
        "files (see 'drillsim schema' and the bundled scenarios/ folder)."
    ),
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def help_text(func: Any) -> str:
    """A command's docstring with its paragraphs unwrapped (rich help keeps single newlines as line breaks)."""
    text = inspect.cleandoc(func.__doc__ or "")
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in text.split("\n\n"))


def command(target: typer.Typer | None = None, name: str | None = None) -> Callable[[Any], Any]:
    """Register a function as a command of ``target`` (default: the app), its help from :func:`help_text`."""

    def register(func: Any) -> Any:
        return (target or app).command(name=name, help=help_text(func))(func)

    return register

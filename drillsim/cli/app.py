"""The Typer application object and the consoles every command prints to."""

from __future__ import annotations

import typer
from rich.console import Console

__all__ = ["app", "console", "err_console"]

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

# emoji=False: Rich would turn "file.yaml:100: ..." into "file.yaml💯 ..." (its :100: emoji code).
console = Console(highlight=False, emoji=False)
err_console = Console(stderr=True, highlight=False, emoji=False)

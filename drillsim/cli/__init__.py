"""The ``drillsim`` command line: one Typer app, one module per group of commands.

Errors caused by the user's input (:class:`~drillsim.model.DrillsimError`) are printed without
a traceback and exit with status 2; an interrupted command exits with 130.
"""

from __future__ import annotations

import sys

# Importing a command module registers its commands on ``app``.
from . import (
    batch_cmd,  # noqa: E402,F401
    check_cmd,  # noqa: E402,F401
    drill_cmd,  # noqa: E402,F401
    invest_cmd,  # noqa: E402,F401
    model_cmds,  # noqa: E402,F401
    report_cmds,  # noqa: E402,F401
    run_cmd,  # noqa: E402,F401
    scenario_cmds,  # noqa: E402,F401
)
from .app import app, console, err_console

__all__ = ["app", "main", "console", "err_console"]


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``drillsim`` script; returns the exit status."""
    from rich.markup import escape

    from ..model import DrillsimError

    try:
        app(args=argv, prog_name="drillsim")  # standalone: ends with SystemExit
    except DrillsimError as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        return 2
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    except SystemExit as exc:
        if exc.code is None:
            return 0
        return exc.code if isinstance(exc.code, int) else 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

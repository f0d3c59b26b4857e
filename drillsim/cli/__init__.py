"""The ``drillsim`` command line: one Typer app, one module per group of commands.

Errors caused by the user's input (:class:`~drillsim.model.DrillsimError`) are printed without
a traceback and exit with status 2; an interrupted command exits with 130.

Importing this package loads Typer and the command modules only: each command imports the model,
the engine and heavy libraries (scipy, pyarrow, matplotlib, textual, dask, ray, openpyxl) inside
its function, so ``drillsim --help`` starts at once (``tests/test_startup.py`` checks it).
"""

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
    seats_cmd,  # noqa: E402,F401
)
from .app import app, console, err_console, escape

__all__ = ["app", "main", "console", "err_console"]


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``drillsim`` script; returns the exit status."""
    try:
        app(args=argv, prog_name="drillsim")  # standalone: ends with SystemExit
    except Exception as exc:
        # A DrillsimError can only come from the model, so it is loaded if one was raised.
        diagnostics = sys.modules.get("drillsim.model.diagnostics")
        if diagnostics is None or not isinstance(exc, diagnostics.DrillsimError):
            raise
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

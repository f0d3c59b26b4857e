"""The Typer application object, the consoles every command prints to, and how commands are registered.

Start-up matters (``drillsim --help`` should answer at once), so nothing here imports more than
Typer: the rich consoles are made on first use, and help is plain text (``rich_markup_mode=None``),
which also keeps literal brackets such as ``pip install 'drillsim[dask]'`` as written.
"""

import inspect
from typing import Any, Callable

import typer

__all__ = ["app", "console", "err_console", "escape", "LazyConsole", "command", "help_text"]

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
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class LazyConsole:
    """A :class:`rich.console.Console` created on first use, with the keyword arguments given here.

    Attribute access is forwarded to the console; :attr:`real` is the console itself, for APIs
    that need a true Console (a progress bar).
    """

    def __init__(self, **kwargs: Any) -> None:
        self._kwargs = kwargs
        self._console: Any = None

    @property
    def real(self) -> Any:
        """The rich Console (created now if it does not exist yet)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._kwargs)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


# emoji=False: Rich would turn "file.yaml:100: ..." into "file.yaml💯 ..." (its :100: emoji code).
console = LazyConsole(highlight=False, emoji=False)
err_console = LazyConsole(stderr=True, highlight=False, emoji=False)


def escape(text: str) -> str:
    """Rich markup escaped (:func:`rich.markup.escape`, imported when first needed)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def help_text(func: Any) -> str:
    """A command's docstring with its paragraphs unwrapped (rich help keeps single newlines as line breaks)."""
    text = inspect.cleandoc(func.__doc__ or "")
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in text.split("\n\n"))


def command(target: typer.Typer | None = None, name: str | None = None) -> Callable[[Any], Any]:
    """Register a function as a command of ``target`` (default: the app), its help from :func:`help_text`."""

    def register(func: Any) -> Any:
        return (target or app).command(name=name, help=help_text(func))(func)

    return register

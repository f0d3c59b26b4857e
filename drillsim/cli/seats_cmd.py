"""``drillsim serve`` (a drill served to several seats over WebSockets) and ``drillsim join`` (a seat's app)."""

from pathlib import Path
from typing import Annotated

import typer

from .app import command, console, err_console, escape

__all__ = ["serve", "join"]

TOKEN_ENV = "DRILLSIM_TOKEN"
"""The environment variable ``drillsim join`` reads the token from when ``--token`` is not given."""


@command()
def serve(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML).", show_default=False)],
    seats: Annotated[Path, typer.Option(help="Seats file (YAML): who sits at the drill, in which role, over which organizations and teams.", show_default=False)],
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only; 0.0.0.0: the room's network).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port, printed at start).", min=0, max=65535)] = 8765,
    seed: Annotated[int | None, typer.Option(help="Random seed (default 0; with --resume, the journal's).", min=0, show_default=False)] = None,
    journal: Annotated[Path | None, typer.Option(help="Where to write the journal (default: <scenario>-seed<N>-<time>.journal.jsonl here).", show_default=False)] = None,
    resume: Annotated[Path | None, typer.Option(
        help="Continue the drill of this journal (after the server stopped or was killed): the same world, the seats reconnect.", show_default=False)] = None,
) -> None:
    """Serve a drill to several seats (organizations, teams, a facilitator) over WebSockets.

    One simulated world, one journal: every command from every seat is checked against the seat's
    role, applied, written to the journal with the seat that gave it (fsync-ed) and only then shown
    to the seats, each with its own fog of war. At start it prints each seat's join command
    (tokens are generated unless the seats file names an environment variable for them; they are
    never written to the journal). Binds to 127.0.0.1 unless --host says otherwise. Stop it with
    Ctrl+C; continue it with --resume JOURNAL.
    """
    import asyncio

    from ..drill import DrillSession, default_journal_path
    from ..model import DrillsimError, load_scenario
    from ..seats import load_seats, resolve_tokens
    from ..seats.server import LOCAL_HOSTS, DrillServer, run_server

    loaded = load_scenario(scenario)
    for diag in loaded.warnings:
        err_console.print(f"[yellow]{escape(diag.format())}[/]", soft_wrap=True)
    spec = load_seats(seats, loaded.scenario)
    tokens = resolve_tokens(spec)
    if resume is not None:
        if journal is not None and Path(journal) != Path(resume):
            raise DrillsimError("--resume continues the given journal: do not pass --journal as well")
        session = DrillSession.resume(resume, scenario, seed=seed, loaded=loaded, board=False)
        for warning in session.recorded.warnings if session.recorded else []:
            err_console.print(f"[yellow]{escape(warning)}[/]", soft_wrap=True)
    else:
        path = journal or default_journal_path(loaded.scenario.id, seed or 0)
        session = DrillSession.start(scenario, seed=seed or 0, journal_path=path, loaded=loaded, board=False)
    if host not in LOCAL_HOSTS:
        err_console.print(f"[bold yellow]warning:[/] listening on {escape(host)}, not only on this machine: anyone on the network who has a seat's token can join", soft_wrap=True)
    server = DrillServer(session, spec, tokens, log=lambda text: err_console.print(escape(text), soft_wrap=True, highlight=False))

    bound: list[str] = []

    def ready(url: str) -> None:
        bound.append(url.rsplit(":", 1)[1])
        console.print(f"drillsim serve: listening on {url}", soft_wrap=True, highlight=False)
        console.print(f"journal: {session.journal_path} ({len(session.history)} commands, at T+{session.now:g}h)", soft_wrap=True, highlight=False)
        console.print("join commands (one per seat):", highlight=False)
        for seat in spec.seats:
            token = f'"${seat.token_env}"' if seat.token_env else tokens[seat.id]
            console.print(f"  {seat.id:<14} {seat.role.value:<12} drillsim join {url} --seat {seat.id} --token {token}", soft_wrap=True, highlight=False)
        if host in ("0.0.0.0", "::", ""):
            console.print(f"(on the other laptops, write this machine's address on the room's network instead of {host})", soft_wrap=True, highlight=False)
        console.file.flush()

    try:
        asyncio.run(run_server(server, host, port, ready))
    except OSError as exc:
        raise DrillsimError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    port_again = f" --port {bound[0]}" if bound else ""
    again = f"drillsim serve {escape(str(scenario))} --seats {escape(str(seats))} --resume {escape(str(session.journal_path))}{port_again}"
    err_console.print(f"stopped; continue with: {again}", soft_wrap=True, highlight=False)


@command()
def join(
    url: Annotated[str, typer.Argument(help="The server's address, as drillsim serve printed it (ws://HOST:PORT).", show_default=False)],
    seat: Annotated[str, typer.Option(help="Your seat's id in the seats file.", show_default=False)],
    token: Annotated[str | None, typer.Option(
        help=f"Your seat's token (default: the {TOKEN_ENV} environment variable).", envvar=TOKEN_ENV, show_default=False, show_envvar=False)] = None,
    web: Annotated[bool, typer.Option("--web", help="Serve the seat app to a browser (textual-serve: pip install 'drillsim[web]'), e.g. for a room's projector.")] = False,
    web_host: Annotated[str, typer.Option(help="With --web: the address the page is served on (whoever opens it sits at the seat).")] = "127.0.0.1",
    web_port: Annotated[int, typer.Option(help="With --web: the page's port.", min=1, max=65535)] = 8000,
) -> None:
    """Join a served drill from your seat: the board of your systems, your feed, your commands and reports.

    Shows only what your seat may know (your organizations' and teams' systems, as your monitoring
    and reports reveal them; the facilitator sees the truth). Type commands on the command line
    (orders, act, decide; the facilitator also step, advance +1h, injects, end, undo); r opens the
    situation report form, p asks the facilitator for a pause. If the server goes away, the app
    reconnects with backoff and says so. With --web the app is served to a browser instead (one
    app per open page, each joining as this seat).
    """
    from ..model import DrillsimError

    if not token:
        raise DrillsimError(f"give your seat's token with --token or in the {TOKEN_ENV} environment variable (drillsim serve printed it)")
    if web:
        _serve_web(url, seat, token, web_host, web_port)
        return
    try:
        from ..seats.app import SeatApp
    except ImportError as exc:
        if "textual" in str(exc).lower():
            raise DrillsimError("the seat app needs Textual, which is not installed: pip install 'drillsim[tui]'") from None
        raise
    app_ = SeatApp(url, seat, token)
    app_.run()
    if app_.failure:
        raise DrillsimError(app_.failure)


def _serve_web(url: str, seat: str, token: str, host: str, port: int) -> None:
    """The seat app in a browser: textual-serve runs ``drillsim join`` for each page opened (the token goes by the environment)."""
    import os
    import shlex
    import sys

    from ..model import DrillsimError

    try:
        from textual_serve.server import Server
    except ImportError:
        raise DrillsimError("serving the seat app to a browser needs textual-serve, which is not installed: pip install 'drillsim[web]'") from None
    os.environ[TOKEN_ENV] = token  # the app each page starts inherits it; it is never on a command line or in the page
    command = f"{shlex.quote(sys.executable)} -m drillsim join {shlex.quote(url)} --seat {shlex.quote(seat)}"
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[bold yellow]warning:[/] the seat's page is served on {escape(host)}: whoever opens it sits at seat {escape(seat)}", soft_wrap=True)
    console.print(f"drillsim join: seat {seat} in a browser at http://{host}:{port}", soft_wrap=True, highlight=False)
    console.file.flush()
    Server(command, host=host, port=port, title=f"drillsim seat {seat}").serve()

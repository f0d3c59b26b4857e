"""The drill server: one drill session, its journal, and the seats connected to it over WebSockets.

``drillsim serve`` builds a :class:`DrillServer` and runs :func:`run_server`. Every command a seat
sends is checked against its role (:mod:`.access`), applied to the session, written to the
journal with the seat that gave it (``seat``; flushed and fsync-ed by the journal) and only then
answered and broadcast: each connected seat receives its own ``state`` (:mod:`.seatview`). A
seat that connects (or reconnects) receives the current state, never a replay. Refusals are
answered to the seat alone and journal nothing; a wrong token is logged without the token.

The server binds to 127.0.0.1 unless told otherwise (the command line warns when it is not).
Everything here runs on one asyncio loop, so commands are applied one at a time, in the order
they arrive. Nothing here imports Textual.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path
from typing import Any, Callable

from ..drill import DrillSession, OrderError
from ..engine import ActionError
from ..model import DrillsimError
from ..model.suggest import did_you_mean
from .access import AccessDenied, SeatAccess, authorize, check_token
from .protocol import CLOSE_REFUSED, MAX_MESSAGE, ProtocolError, decode, encode
from .reports import ReportBook, book_from_journal, reporting_score, score_markdown
from .seatview import SeatViews
from .spec import SeatsFile

__all__ = ["DrillServer", "run_server", "LOCAL_HOSTS"]

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Addresses that keep the server on this machine."""
HELLO_TIMEOUT = 10.0


class DrillServer:
    """One drill session served to the seats of a seats file."""

    def __init__(self, session: DrillSession, seats: SeatsFile, tokens: dict[str, str], log: Callable[[str], None] | None = None):
        self.session = session
        self.seats = {s.id: SeatAccess.build(s, session.sim) for s in seats.seats}
        self._tokens = tokens
        self.log = log or (lambda text: print(text, file=sys.stderr, flush=True))
        self.book = book_from_journal(session.recorded.entries) if session.recorded is not None else ReportBook()
        self.views = SeatViews(session, self.seats)
        self.connections: dict[Any, str] = {}
        """Open connections -> the seat each speaks for."""
        self.notices: list[str] = []
        """Requests from the seats (a pause), newest last: the facilitator's state shows the last ones."""

    # ------------------------------------------------------------------------------
    # Connections
    # ------------------------------------------------------------------------------
    async def handler(self, ws: Any) -> None:
        """One seat's connection: hello, then its messages until it closes."""
        seat_id = await self._hello(ws)
        if seat_id is None:
            return
        self.connections[ws] = seat_id
        self.log(f"seat {seat_id} joined ({self._peer(ws)})")
        try:
            await ws.send(encode({"type": "welcome", "seat": seat_id, "role": self.seats[seat_id].role.value, "scenario": self.session.scenario.label}))
            await self.broadcast()  # the newcomer gets its state; the others see who is connected
            async for raw in ws:
                reply, changed = self.handle(seat_id, raw)
                await ws.send(encode(reply))
                if changed:
                    await self.broadcast()
        except Exception as exc:  # a dropped connection ends here; the drill goes on
            from websockets.exceptions import ConnectionClosed

            if not isinstance(exc, ConnectionClosed):
                raise
        finally:
            self.connections.pop(ws, None)
            self.log(f"seat {seat_id} left")
            await self.broadcast()

    async def _hello(self, ws: Any) -> str | None:
        try:
            hello = decode(await asyncio.wait_for(ws.recv(), HELLO_TIMEOUT))
        except (ProtocolError, TimeoutError, Exception) as exc:
            await self._refuse(ws, f"the first message must be a hello with your seat and token ({type(exc).__name__})")
            return None
        seat_id = hello.get("seat")
        if hello["type"] != "hello" or not isinstance(seat_id, str):
            await self._refuse(ws, "the first message must be {type: hello, seat, token}")
            return None
        if seat_id not in self.seats:
            self.log(f"refused an unknown seat {seat_id[:60]!r} ({self._peer(ws)})")
            await self._refuse(ws, f"there is no seat {seat_id[:60]!r} in this drill{did_you_mean(seat_id, self.seats)}")
            return None
        if not check_token(hello.get("token"), self._tokens[seat_id]):
            self.log(f"refused seat {seat_id} ({self._peer(ws)}): wrong token")
            await self._refuse(ws, f"wrong token for seat {seat_id!r}: use the token printed by drillsim serve (or set in its token_env variable)")
            return None
        return seat_id

    @staticmethod
    def _peer(ws: Any) -> str:
        address = getattr(ws, "remote_address", None)
        return str(address[0]) if address else "?"

    async def _refuse(self, ws: Any, message: str) -> None:
        try:
            await ws.send(encode({"type": "refused", "error": message}))
            await ws.close(CLOSE_REFUSED, "refused")
        except Exception:  # the other side is gone already
            pass

    async def broadcast(self) -> None:
        """Send every connected seat its state now (the journal line is on disk already)."""
        self.views.catch_up()
        shared = self.views.shared()
        sends = []
        for ws, seat_id in list(self.connections.items()):
            sends.append(self._send_quietly(ws, encode(self.state_for(seat_id, shared))))
        await asyncio.gather(*sends)

    @staticmethod
    async def _send_quietly(ws: Any, text: str) -> None:
        try:
            await ws.send(text)
        except Exception:  # a seat that dropped gets the state when it returns
            pass

    def state_for(self, seat_id: str, shared: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``state`` message of one seat now (``shared``: computed for this moment by the caller, who caught up)."""
        if shared is None:
            self.views.catch_up()
        state = self.views.state(seat_id, self.book.table(self.seats[seat_id], self.seats), shared)
        state["connected"] = sorted(set(self.connections.values()))
        if self.seats[seat_id].truth:
            state["notices"] = self.notices[-10:]
        return state

    # ------------------------------------------------------------------------------
    # Messages
    # ------------------------------------------------------------------------------
    def handle(self, seat_id: str, raw: str | bytes) -> tuple[dict[str, Any], bool]:
        """(the reply to one message of a seat, whether the world or the reports changed)."""
        try:
            message = decode(raw)
        except ProtocolError as exc:
            return {"type": "result", "id": None, "ok": False, "error": str(exc)}, False
        mid = message.get("id")
        access = self.seats[seat_id]
        try:
            kind = message["type"]
            if kind == "command":
                return self._command(access, mid, message), True
            if kind == "report":
                return self._report(access, mid, message), True
            if kind == "read":
                return {"type": "result", "id": mid, "ok": True, "data": self._read(access, message)}, False
            if kind == "pause":
                return self._pause(access, mid, message), True
            raise ProtocolError(f"a seat does not send {kind!r} after its hello")
        except (AccessDenied, OrderError, ActionError, DrillsimError) as exc:
            if isinstance(exc, AccessDenied):
                self.log(f"refused {seat_id}: {message.get('type')} {str(message.get('line') or message.get('what') or '')[:80]!r}")
            return {"type": "result", "id": mid, "ok": False, "error": str(exc)}, False

    def _command(self, access: SeatAccess, mid: Any, message: dict[str, Any]) -> dict[str, Any]:
        line = message.get("line")
        if not isinstance(line, str) or len(line) > 2000:
            raise ProtocolError("a command carries its 'line' as text (at most 2000 characters)")
        kind, data = authorize(access, line, self.session)
        before = len(self.session.history)
        events = self.session.command(kind, **data, seat=access.id)
        n = self.session.history[-1].n if len(self.session.history) > before else None
        if kind == "end":
            self._write_score()
        return {"type": "result", "id": mid, "ok": True, "n": n, "events": len(events), "now": self.session.now}

    def _report(self, access: SeatAccess, mid: Any, message: dict[str, Any]) -> dict[str, Any]:
        report = self.book.prepare(access, message, self.session)
        n = None
        if self.session.journal is not None:
            n = self.session.journal.append("report", report.t, seat=access.id, **report.to_data()).n
        self.book.add(report)
        counts = report.counts()
        return {"type": "result", "id": mid, "ok": True, "n": n, "counts": counts}

    def _read(self, access: SeatAccess, message: dict[str, Any]) -> Any:
        what = message.get("what")
        if what == "truth":
            access.may_read("truth")
            return self.views.state(access.id, [], None)
        if what == "system":
            i = access.check_system(str(message.get("system")), self.session.sim)
            view = self.session.sim.system_view(i, truth=access.truth)
            return {"id": view.id, "label": view.label, "grade": view.grade, "status": view.status.value, "detected": view.detected,
                    "rto_hours": view.rto_hours, "down_since": view.down_since, "site": view.site, "task": view.task}
        if what == "actions":
            return [[o.id, o.label, o.team, o.staff, o.hours, o.status.value, o.reason] for o in self.session.actions() if access.may_take(o, self.session.sim)]
        if what == "score":
            access.may_read("truth")
            return reporting_score(self.book, self.session, self.seats)
        if what == "state":
            return self.state_for(access.id)
        raise ProtocolError(f"read what? {str(what)[:40]!r}: state, system, actions, truth or score")

    def _pause(self, access: SeatAccess, mid: Any, message: dict[str, Any]) -> dict[str, Any]:
        note = str(message.get("note") or "")[:200]
        text = f"{access.spec.label} asks for a pause" + (f": {note}" if note else "")
        self.log(text)
        self.notices.append(text)
        return {"type": "result", "id": mid, "ok": True}

    def _write_score(self) -> Path | None:
        path = self.session.journal_path
        if path is None:
            return None
        target = path.with_name(path.name.removesuffix(".jsonl").removesuffix(".journal") + ".reporting.md")
        target.write_text(score_markdown(reporting_score(self.book, self.session, self.seats)), encoding="utf-8")
        self.log(f"reporting score written to {target}")
        return target


async def run_server(server: DrillServer, host: str, port: int, ready: Callable[[str], None], stop: asyncio.Event | None = None) -> None:
    """Serve until ``stop`` is set (or SIGINT/SIGTERM); ``ready`` gets the URL once the socket listens."""
    from websockets.asyncio.server import serve

    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or not POSIX
            pass
    async with serve(server.handler, host, port, max_size=MAX_MESSAGE, compression=None, ping_interval=20, ping_timeout=20) as ws_server:
        bound = ws_server.sockets[0].getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        ready(f"ws://{shown}:{bound}")
        await stop.wait()
    server.session.close()

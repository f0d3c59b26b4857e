"""The seat's side: connect to a drill server, keep its latest state, send commands and reports.

:class:`SeatClient` runs on the caller's asyncio loop (a script, the tests, the Textual seat
app). It connects with retries and a bounded exponential backoff, and when the connection drops
(the server restarts with ``--resume``) it reconnects the same way, saying so through
``on_status``; the server then sends the current state. A refused seat (unknown seat, wrong
token) is not retried: :class:`SeatRefused` carries the server's message.

    client = SeatClient("ws://127.0.0.1:8765", "sejong", token)
    await client.connect()
    result = await client.command("work sejong-it on org:sejong-city")
    await client.wait_for(lambda state: state["now"] >= 2)
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any

from ..model import DrillsimError
from .protocol import CLOSE_REFUSED, MAX_MESSAGE, decode, encode

__all__ = ["SeatClient", "SeatRefused", "SeatError", "Disconnected"]


class SeatRefused(DrillsimError):
    """The server refused the seat (unknown seat, wrong token): retrying would not help."""


class SeatError(DrillsimError):
    """A command, report or read the server refused or could not carry out (the message says why)."""


class Disconnected(DrillsimError):
    """The connection was lost (and, if reconnecting was allowed, could not be restored in time)."""


class SeatClient:
    """One seat's connection to a drill server (see the module docstring)."""

    def __init__(self, url: str, seat: str, token: str, *, attempts: int = 30, first_delay: float = 0.1, max_delay: float = 2.0,
                 reconnect: bool = True, on_state: Callable[[dict[str, Any]], None] | None = None,
                 on_status: Callable[[str], None] | None = None):
        self.url = url
        self.seat = seat
        self._token = token
        self.attempts = attempts
        """Connection attempts before giving up (each reconnection starts counting again)."""
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.reconnect = reconnect
        self.on_state = on_state
        self.on_status = on_status
        self.state: dict[str, Any] | None = None
        """The latest state the server sent."""
        self.role: str | None = None
        self.status = "not connected"
        self.reconnections = 0
        """How many times the connection was restored after a drop."""
        self._ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._closing = False

    def _say(self, status: str) -> None:
        self.status = status
        if self.on_status is not None:
            self.on_status(status)

    async def connect(self) -> None:
        """Connect (retrying with backoff up to :attr:`attempts` times) and receive the welcome and the state."""
        from websockets.asyncio.client import connect
        from websockets.exceptions import InvalidHandshake, InvalidURI, WebSocketException

        delay = self.first_delay
        last: Exception | None = None
        for attempt in range(1, self.attempts + 1):
            try:
                ws = await connect(self.url, proxy=None, compression=None, open_timeout=5, max_size=16 * MAX_MESSAGE, ping_interval=20)
            except InvalidURI as exc:
                raise DrillsimError(f"{self.url!r} is not a drill server address (ws://HOST:PORT): {exc}") from None
            except (OSError, TimeoutError, InvalidHandshake, WebSocketException) as exc:
                last = exc
                self._say(f"server not reachable ({type(exc).__name__}); retrying in {delay:.1f}s (attempt {attempt} of {self.attempts})")
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_delay)
                continue
            try:
                await ws.send(encode({"type": "hello", "seat": self.seat, "token": self._token}))
                welcome = decode(await asyncio.wait_for(ws.recv(), 10), None)
                if welcome["type"] == "refused":
                    await ws.close()
                    raise SeatRefused(f"the server refused seat {self.seat!r}: {welcome.get('error')}")
                self.role = welcome.get("role")
                state = decode(await asyncio.wait_for(ws.recv(), 30), None)
            except SeatRefused:
                raise
            except Exception as exc:  # dropped during the hello: try again
                last = exc
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_delay)
                continue
            self._ws = ws
            self._take(state)
            self._reader = asyncio.create_task(self._read(ws))
            self._say(f"connected to {self.url} as {self.seat} ({self.role})")
            return
        self._say(f"gave up connecting to {self.url} after {self.attempts} attempts")
        raise Disconnected(f"cannot reach the drill server at {self.url} after {self.attempts} attempts: {last}")

    async def _read(self, ws: Any) -> None:
        try:
            async for raw in ws:
                self._take(decode(raw, None))
        except Exception:  # the connection dropped
            pass
        if self._ws is not ws or self._closing:
            return
        code = getattr(ws, "close_code", None)
        self._ws = None
        for future in self._pending.values():
            if not future.done():
                future.set_exception(Disconnected("the connection to the drill server was lost before it answered"))
        self._pending.clear()
        if code == CLOSE_REFUSED or not self.reconnect:
            self._say("disconnected")
            return
        self._say("connection lost; reconnecting")
        try:
            await self.connect()
            self.reconnections += 1
        except DrillsimError as exc:
            self._say(str(exc))

    def _take(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "state":
            self.state = message
            self._changed.set()
            if self.on_state is not None:
                self.on_state(message)
        elif kind == "result":
            mid = message.get("id")
            future = self._pending.pop(mid, None) if isinstance(mid, int) else None
            if future is not None and not future.done():
                future.set_result(message)

    @property
    def connected(self) -> bool:
        """Whether a connection is open now."""
        return self._ws is not None

    async def request(self, message: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
        """Send a message and wait for its result (SeatError if refused, Disconnected if the link drops)."""
        if self._ws is None:
            raise Disconnected("not connected to the drill server (reconnecting)")
        mid = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[mid] = future
        try:
            await self._ws.send(encode({**message, "id": mid}))
        except Exception as exc:
            self._pending.pop(mid, None)
            raise Disconnected(f"the connection to the drill server was lost: {type(exc).__name__}") from None
        result = await asyncio.wait_for(future, timeout)
        if not result.get("ok"):
            raise SeatError(str(result.get("error")))
        return result

    async def command(self, line: str, timeout: float = 30.0) -> dict[str, Any]:
        """Give a one-line command (an order, an action, a decision; the facilitator's clock and injects)."""
        return await self.request({"type": "command", "line": line}, timeout)

    async def report(self, systems: dict[str, Any], org: str | None = None, default: str | None = None) -> dict[str, Any]:
        """File a situation report: system id -> status (or {status, note, fallback}); ``default`` for the others."""
        return await self.request({"type": "report", "org": org, "systems": systems, "default": default})

    async def read(self, what: str, **fields: Any) -> Any:
        """Ask the server for ``state``, ``system`` (with ``system=ID``), ``truth`` or ``score``."""
        return (await self.request({"type": "read", "what": what, **fields}))["data"]

    async def pause(self, note: str = "") -> None:
        """Ask the facilitator for a pause."""
        await self.request({"type": "pause", "note": note})

    async def wait_for(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 30.0) -> dict[str, Any]:
        """Wait until the latest state satisfies ``predicate`` (TimeoutError after ``timeout`` seconds)."""
        async def wait() -> dict[str, Any]:
            while self.state is None or not predicate(self.state):
                self._changed.clear()
                await self._changed.wait()
            return self.state

        return await asyncio.wait_for(wait(), timeout)

    async def close(self) -> None:
        """Close the connection (no reconnecting)."""
        self._closing = True
        ws, self._ws = self._ws, None
        if ws is not None:
            await ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

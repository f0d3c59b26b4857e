"""A browser seat: ``drillsim join --web`` serves the seat app through textual-serve on 127.0.0.1.

The page is served without the token; a browser's WebSocket (here a websockets client speaking
for it) starts the seat app, which joins the drill server as its seat: the facilitator sees it
connected.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import urllib.request

import pytest

pytest.importorskip("textual_serve")

from seats_helpers import TOKENS, Server  # noqa: E402

from drillsim.seats.client import SeatClient  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_seat_app_served_to_a_browser_joins_the_drill_as_its_seat(tmp_path):
    server = Server(tmp_path / "drill.journal.jsonl")
    port = free_port()
    web = subprocess.Popen([sys.executable, "-m", "drillsim", "join", server.url, "--seat", "south", "--web", "--web-port", str(port)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "DRILLSIM_TOKEN": TOKENS["south"]})

    async def play() -> tuple[str, list[str]]:
        from websockets.asyncio.client import connect

        page = ""
        for _ in range(200):  # until textual-serve answers (bounded: 200 x 0.05 s)
            try:
                page = await asyncio.to_thread(lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode())
                break
            except OSError:
                await asyncio.sleep(0.05)
        control = SeatClient(server.url, "control", TOKENS["control"])
        await control.connect()
        try:
            async with connect(f"ws://127.0.0.1:{port}/ws?width=120&height=40", proxy=None, max_queue=None) as browser:
                screen: list[bytes] = []

                async def draw() -> None:  # a browser reads the app's screen as it comes (else the app blocks)
                    async for frame in browser:
                        screen.append(frame if isinstance(frame, bytes) else frame.encode())

                drawing = asyncio.create_task(draw())
                await browser.send('["resize", {"width": 120, "height": 40}]')
                state = await control.wait_for(lambda s: "south" in s["connected"], timeout=60)
                drawing.cancel()
                return page, state["connected"], b"".join(screen)
        finally:
            await control.close()

    try:
        page, connected, screen = asyncio.run(asyncio.wait_for(play(), 90))
    finally:
        web.terminate()
        web.wait(timeout=30)
        server.stop()
    assert "drillsim seat south" in page and f"ws://127.0.0.1:{port}/ws" in page
    assert TOKENS["south"] not in page
    assert "south" in connected
    assert b"system" in screen and b"organization" in screen  # the seat app's board, as the browser received it

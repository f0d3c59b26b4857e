"""A real drill server in a subprocess on a free 127.0.0.1 port, and the seats' tokens, for the seats tests."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "seats_fixtures"
SCENARIO = FIXTURES / "two-cities.yaml"
SEATS = FIXTURES / "two-cities-seats.yaml"
SEAT_IDS = ("control", "central", "north", "south", "press")
TOKENS = {seat: f"tok-{seat}-{'x' * 12}" for seat in SEAT_IDS}
"""The test tokens, set in the environment variables the seats file names."""
ENV = {f"T_{seat.upper()}": token for seat, token in TOKENS.items()}


class Server:
    """``drillsim serve`` running in a subprocess; its address once it listens."""

    def __init__(self, journal: Path, resume: bool = False, port: int = 0, scenario: Path = SCENARIO, seats: Path = SEATS, seed: int = 3):
        args = [sys.executable, "-m", "drillsim", "serve", str(scenario), "--seats", str(seats), "--port", str(port)]
        args += ["--resume", str(journal)] if resume else ["--journal", str(journal), "--seed", str(seed)]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **ENV}, text=True)
        self.out: list[str] = []
        self.url = self._wait_listening(timeout=60)
        self.port = int(self.url.rsplit(":", 1)[1])

    def _wait_listening(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                break
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError(f"the server exited ({self.proc.wait()}): {self.proc.stderr.read()}")
            self.out.append(line)
            if line.startswith("drillsim serve: listening on "):
                # the join commands follow; read them too (bounded: one per seat and two headers)
                for _ in range(len(SEAT_IDS) + 2):
                    self.out.append(self.proc.stdout.readline())
                return line.removeprefix("drillsim serve: listening on ").strip()
        raise AssertionError(f"the server did not start listening within {timeout}s: {self.out}")

    def kill(self) -> None:
        """SIGKILL, as a crash."""
        self.proc.kill()
        self.proc.wait(timeout=30)

    def stop(self) -> str:
        """Ctrl+C-like stop (SIGTERM); the server's log (stderr)."""
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            _out, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _out, err = self.proc.communicate(timeout=30)
        return err

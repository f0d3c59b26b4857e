"""Drill app benchmark: key press to redrawn board, on the national-scale model (17,090 systems).

Builds the synthetic national ecosystem (``drillsim.model.generator``) with a fire destroying one
server room (``--fire-room`` systems placed in it), opens the drill app headless through Textual's
Pilot, and times each key press from the press until the board is redrawn: the command (engine
and journal fsync), the board model's update, the widgets' refresh and Textual's compositor
render (``pilot.pause()`` returns after the screen has been composed). Then the same on the small
example scenario. Prints the numbers; nothing is asserted (no timed tests).

    python benchmarks/bench_tui.py [--systems 17090] [--fire-room 650] [--steps 30] [--skip-small]

The first step processes the fire itself (thousands of failures, detections and alerts at once)
and is reported apart from the steps that follow.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from drillsim.drill import DrillSession
from drillsim.model import load_scenario, scenario_from_data
from drillsim.model.generator import generate_ecosystem
from drillsim.tui import make_app

ROOT = Path(__file__).resolve().parents[1]


class Timers:
    """Wall time spent in the session's commands, the board model's updates and the board's refreshes."""

    def __init__(self) -> None:
        self.parts: dict[str, float] = {"command": 0.0, "journal fsync": 0.0, "board model": 0.0, "widgets": 0.0}

    def wrap(self, obj, name: str, part: str) -> None:
        real = getattr(obj, name)

        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                self.parts[part] += time.perf_counter() - t

        setattr(obj, name, timed)

    def take(self) -> dict[str, float]:
        out = dict(self.parts)
        for k in self.parts:
            self.parts[k] = 0.0
        return out


async def measure(app, keys: list[str], label: str, size: tuple[int, int]) -> list[float]:
    """Press each key in turn; return key-to-redrawn-board times (ms) and print a summary.

    The time runs from just before the key is posted to the end of the first compositor pass
    (Textual's render of the screen's changed regions) after the board's refresh. Pilot's own
    waiting for idleness (it polls) comes after that and is not counted.
    """
    session: DrillSession = app.session
    timers = Timers()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        board = app.board_screen
        composed: list[float] = []
        real_refresh = board._compositor_refresh  # private Textual API: the screen's render pass

        def compositor_refresh() -> None:
            real_refresh()
            composed.append((time.perf_counter(), time.thread_time()))

        board._compositor_refresh = compositor_refresh
        timers.wrap(session, "_apply", "command")
        if session.journal is not None:
            timers.wrap(session.journal, "append", "journal fsync")
        timers.wrap(session.board, "update", "board model")
        timers.wrap(board, "refresh_board", "widgets")
        totals: list[float] = []
        cpus: list[float] = []
        parts: list[dict[str, float]] = []
        for key in keys:
            before = (len(session.history), board.refreshes)
            composed.clear()
            t0, c0 = time.perf_counter(), time.thread_time()
            await pilot.press(key)
            await pilot.pause()
            if board.refreshes == before[1]:
                break  # nothing to redraw: the drill reached its end
            done = next(((t, c) for t, c in composed if t >= board.last_refresh), None)
            if done is None:
                await pilot.pause(0.05)
                done = next(((t, c) for t, c in composed if t >= board.last_refresh), (board.last_refresh, time.thread_time()))
            totals.append((done[0] - t0) * 1000)
            cpus.append((done[1] - c0) * 1000)
            parts.append(timers.take())
        touched = len(session.sim.touched())
        print(f"\n{label}: {len(session.scenario.systems):,} systems, {touched:,} touched, drill at T+{session.now:g}h")
        for name, values, cpu, ps in (("first key", totals[:1], cpus[:1], parts[:1]), ("later keys", totals[1:], cpus[1:], parts[1:])):
            if not values:
                continue
            breakdown = ", ".join(f"{k} {statistics.median(p.get(k, 0.0) for p in ps) * 1000:.1f}" for k in ("command", "journal fsync", "board model", "widgets"))
            print(
                f"  {name:<10} n={len(values):>3}  key to redrawn board: wall median {statistics.median(values):6.1f} ms "
                f"(max {max(values):6.1f}), CPU median {statistics.median(cpu):6.1f} ms (max {max(cpu):6.1f})\n"
                f"{'':15}median parts, wall ms: {breakdown}; the rest is Textual's event handling and render"
            )
    return totals


def national(args: argparse.Namespace, tmp: Path) -> None:
    t = time.perf_counter()
    document = generate_ecosystem(args.systems, seed=1, fire_room_systems=args.fire_room, fire_inject=True)
    loaded = scenario_from_data(document)
    print(f"national model: generated and loaded in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    app = make_app(tmp / "national.yaml", seed=1, journal=tmp / "national.journal.jsonl", loaded=loaded, briefing=False)
    print(f"app and session built in {time.perf_counter() - t:.1f} s")
    # The fire and its first alerts; then the team orders every recovery it can, so that the
    # steps that follow have work finishing, systems coming back and queues moving.
    keys = ["space", "space", "space"]

    async def run() -> None:
        await measure(app, keys, "national: the fire and the first alerts (steps 1-3)", (160, 50))

    asyncio.run(run())  # the app closes its journal on exit: continue it headless
    session = DrillSession.resume(tmp / "national.journal.jsonl", tmp / "national.yaml", loaded=loaded)
    ready, subjects = [], set()
    for a in session.sim.actions():  # possible ones first; one per system (the first runbook step)
        if a.status in ("ready", "wait") and a.kind in ("recover", "fallback", "repair") and (a.kind, a.subject) not in subjects:
            subjects.add((a.kind, a.subject))
            ready.append(a)
    ready = ready[: args.actions]
    t = time.perf_counter()
    for option in ready:
        session.act(option.id)
    print(f"  {len(ready)} actions ordered (restores, failovers, fallbacks, repairs) in {time.perf_counter() - t:.2f} s, each journalled")
    session.close()
    t = time.perf_counter()
    app2 = make_app(tmp / "national.yaml", resume=tmp / "national.journal.jsonl", loaded=loaded, briefing=False)
    print(f"  resumed from the journal ({len(app2.session.history)} commands replayed) in {time.perf_counter() - t:.1f} s")
    keys = ["v", "t", "t", "v"] + ["space"] * args.steps + ["f"] * 5 + ["h"] * 5

    async def run2() -> None:
        await measure(app2, keys, "national: view switches, then steps, +15 min and +1 h after the fire", (160, 50))

    asyncio.run(run2())


def small(args: argparse.Namespace, tmp: Path) -> None:
    path = ROOT / "scenarios" / "example-room-fire.yaml"
    app = make_app(path, seed=1, journal=tmp / "small.journal.jsonl", loaded=load_scenario(path), briefing=False)
    keys = ["space"] * 8 + ["f"] * 4 + ["h"] * 4 + ["v", "t"]

    async def run() -> None:
        await measure(app, keys, "example-room-fire", (120, 40))

    asyncio.run(run())


def load_note() -> None:
    """Say how busy the machine is: wall times on a loaded machine overstate the latency."""
    try:
        import os

        one, _, _ = os.getloadavg()
        print(f"load average {one:.1f} on {os.cpu_count()} CPUs (CPU time is the better guide when the load exceeds the CPUs)")
    except OSError:  # pragma: no cover
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--systems", type=int, default=17090)
    parser.add_argument("--fire-room", type=int, default=650, help="systems placed in the burning room")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--actions", type=int, default=150, help="actions ordered after the fire")
    parser.add_argument("--skip-small", action="store_true")
    args = parser.parse_args()
    load_note()
    with tempfile.TemporaryDirectory() as tmp:
        national(args, Path(tmp))
        if not args.skip_small:
            small(args, Path(tmp))


if __name__ == "__main__":
    main()

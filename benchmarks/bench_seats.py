"""Networked drill benchmark: command round trip with 1 facilitator and 20 organization seats on the national model.

Generates the synthetic national ecosystem (17,090 systems, a fire destroying one server room of
650 systems at the start), writes a seats file (the facilitator and the first 20 organizations,
each with its IT team), starts ``drillsim serve`` in a subprocess on 127.0.0.1 and connects the
21 seats with :class:`~drillsim.seats.client.SeatClient` in this process. The facilitator moves
the clock through the fire and its first alerts; then the seats take turns giving an order
(``hold org:X`` / ``release org:X``), and the facilitator advances the clock by 10 minutes now
and then. A round trip is timed from the send until every one of the 21 seats has received the
state that follows the command (the server journals it, fsync-ed, before it answers). Prints
median and p95, the server's CPU time per command and the size of the states; nothing is
asserted.

    python benchmarks/bench_seats.py [--systems 17090] [--seats 20] [--rounds 100] [--trials 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from drillsim.seats.client import SeatClient

ROOT = Path(__file__).resolve().parents[1]


def server_cpu(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def prepare(tmp: Path, systems: int, seats: int) -> tuple[Path, Path, dict[str, str], list[str]]:
    import yaml

    from drillsim.model.generator import generate_ecosystem

    model = tmp / "national.yaml"
    subprocess.run([sys.executable, "-m", "drillsim", "generate", "-n", str(systems), "--seed", "1", "--fire-room-systems", "650", "--fire-inject", "-o", str(model)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    document = generate_ecosystem(systems, seed=1, fire_room_systems=650, fire_inject=True)  # the same document, for its ids
    teams = {t["id"] for t in document["teams"]}
    orgs = [o["id"] for o in document["organizations"] if o.get("owns")][:seats]
    entries = [{"id": "control", "role": "facilitator", "token_env": "T_CONTROL"}]
    for org in orgs:
        entry = {"id": org, "role": "team", "organizations": [org], "token_env": f"T_{org.upper().replace('-', '_')}"}
        if f"{org}-it" in teams:
            entry["teams"] = [f"{org}-it"]
        entries.append(entry)
    seats_file = tmp / "seats.yaml"
    seats_file.write_text(yaml.safe_dump({"seats": entries}, sort_keys=False), encoding="utf-8")
    tokens = {e["id"]: f"bench-token-{e['id']}-0000" for e in entries}
    env = {e["token_env"]: tokens[e["id"]] for e in entries}
    os.environ.update(env)
    return model, seats_file, tokens, orgs


def start(model: Path, seats_file: Path, journal: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "drillsim", "serve", str(model), "--seats", str(seats_file), "--port", "0", "--journal", str(journal)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("the server exited before listening")
        if line.startswith("drillsim serve: listening on "):
            return proc, line.split()[-1]
    raise SystemExit("the server did not start")


async def trial(url: str, tokens: dict[str, str], orgs: list[str], rounds: int, pid: int) -> dict[str, list[float]]:
    clients = {seat: SeatClient(url, seat, token) for seat, token in tokens.items()}
    await asyncio.gather(*(c.connect() for c in clients.values()))
    control = clients["control"]
    out: dict[str, list[float]] = {"order": [], "advance": [], "order cpu": [], "advance cpu": [], "state bytes": []}

    async def timed(seat: str, line: str, kind: str) -> None:
        cpu = server_cpu(pid)
        t = time.perf_counter()
        result = await clients[seat].command(line, timeout=120)
        n = result["n"]
        await asyncio.gather(*(c.wait_for(lambda s: s["n"] >= n, timeout=120) for c in clients.values()))
        out[kind].append(time.perf_counter() - t)
        out[f"{kind} cpu"].append(server_cpu(pid) - cpu)

    t = time.perf_counter()
    for _ in range(3):  # the fire, its detections and alerts
        await control.command("advance +20m", timeout=300)
    print(f"  the fire and the first alerts (3 facilitator advances): {time.perf_counter() - t:.2f} s")
    held: set[str] = set()
    for k in range(rounds):
        if k % 10 == 9:
            await timed("control", "advance +10m", "advance")
            continue
        org = orgs[k % len(orgs)]
        line = f"release org:{org}" if org in held else f"hold org:{org}"
        held.symmetric_difference_update({org})
        await timed(org, line, "order")
    import json

    out["state bytes"] = [len(json.dumps(c.state)) for c in clients.values()]
    for c in clients.values():
        await c.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=17090)
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--trials", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        t = time.perf_counter()
        model, seats_file, tokens, orgs = prepare(tmp, args.systems, args.seats)
        print(f"model of {args.systems:,} systems and {len(orgs)} organization seats written in {time.perf_counter() - t:.1f} s")
        best: dict[str, list[float]] | None = None
        for k in range(args.trials):
            t = time.perf_counter()
            proc, url = start(model, seats_file, tmp / f"trial{k}.journal.jsonl")
            print(f"trial {k + 1}: server listening after {time.perf_counter() - t:.1f} s")
            try:
                got = asyncio.run(trial(url, tokens, orgs, args.rounds, proc.pid))
            finally:
                proc.terminate()
                proc.wait(timeout=60)
            for kind in ("order", "advance"):
                times = sorted(got[kind])
                p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
                print(f"  {kind:>7}: {len(times)} commands, round trip to all {len(tokens)} seats median {statistics.median(times) * 1000:.0f} ms, "
                      f"p95 {p95 * 1000:.0f} ms; server CPU per command median {statistics.median(got[kind + ' cpu']) * 1000:.0f} ms")
            sizes = got["state bytes"]
            print(f"  state sizes: facilitator {sizes[0] / 1000:.0f} kB, seats median {statistics.median(sizes[1:]) / 1000:.1f} kB")
            if best is None or statistics.median(got["order"]) < statistics.median(best["order"]):
                best = got
        assert best is not None
        print(f"best trial: order round trip median {statistics.median(best['order']) * 1000:.0f} ms, "
              f"advance median {statistics.median(best['advance']) * 1000:.0f} ms (target: 100 ms median on 2 cores)")


if __name__ == "__main__":
    main()

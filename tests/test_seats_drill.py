"""A networked drill end to end: a real server subprocess on 127.0.0.1, real seat clients.

Two city seats, the central operations, an observer and the facilitator play a short scripted
drill; each seat receives only its own systems; every access the roles forbid is tried and
refused (and journals nothing); the server is SIGKILLed mid-drill, resumed from its journal, the
seats reconnect by themselves, and the drill ends in the same world as an uninterrupted run.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from seats_helpers import TOKENS, Server

from drillsim.seats.client import SeatClient, SeatError, SeatRefused
from drillsim.seats.reports import TRUTH_AS_REPORTED

pytest.importorskip("websockets")

NORTH = {"login", "north-web", "north-tax", "north-mail"}
SOUTH = {"login", "south-web", "south-permits"}
NORTH_REPORT = {"north-web": "unreachable", "north-tax": {"status": "unreachable", "note": "tax counters closed", "fallback": "paper forms"}}

# (seat, what, payload): the drill every run plays; a report is ("report", {systems}).
SCRIPT = [
    ("control", "command", "advance +90m"),
    ("north", "command", "work north-it on org:north-city"),
    ("south", "command", "act recover/south-permits/restart"),
    ("central", "command", "work central-ops on team:central-ops"),
    ("north", "report", NORTH_REPORT),
    ("control", "command", "advance +1h"),      # stops at 2h, where north's decision opens
    ("north", "command", "decide north-aid call"),
    ("control", "command", "advance +2h"),
    ("south", "report", {"south-web": "unreachable"}),
    ("control", "command", "advance +3h"),
    ("control", "command", "end"),
]
KILL_AFTER = 5  # the resumed run is killed after the first five steps (the north report included)


async def connect_all(url: str, seats=("control", "central", "north", "south", "press")) -> dict[str, SeatClient]:
    clients = {seat: SeatClient(url, seat, TOKENS[seat], first_delay=0.05, max_delay=0.5, attempts=80) for seat in seats}
    await asyncio.gather(*(c.connect() for c in clients.values()))
    return clients


async def play(clients: dict[str, SeatClient], steps) -> None:
    for seat, what, payload in steps:
        client = clients[seat]
        if what == "command":
            await client.command(payload)
        else:
            await client.report(payload, default="normal")


async def final_world(control: SeatClient) -> dict:
    truth = await control.read("truth")
    state = await control.read("state")
    keep = ("now", "counts", "systems", "teams", "decisions", "orders", "feed", "ended", "total")
    return {**{k: truth[k] for k in keep}, "reports": state["reports"]}


def journal_commands(path) -> list[dict]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[1:]]
    return [{k: v for k, v in line.items() if k not in ("at", "h", "n")} for line in lines if line["type"] != "resume"]


def test_each_seat_sees_only_its_systems_and_every_forbidden_access_is_refused(tmp_path):
    journal = tmp_path / "drill.journal.jsonl"
    server = Server(journal)

    async def scenario() -> dict:
        c = await connect_all(server.url)
        seen: dict = {}
        try:
            await play(c, SCRIPT[:1])
            await c["north"].wait_for(lambda s: s["now"] >= 1.5 and s["systems"], timeout=20)
            await c["south"].wait_for(lambda s: s["now"] >= 1.5 and s["systems"], timeout=20)
            seen = {seat: client.state for seat, client in c.items()}
            refusals = {
                "north reads the truth": c["north"].read("truth"),
                "north reads a south system": c["north"].read("system", system="south-web"),
                "north orders south's team": c["north"].command("work south-it on org:south-city"),
                "north works on south's systems": c["north"].command("work north-it on org:south-city"),
                "north holds every system": c["north"].command("hold all"),
                "south acts for north's team": c["south"].command("act recover/north-web/restart"),
                "south misspells north's system": c["south"].command("act recover/north-wb/restart"),
                "press (observer) orders": c["press"].command("work south-it on org:south-city"),
                "press (observer) reports": c["press"].report({"south-web": "normal"}),
                "north moves the clock": c["north"].command("advance +1h"),
                "north steps": c["north"].command("step"),
                "north injects": c["north"].command("fail room for 1h"),
                "north ends the drill": c["north"].command("end"),
                "north undoes": c["north"].command("undo"),
                "central answers north's decision": c["central"].command("decide north-aid call"),
                "north reports a south system": c["north"].report({"south-web": "normal"}),
                "central reads the score": c["central"].read("score"),
            }
            errors = {}
            for what, request in refusals.items():
                with pytest.raises(SeatError) as caught:
                    await request
                errors[what] = str(caught.value)
            seen["errors"] = errors
            # a system of its own is readable, in its own view; the actions offered are its own
            seen["north-web"] = await c["north"].read("system", system="north-web")
            seen["north actions"] = await c["north"].read("actions")
            seen["all actions"] = await c["control"].read("actions")
            await play(c, SCRIPT[1:5])
            await c["central"].wait_for(lambda s: any(r["counts"] for r in s["reports"]), timeout=20)
            seen["central reports"] = c["central"].state["reports"]
            seen["truth at the report"] = await c["control"].read("truth")
            seen["score"] = await c["control"].read("score")
            with pytest.raises(SeatRefused) as wrong:
                await SeatClient(server.url, "north", "not-the-token-" + "y" * 10, attempts=1).connect()
            seen["wrong token"] = str(wrong.value)
            with pytest.raises(SeatRefused) as unknown:
                await SeatClient(server.url, "nort", TOKENS["north"], attempts=1).connect()
            seen["unknown seat"] = str(unknown.value)
        finally:
            for client in c.values():
                await client.close()
        return seen

    try:
        seen = asyncio.run(asyncio.wait_for(scenario(), 90))
    finally:
        log = server.stop()
    ids = {seat: {row[0] for row in seen[seat]["systems"]} for seat in ("north", "south", "press", "control", "central")}
    assert ids["north"] and ids["north"] <= NORTH
    assert ids["south"] and ids["south"] <= SOUTH and ids["press"] <= SOUTH
    assert ids["control"] >= ids["north"] | ids["south"]  # the facilitator sees every touched system
    assert ids["central"] == {"login"}
    assert seen["north"]["view"] == "team" and seen["control"]["view"] == "truth"
    assert seen["north"]["total"] == len(NORTH) and seen["south"]["total"] == len(SOUTH)
    # the feed of a city says nothing about the other city's systems
    for seat, others in (("north", SOUTH - NORTH), ("south", NORTH - SOUTH)):
        assert not [line for line in seen[seat]["feed"] if line[3] in others], seat
    assert [t["team"] for t in seen["north"]["teams"]] == ["north-it"]
    assert "north-city" in seen["north"]["organizations"] and "south-city" not in seen["north"]["organizations"]
    errors = seen["errors"]
    assert "cannot read the truth" in errors["north reads the truth"]
    assert "sees no system 'south-web'" in errors["north reads a south system"]
    assert "does not command team 'south-it'" in errors["north orders south's team"]
    assert "not yours" in errors["north works on south's systems"] and "every system" in errors["north holds every system"]
    assert "cannot act for team 'north-it'" in errors["south acts for north's team"]
    assert "not among the actions open to you" in errors["south misspells north's system"]
    assert "north-web" not in errors["south misspells north's system"]  # no did-you-mean naming another city's system
    assert "observer" in errors["press (observer) orders"] and "files no situation reports" in errors["press (observer) reports"]
    for what in ("north moves the clock", "north steps"):
        assert "cannot move the clock" in errors[what]
    for what in ("north injects", "north ends the drill", "north undoes"):
        assert "only the facilitator" in errors[what]
    assert "does not answer decision 'north-aid'" in errors["central answers north's decision"]
    assert "not a system of north-city" in errors["north reports a south system"]
    assert "cannot read the truth" in errors["central reads the score"]
    assert seen["north-web"]["id"] == "north-web"
    north_actions = {a[0] for a in seen["north actions"]}
    assert north_actions and all(a[2] == "north-it" and a[0].split("/")[1] in NORTH for a in seen["north actions"])
    assert north_actions == {a[0] for a in seen["all actions"] if a[2] == "north-it"}  # every one of its team's, no other
    assert "wrong token for seat 'north'" in seen["wrong token"]
    assert "did you mean 'north'" in seen["unknown seat"]
    # the wrong token is logged without the token; no token is anywhere in the journal or the log
    assert "refused seat north (127.0.0.1): wrong token" in log
    text = journal.read_text(encoding="utf-8")
    for token in [*TOKENS.values(), "not-the-token-"]:
        assert token not in log and token not in text
    # refused commands journalled nothing: the journal holds exactly the script's five steps, each with its seat
    entries = journal_commands(journal)
    assert [(e["seat"], e["type"]) for e in entries] == [("control", "advance"), ("north", "order"), ("south", "act"), ("central", "order"), ("north", "report")]
    # central collects both cities' reports: north's counts are live, south has not reported
    rows = {r["org"]: r for r in seen["central reports"]}
    assert rows["north-city"]["counts"] == {"normal": 2, "unreachable": 2, "malfunctioning": 0}
    assert rows["north-city"]["notes"]["north-tax"]["fallback"] == "paper forms"
    assert rows["south-city"]["when"] == "not reported" and "truth" not in rows["north-city"]
    # the score: the delay from the fire (the first impact) to the report, and the counts against the truth then
    truth = {sid: status for sid, status, _g in seen["truth at the report"]["systems"]}
    true_counts = {s: 0 for s in ("normal", "unreachable", "malfunctioning")}
    for sid in NORTH:
        from drillsim.engine import Status

        true_counts[TRUTH_AS_REPORTED[Status(truth.get(sid, "up"))]] += 1
    reported = rows["north-city"]["counts"]
    north_score = next(r for r in seen["score"] if r["org"] == "north-city")
    assert north_score["first_impact"] == 1.0 and north_score["first_report"] == 1.5
    assert north_score["delay_hours"] == pytest.approx(0.5)
    assert north_score["reports"][0]["error"] == sum(abs(reported[s] - true_counts[s]) for s in true_counts) > 0


def test_a_killed_server_resumes_the_same_world_and_the_seats_reconnect(tmp_path):
    async def uninterrupted(url: str) -> dict:
        c = await connect_all(url, ("control", "central", "north", "south"))
        try:
            await play(c, SCRIPT)
            return await final_world(c["control"])
        finally:
            for client in c.values():
                await client.close()

    whole = Server(tmp_path / "whole.journal.jsonl")
    try:
        expected = asyncio.run(asyncio.wait_for(uninterrupted(whole.url), 60))
    finally:
        whole.stop()

    journal = tmp_path / "killed.journal.jsonl"
    first = Server(journal)
    servers = [first]

    async def interrupted() -> tuple[dict, dict]:
        c = await connect_all(first.url, ("control", "central", "north", "south"))
        try:
            await play(c, SCRIPT[:KILL_AFTER])
            first.kill()
            # every seat notices, and reconnects by itself once the server is back on its port
            await asyncio.wait_for(_until(lambda: not any(x.connected for x in c.values())), 20)
            servers.append(Server(journal, resume=True, port=first.port))
            await asyncio.wait_for(_until(lambda: all(x.connected for x in c.values())), 30)
            back = {seat: x.state for seat, x in c.items()}
            await play(c, SCRIPT[KILL_AFTER:])
            return await final_world(c["control"]), {"states": back, "reconnections": {s: x.reconnections for s, x in c.items()}}
        finally:
            for client in c.values():
                await client.close()

    try:
        got, info = asyncio.run(asyncio.wait_for(interrupted(), 90))
    finally:
        for server in servers:
            server.stop()
    assert info["reconnections"] == {"control": 1, "central": 1, "north": 1, "south": 1}
    # after reconnecting, each seat has the current state (the north report survived the crash)
    assert info["states"]["north"]["now"] == 1.5 and info["states"]["north"]["seat"] == "north"
    assert any(r["org"] == "north-city" and r["reports"] == 1 for r in info["states"]["central"]["reports"])
    assert got == expected
    assert got["ended"] and got["now"] > 1.5
    assert journal_commands(journal) == journal_commands(tmp_path / "whole.journal.jsonl")
    scored = (tmp_path / "killed.reporting.md").read_text(encoding="utf-8")
    assert scored == (tmp_path / "whole.reporting.md").read_text(encoding="utf-8")
    assert "| north-city | T+01:00 | T+01:30 | 0.50 h | 1 |" in scored
    # the after-action report of the journal ends with the same reporting score
    from drillsim.cli import main

    assert main(["report", str(journal), "--out", str(tmp_path / "aar"), "--format", "md"]) == 0
    (report,) = (tmp_path / "aar").glob("*.md")
    assert report.read_text(encoding="utf-8").endswith(scored)


async def _until(condition, step: float = 0.02, limit: int = 5000) -> None:
    for _ in range(limit):
        if condition():
            return
        await asyncio.sleep(step)
    raise TimeoutError("condition not reached")

"""The drill's UI-free core: the journal (durable, tolerant of a cut-short last line, bound to one
scenario version and seed), resume and replay to the identical world, and the board model's counts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter

import pytest

from drillsim.drill import DrillSession, parse_time_target, read_journal
from drillsim.drill import journal as journal_module
from drillsim.drill.board import BoardModel
from drillsim.engine import ActionError, Simulation, Status
from drillsim.model import DrillsimError, load_scenario

from helpers import SCENARIOS

EXAMPLE = SCENARIOS / "example-room-fire.yaml"


def play_some(session: DrillSession) -> None:
    """A short drill: the fire, the alerts, a restore, a fallback, some time."""
    session.step()
    session.step()
    session.act("recover/login/restore")
    session.act("fallback/docs")
    session.advance_by(1.0)
    session.step()
    session.advance(30.0)


def test_journal_has_a_header_and_one_durable_line_per_command(tmp_path, monkeypatch):
    path = tmp_path / "d.journal.jsonl"
    synced = []
    real_fsync = journal_module.os.fsync

    def fsync(fd):
        real_fsync(fd)
        synced.append(path.read_text(encoding="utf-8").count("\n") if path.exists() else 0)

    monkeypatch.setattr(journal_module.os, "fsync", fsync)
    session = DrillSession.start(EXAMPLE, seed=3, journal_path=path)
    lines_after_each = []
    for command in (session.step, session.step, lambda: session.act("recover/login/restore"), lambda: session.advance(2.5)):
        before = len(synced)
        command()
        assert len(synced) == before + 1, "each command is fsync-ed once, before the call returns"
        lines_after_each.append(path.read_text(encoding="utf-8").count("\n"))
    assert lines_after_each == [2, 3, 4, 5]
    session.close()

    journal = read_journal(path)
    header = journal.header
    assert header.scenario_hash == load_scenario(EXAMPLE).hash
    assert header.seed == 3 and header.scenario_id == "example-room-fire"
    assert header.scenario == str(EXAMPLE.resolve()) and header.drillsim and header.started_at.endswith("Z")
    assert [e.type for e in journal.entries] == ["step", "step", "act", "advance"]
    assert journal.entries[2].data == {"id": "recover/login/restore"}
    assert journal.entries[3].data == {"to": 2.5} and journal.entries[3].t == 2.5
    assert [e.n for e in journal.entries] == [1, 2, 3, 4]
    assert not journal.truncated
    for line in path.read_text(encoding="utf-8").splitlines():
        json.loads(line)


def test_an_impossible_action_is_not_journalled(tmp_path):
    path = tmp_path / "d.journal.jsonl"
    session = DrillSession.start(EXAMPLE, seed=1, journal_path=path)
    session.step()
    session.step()
    with pytest.raises(ActionError, match="destroyed"):
        session.act("recover/login/restart")
    session.close()
    assert [e.type for e in read_journal(path).entries] == ["step", "step"]


def test_a_new_journal_never_overwrites_an_old_one(tmp_path):
    path = tmp_path / "d.journal.jsonl"
    DrillSession.start(EXAMPLE, journal_path=path).close()
    with pytest.raises(DrillsimError, match="already exists.*--resume"):
        DrillSession.start(EXAMPLE, journal_path=path)


def test_resume_reaches_the_identical_world_and_keeps_journalling(tmp_path):
    path = tmp_path / "d.journal.jsonl"
    uninterrupted = DrillSession.start(EXAMPLE, seed=5)
    play_some(uninterrupted)
    uninterrupted.advance(100.0)

    first = DrillSession.start(EXAMPLE, seed=5, journal_path=path)
    play_some(first)
    mid = first.result().to_dict()
    first.journal._handle = None  # "power cut": the process dies without closing anything

    resumed = DrillSession.resume(path, EXAMPLE)
    assert resumed.result().to_dict() == mid
    assert resumed.now == 30.0
    resumed.advance(100.0)
    resumed.close()
    assert resumed.result().to_dict() == uninterrupted.result().to_dict()
    entries = read_journal(path).entries
    assert [e.type for e in entries][-2:] == ["resume", "advance"]
    assert [e.n for e in entries] == list(range(1, len(entries) + 1))

    # The whole journal, replayed, gives the same world again.
    again = DrillSession.resume(path, EXAMPLE, append=False)
    assert again.result().to_dict() == uninterrupted.result().to_dict()


def test_a_last_line_cut_short_is_dropped_and_the_drill_continues(tmp_path):
    path = tmp_path / "d.journal.jsonl"
    session = DrillSession.start(EXAMPLE, seed=2, journal_path=path)
    session.step()
    session.step()
    session.close()
    with open(path, "ab") as f:
        f.write(b'{"type":"act","id":"recover/login/rest')  # power cut in the middle of a write
    journal = read_journal(path)
    assert journal.truncated and len(journal.entries) == 2
    assert "cut short" in journal.warnings[0]

    resumed = DrillSession.resume(path, EXAMPLE)
    resumed.act("recover/login/restore")
    resumed.close()
    journal = read_journal(path)
    assert not journal.truncated
    assert [e.type for e in journal.entries] == ["step", "step", "resume", "act"]


def test_a_complete_last_line_without_its_newline_is_kept(tmp_path):
    path = tmp_path / "d.journal.jsonl"
    session = DrillSession.start(EXAMPLE, seed=2, journal_path=path)
    session.step()
    session.close()
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    assert [e.type for e in read_journal(path).entries] == ["step"]
    resumed = DrillSession.resume(path, EXAMPLE)
    resumed.step()
    resumed.close()
    assert [e.type for e in read_journal(path).entries] == ["step", "resume", "step"]


def test_a_damaged_line_inside_the_journal_is_an_error_naming_it(tmp_path):
    path = tmp_path / "d.journal.jsonl"
    session = DrillSession.start(EXAMPLE, journal_path=path)
    session.step()
    session.step()
    session.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1][:10]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DrillsimError, match=r"d\.journal\.jsonl:2: damaged line"):
        read_journal(path)
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(DrillsimError, match="empty journal"):
        read_journal(tmp_path / "empty.jsonl")
    (tmp_path / "cut.jsonl").write_text('{"type":"header","format":"drillsim-jour', encoding="utf-8")
    with pytest.raises(DrillsimError, match="cut short while its header"):
        read_journal(tmp_path / "cut.jsonl")
    (tmp_path / "other.jsonl").write_text('{"hello": 1}\n', encoding="utf-8")
    with pytest.raises(DrillsimError, match="not a drillsim journal"):
        read_journal(tmp_path / "other.jsonl")


def test_a_journal_of_another_scenario_version_is_refused_naming_both_hashes(tmp_path):
    scenario = tmp_path / "fire.yaml"
    shutil.copy(EXAMPLE, scenario)
    path = tmp_path / "d.journal.jsonl"
    session = DrillSession.start(scenario, seed=1, journal_path=path)
    session.step()
    session.close()
    old_hash = load_scenario(scenario).hash
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("staff: 3", "staff: 4"), encoding="utf-8")
    new_hash = load_scenario(scenario).hash
    assert new_hash != old_hash
    with pytest.raises(DrillsimError) as info:
        DrillSession.resume(path, scenario)
    assert old_hash in str(info.value) and new_hash in str(info.value)
    with pytest.raises(DrillsimError, match=old_hash):
        DrillSession.replay(path)


def test_resume_refuses_another_seed(tmp_path):
    path = tmp_path / "d.journal.jsonl"
    DrillSession.start(EXAMPLE, seed=4, journal_path=path).close()
    with pytest.raises(DrillsimError, match="seed 4, not 5"):
        DrillSession.resume(path, EXAMPLE, seed=5)
    assert DrillSession.resume(path, EXAMPLE, seed=4, append=False).seed == 4


def test_replay_is_read_only_and_ends_in_the_recorded_world(tmp_path):
    path = tmp_path / "d.journal.jsonl"
    session = DrillSession.start(EXAMPLE, seed=6, journal_path=path)
    play_some(session)
    final = session.result().to_dict()
    session.close()
    replay = DrillSession.replay(path)
    assert replay.now == 0.0 and replay.position == 0 and len(replay.script) == 7
    first = replay.replay_next()
    assert first.type == "step" and replay.position == 1
    with pytest.raises(DrillsimError, match="replay"):
        replay.step()
    replay.replay_until(1.0)
    assert replay.now >= 1.0 or replay.replay_done
    replay.replay_all()
    assert replay.replay_done and replay.replay_next() is None
    assert replay.result().to_dict() == final


def test_replay_stops_at_the_first_line_the_engine_plays_differently(tmp_path):
    path = tmp_path / "d.journal.jsonl"
    session = DrillSession.start(EXAMPLE, seed=6, journal_path=path)
    play_some(session)
    session.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[2])
    entry["t"] = 0.5  # as if a different engine had stopped the second step elsewhere
    lines[2] = json.dumps(entry)
    path.write_text("\n".join(rechain(lines)) + "\n", encoding="utf-8")  # that engine's journal is a chained one
    with pytest.raises(DrillsimError, match=r":3: after 'step' the simulation is at T\+0\.0833333h but the journal recorded T\+0\.5h"):
        DrillSession.resume(path, EXAMPLE)


def rechain(lines: list[str]) -> list[str]:
    """The journal lines with their hash chain recomputed (as a drillsim that wrote them would have)."""
    out, previous = [], None
    for line in lines:
        data = json.loads(line)
        data.pop("h", None)
        previous = data["scenario_hash"] if previous is None else previous
        data["h"] = previous = journal_module.chain_hash(previous, data)
        out.append(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return out


def test_go_to_time_forms():
    scenario = load_scenario(EXAMPLE).scenario  # starts 2025-09-26 20:15 KST
    assert parse_time_target("+90m", 1.0, scenario) == 2.5
    assert parse_time_target("T+36h", 1.0, scenario) == 36.0
    assert parse_time_target("1d12h", 1.0, scenario) == 36.0
    assert parse_time_target("2025-09-27 09:00", 0.0, scenario) == pytest.approx(12.75)
    with pytest.raises(DrillsimError, match="in the past"):
        parse_time_target("30m", 1.0, scenario)
    with pytest.raises(DrillsimError, match=r"\+2h \(from now\)"):
        parse_time_target("tomorrow", 1.0, scenario)


def _brute_force(sim: Simulation, board: BoardModel, grouping: str, truth: bool) -> dict[int, Counter]:
    out: dict[int, Counter] = {}
    for i in range(len(sim.compiled.sys_ids)):
        status = sim.system_view(i, truth).status
        out.setdefault(board.keys[grouping][i], Counter())[status] += 1
    return out


def test_board_counts_by_site_and_grade_match_a_walk_over_every_system():
    sim = Simulation(load_scenario(SCENARIOS / "nirs-daejeon-fire-2025.yaml"), seed=1, policy="manual")
    board = BoardModel(sim)
    assert len(board.totals["site"]) > 2
    for _ in range(4):
        sim.step()
        board.update()
        for view, truth in (("team", False), ("truth", True)):
            for grouping in ("site", "grade"):
                expected = _brute_force(sim, board, grouping, truth)
                for row in board.groups(grouping, view):
                    assert {s: n for s, n in row.counts.items() if n} == dict(expected.get(row.key, Counter())), (view, grouping, row.label)
    rows = board.rows("truth")
    assert rows and all(board.status(i, "truth") is not Status.up or i in board._views["truth"].affected for i in rows)


def test_board_update_costs_the_touched_systems_only():
    sim = Simulation(load_scenario(SCENARIOS / "nirs-daejeon-fire-2025.yaml"), seed=1, policy="manual")
    board = BoardModel(sim)
    calls = Counter()
    real = sim.visible_status

    def counting(i):
        calls[i] += 1
        return real(i)

    sim.visible_status = counting  # type: ignore[method-assign]
    sim.step()
    sim.step()
    calls.clear()
    board.update()
    touched = len(sim.touched())
    assert 0 < touched < len(sim.compiled.sys_ids) / 2
    assert sum(calls.values()) == touched and max(calls.values()) == 1


def test_recovery_curve_follows_what_each_view_saw():
    session = DrillSession.start(EXAMPLE, seed=1)
    play_some(session)
    curve = session.board.curve("truth")
    assert curve[0] == (0.0, 0.0)
    assert curve[-1][1] == pytest.approx(2 / 3)  # login and portal back, docs not
    assert session.board.affected("team") == 3 and session.board.serving_again("team") == 2


def test_the_drill_core_never_loads_textual():
    code = (
        "import sys; import drillsim.engine, drillsim.model, drillsim.drill; "
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]; "
        "assert not bad, bad; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr

"""A journal that was tampered with says so, naming the line; a cut-short last line stays a warning.

Lines are chained by hashes and numbered without gaps, and ``<journal>.last`` records the last
line written: an edited, deleted, moved or added line, or lines removed from the end, are each
reported with the line number, and ``resume(from_last_good=True)`` goes on from the last good
line after keeping a copy. Journals written before the chain (version 1) are read with a warning.
"""

from __future__ import annotations

import json

import pytest
from cli_helpers import run_cli
from test_drill_journal import rechain

from drillsim.drill import DrillSession, JournalTampered, read_journal
from drillsim.model import DrillsimError

from helpers import SCENARIOS

EXAMPLE = SCENARIOS / "example-room-fire.yaml"


def _drill(tmp_path, name="d.journal.jsonl"):
    """A journal of a short drill: header, step, step, act, act, advance (lines 1-6)."""
    path = tmp_path / name
    session = DrillSession.start(EXAMPLE, seed=2, journal_path=path)
    session.step()
    session.step()
    session.act("recover/login/restore")
    session.act("fallback/docs")
    session.advance(10.0)
    session.close()
    return path


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _tampered(path) -> JournalTampered:
    with pytest.raises(JournalTampered) as info:
        read_journal(path)
    return info.value


def test_an_intact_journal_reads_without_warnings(tmp_path):
    journal = read_journal(_drill(tmp_path))
    assert [e.n for e in journal.entries] == [1, 2, 3, 4, 5] and not journal.warnings
    assert all("h" in json.loads(line) for line in _lines(journal.path))


def test_a_deleted_middle_line_is_reported_at_the_line_after_it(tmp_path):
    path = _drill(tmp_path)
    lines = _lines(path)
    _write(path, lines[:3] + lines[4:])  # delete line 4 (the first act)
    exc = _tampered(path)
    assert exc.line == 4 and f"{path}:4:" in str(exc)
    assert "--from-last-good" in str(exc)
    assert [e.type for e in exc.good.entries] == ["step", "step"]


def test_deleting_the_last_act_line_is_reported(tmp_path):
    path = _drill(tmp_path)
    _write(path, _lines(path)[:-1])  # the advance line
    exc = _tampered(path)
    assert exc.line == 6 and "removed from its end" in str(exc) and "n=4" in str(exc) and "n=5" in str(exc)


def test_an_edited_line_is_reported_at_that_line(tmp_path):
    path = _drill(tmp_path)
    lines = _lines(path)
    lines[3] = lines[3].replace("recover/login/restore", "recover/portal/failover")
    _write(path, lines)
    exc = _tampered(path)
    assert exc.line == 4 and "edited" in str(exc)


def test_reordered_lines_are_reported(tmp_path):
    path = _drill(tmp_path)
    lines = _lines(path)
    lines[3], lines[4] = lines[4], lines[3]
    _write(path, lines)
    exc = _tampered(path)
    assert exc.line == 4


@pytest.mark.parametrize(
    "field, value, needle, line",
    [
        ("seed", 5.7, "seed must be a whole number", 1),
        ("seed", -1, "seed must be a whole number", 1),
        ("seed", True, "seed must be a whole number", 1),
        ("n", "abc", "bad sequence number 'n': 'abc'", 2),
        ("t", "later", "bad time 't'", 2),
        ("to", float("nan"), "bad 'to'", 6),
        ("id", ["a"], "bad 'id'", 4),
    ],
)
def test_fields_of_the_wrong_type_are_named_with_their_line(field, value, needle, line, tmp_path):
    path = _drill(tmp_path)
    lines = _lines(path)
    data = json.loads(lines[line - 1])
    data[field] = value
    lines[line - 1] = json.dumps(data)
    _write(path, rechain(lines) if field != "to" else lines[: line - 1] + [json.dumps(data)])
    with pytest.raises(DrillsimError) as info:
        read_journal(path)
    assert f"{path}:{line}:" in str(info.value) and needle in str(info.value)


def test_a_torn_last_line_is_still_a_warning(tmp_path):
    path = _drill(tmp_path)
    with open(path, "ab") as handle:
        handle.write(b'{"type":"act","id":"recover/do')
    journal = read_journal(path)
    assert journal.truncated and "cut short" in journal.warnings[0] and len(journal.entries) == 5


def test_resume_from_the_last_good_line_keeps_a_copy_and_goes_on(tmp_path):
    path = _drill(tmp_path)
    original = path.read_bytes()
    lines = _lines(path)
    _write(path, lines[:3] + lines[4:])
    with pytest.raises(JournalTampered):
        DrillSession.resume(path, EXAMPLE)
    resumed = DrillSession.resume(path, EXAMPLE, from_last_good=True)
    assert [e.type for e in resumed.history] == ["step", "step"]
    assert any("resumed from the last good line" in w for w in resumed.recorded.warnings)
    resumed.act("recover/login/restore")
    resumed.close()
    assert (tmp_path / "d.journal.jsonl.damaged").read_bytes() == b"\n".join(original.split(b"\n")[:3] + original.split(b"\n")[4:])
    journal = read_journal(path)  # cut after the last good line, then journalled on: intact again
    assert [e.type for e in journal.entries] == ["step", "step", "resume", "act"]
    assert [e.n for e in journal.entries] == [1, 2, 3, 4]
    straight = DrillSession.start(EXAMPLE, seed=2)
    straight.step()
    straight.step()
    straight.act("recover/login/restore")
    assert DrillSession.resume(path, EXAMPLE, append=False).result().to_dict() == straight.result().to_dict()


def test_a_journal_written_before_the_chain_is_read_with_a_warning(tmp_path):
    path = _drill(tmp_path)
    lines = []
    for line in _lines(path):
        data = json.loads(line)
        data.pop("h")
        if data["type"] == "header":
            data["version"] = 1
        lines.append(json.dumps(data))
    _write(path, lines)
    (tmp_path / "d.journal.jsonl.last").unlink()
    journal = read_journal(path)
    assert "format version 1" in journal.warnings[0] and len(journal.entries) == 5
    resumed = DrillSession.resume(path, EXAMPLE)
    resumed.advance(11.0)
    resumed.close()
    assert "h" not in json.loads(_lines(path)[-1])  # it stays in its own format
    assert [e.type for e in read_journal(path).entries][-2:] == ["resume", "advance"]


def test_a_header_naming_a_device_as_its_scenario_is_refused(tmp_path):
    path = _drill(tmp_path)
    lines = _lines(path)
    header = json.loads(lines[0])
    header["scenario"] = "/dev/zero"
    lines[0] = json.dumps(header)
    _write(path, rechain(lines))
    with pytest.raises(DrillsimError, match="not a regular file"):
        DrillSession.replay(path)


def test_report_on_a_tampered_journal_exits_2_naming_the_line(tmp_path, capsys):
    path = _drill(tmp_path)
    lines = _lines(path)
    _write(path, lines[:2] + lines[3:])
    code, _, err = run_cli(capsys, "report", path, "-o", tmp_path / "out", "--no-plots")
    flat = " ".join(err.split())
    assert code == 2 and f"{path}:3:" in flat and "Traceback" not in err

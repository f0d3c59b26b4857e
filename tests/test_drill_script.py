"""Scripted drills from the command line: ``drillsim run SCENARIO --actions FILE`` plays the script and
scores it; every bad line is located (``file:line: path: message``, did-you-mean, exit 2)."""

from __future__ import annotations

import json
import textwrap

import pytest

from drillsim.cli import main

from helpers import SCENARIOS

EXAMPLE = SCENARIOS / "example-room-fire.yaml"
DECISION = SCENARIOS.parent / "tests" / "drill_fixtures" / "room-fire-decision.yaml"


def write(tmp_path, text: str):
    path = tmp_path / "script.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_a_script_plays_and_is_scored_against_the_runbook_and_doing_nothing(tmp_path, capsys):
    script = write(tmp_path, """
        seed: 2
        decisions:
          mutual-aid: accept
        commands:
          - 0m: work all by grade
          - 2h: say The regional office is on the phone.
    """)
    assert main(["run", str(DECISION), "--actions", str(script), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    drill = out["drill"]
    assert drill["seed"] == out["seed"] == 2 and drill["commands"] == 3
    assert drill["score"] == pytest.approx(drill["runbook_score"])  # the runbook's orders and its default answer
    decided = [d for d in out["decisions"] if d["decision"] == "mutual-aid"]
    assert decided and decided[0]["option"] == "accept" and decided[0]["by"] == "team"
    assert main(["run", str(DECISION), "--actions", str(script)]) == 0
    assert "score" in capsys.readouterr().out


@pytest.mark.parametrize("body, line, message", [
    ("commands:\n  - 0m: work opps by grade\n", 2, "commands[0]: unknown team 'opps' (did you mean 'ops'?)"),
    ("commands:\n  - 0m: work all\n  - 1h: hold in:room-b\n", 3, "commands[1]: 'in:room-b': unknown domain 'room-b' (did you mean 'room-a'?)"),
    ("commands:\n  - 0m: hold grade:6\n", 2, "commands[0]: 'grade:6': no system has grade 6"),
    ("commands:\n  - 0m: act recover/lgin/restore\n", 2, "commands[0]: act recover/lgin/restore: unknown system 'lgin' (did you mean 'login'?)"),
    ("commands:\n  - 0m: hold sys:portl\n", 2, "commands[0]: 'sys:portl': unknown system 'portl' (did you mean 'portal'?)"),
    ("commands:\n  - 0m: release all\n", 2, "commands[0]: nothing is held: the order would do nothing"),
    ("commands:\n  - soon: work all\n", 2, "commands[0]: bad time 'soon'"),
    ("commands:\n  - 2h: work all\n  - 1h: hold sys:docs\n", 3, "commands[1]: 1h comes before the command above it"),
    ("commands:\n  - 0m: wrk all\n", 2, "commands[0]: unknown command 'wrk' (did you mean 'work'?)"),
    ("commands:\n  - work all\n", 2, "commands[0]: write each command as 'TIME: COMMAND'"),
    ("decisions:\n  mutual-aid: acept\n", 2, "decisions.mutual-aid: decision 'mutual-aid' has no option 'acept' (did you mean 'accept'?)"),
    ("decisions:\n  mutal-aid: accept\n", 2, "decisions.mutal-aid: unknown decision 'mutal-aid' (did you mean 'mutual-aid'?)"),
    ("seed: 1\ncomands: []\n", 2, "comands: unknown key (did you mean 'commands'?)"),
])
def test_bad_lines_are_located_with_a_did_you_mean_and_exit_2(tmp_path, capsys, body, line, message):
    script = write(tmp_path, body)
    assert main(["run", str(DECISION), "--actions", str(script)]) == 2
    err = capsys.readouterr().err
    assert f"{script}:{line}: {message}" in " ".join(err.split()), err
    assert "Traceback" not in err


def test_actions_and_a_policy_do_not_mix(tmp_path, capsys):
    script = write(tmp_path, "commands:\n  - 0m: work all\n")
    assert main(["run", str(EXAMPLE), "--actions", str(script), "--policy", "none"]) == 2
    assert "leave --policy out" in capsys.readouterr().err

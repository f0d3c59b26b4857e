"""The seats file is checked like a scenario (file:line: path: message, did-you-mean, exit 2), tokens
are compared in constant time, and a seat's commands are checked in-process against its role."""

from __future__ import annotations

import textwrap

import pytest
from seats_helpers import SCENARIO, SEATS

from drillsim.cli import main
from drillsim.drill import DrillSession
from drillsim.model import DrillsimError, ScenarioError
from drillsim.seats import AccessDenied, SeatAccess, authorize, check_token, load_seats, resolve_tokens


def write(tmp_path, text: str):
    path = tmp_path / "seats.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def session():
    return DrillSession.start(SCENARIO, seed=3)


BAD = [
    ("""
     seats:
       - {id: control, role: facilitator}
       - id: north
         role: team
         organizations: [nort-city]
     """, 6, "seats[1].organizations[0]: unknown organization 'nort-city' (did you mean 'north-city'?)"),
    ("""
     seats:
       - {id: control, role: facilitator}
       - {id: north, role: team, teams: [north-itt]}
     """, 4, "seats[1].teams[0]: unknown team 'north-itt' (did you mean 'north-it'?)"),
    ("""
     seats:
       - {id: control, role: facilitator}
       - {id: north, role: captain, teams: [north-it]}
     """, 4, "seats[1].role:"),
    ("""
     seats:
       - {id: north, role: team, teams: [north-it]}
     """, 2, "seats: no seat has the role facilitator"),
    ("""
     seats:
       - {id: control, role: facilitator}
       - {id: control, role: observer, teams: [north-it]}
     """, 4, "seat id 'control' is used twice"),
    ("""
     seats:
       - {id: control, role: facilitator}
       - {id: north, role: team, teams: [north-it], decides: [north-ayd]}
     """, 4, "unknown decision 'north-ayd' (did you mean 'north-aid'?)"),
    ("""
     seats:
       - {id: control, role: facilitator, tokn_env: X}
     """, 3, "seats[0]"),
]


@pytest.mark.parametrize("text,line,message", BAD)
def test_a_bad_seats_file_is_refused_with_its_file_line_and_path(tmp_path, session, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as caught:
        load_seats(path, session.scenario)
    assert f"{path}:{line}:" in str(caught.value) and message in str(caught.value)


def test_drillsim_serve_with_a_bad_seats_file_exits_2_without_a_traceback(tmp_path, capsys):
    path = write(tmp_path, BAD[0][0])
    code = main(["serve", str(SCENARIO), "--seats", str(path), "--port", "0", "--journal", str(tmp_path / "j.jsonl")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{path}:6: seats[1].organizations[0]: unknown organization 'nort-city' (did you mean 'north-city'?)" in " ".join(err.split())
    assert "Traceback" not in err and not (tmp_path / "j.jsonl").exists()


def test_a_token_from_an_unset_variable_is_refused_and_generated_tokens_differ(session):
    spec = load_seats(SEATS, session.scenario)
    with pytest.raises(DrillsimError, match=r"\$T_CONTROL, which is not set"):
        resolve_tokens(spec, {})
    spec.seats[0].token_env = None
    first = resolve_tokens(spec, {f"T_{s.upper()}": "x" * 10 for s in ("central", "north", "south", "press")})
    second = resolve_tokens(spec, {f"T_{s.upper()}": "x" * 10 for s in ("central", "north", "south", "press")})
    assert len(first["control"]) >= 32 and first["control"] != second["control"]


def test_tokens_compare_exactly():
    assert check_token("secret-token", "secret-token")
    assert not check_token("secret-tokem", "secret-token") and not check_token("secret", "secret-token")
    assert not check_token(None, "secret-token") and not check_token(12, "secret-token")


def test_a_bulk_order_that_would_put_another_seats_team_to_work_is_refused(tmp_path):
    drill = DrillSession.start(SCENARIO, seed=3)
    spec = load_seats(SEATS, drill.scenario)
    seats = {s.id: SeatAccess.build(s, drill.sim) for s in spec.seats}
    drill.advance(6)  # stops where the decision opens (2h)
    drill.advance(6)  # the room is back: every restart can start now, login's falls to central-ops
    with pytest.raises(AccessDenied, match="central-ops"):
        authorize(seats["south"], "do restart on org:south-city", drill)
    kind, data = authorize(seats["south"], "do restart on team:south-it", drill)
    assert (kind, data["text"], data["by"]) == ("order", "do restart on team:south-it", "south")
    kind, data = authorize(seats["control"], "do restart on org:south-city", drill)  # the facilitator may
    assert kind == "order"
    with pytest.raises(AccessDenied, match="does not command team 'north-it'"):
        authorize(seats["south"], "move 1 from south-it to north-it", drill)
    with pytest.raises(AccessDenied, match="every system"):
        authorize(seats["north"], "work north-it", drill)  # no selection: all of them
    with pytest.raises(AccessDenied, match="not yours"):
        authorize(seats["north"], "define mine org:south-city", drill)


def test_the_bundled_nirs_seats_file_gives_each_city_the_systems_the_model_gives_it():
    from drillsim.seats.spec import Role

    nirs = DrillSession.start(SCENARIO.parents[2] / "scenarios" / "nirs-daejeon-fire-2025.yaml", seed=0, board=False)
    spec = load_seats(SCENARIO.parents[2] / "scenarios" / "seats" / "nirs-seats.yaml", nirs.scenario)
    seats = {s.id: SeatAccess.build(s, nirs.sim) for s in spec.seats}
    assert [s.role for s in spec.seats].count(Role.facilitator) == 1 and set(seats) == {"facilitator", "nirs", "mois", "sejong", "chungju"}
    orgs = {o.id: o for o in nirs.scenario.organizations}
    ids = nirs.sim.compiled.sys_ids
    for seat, org, uses, owns in (("sejong", "sejong-city", 151, 89), ("chungju", "chungju-city", 42, 3)):
        assert (len(orgs[org].uses), len(orgs[org].owns)) == (uses, owns)  # the counts of the record (Sejong's 16:00 report)
        assert {ids[i] for i in seats[seat].org_systems[org]} == set(orgs[org].uses) | set(orgs[org].owns)
    # the national center sees every system its teams run, and collects the others' reports
    teams = set(spec.seat("nirs").teams)
    assert {ids[i] for i in seats["nirs"].systems} >= {s.id for s in nirs.scenario.systems if s.team in teams}
    assert set(spec.seat("nirs").collects) == {"mois", "sejong", "chungju"}

"""Inject lists in and out: the CSV master scenario events list (MSEL), and overlays that replace injects."""

import csv
import io
from pathlib import Path

import pytest
import yaml

from drillsim.cli import main
from drillsim.model import ScenarioError, load_scenario
from drillsim.model.msel import COLUMNS, MselError, export_msel, import_msel, msel_rows, read_msel
from drillsim.model.units import parse_duration

from report_fixtures import city_data

ROOT = Path(__file__).resolve().parent.parent
NIRS = ROOT / "scenarios" / "nirs-daejeon-fire-2025.yaml"


def test_overlay_replace_states_the_whole_inject_list(tmp_path):
    overlay = tmp_path / "o.yaml"
    overlay.write_text(
        f"extends: {NIRS}\nreplace: [injects]\ninjects:\n"
        "  - {at: 0m, destroy: daejeon-room-7-1, expected: Call the fire brigade}\n",
        encoding="utf-8",
    )
    loaded = load_scenario(overlay)
    assert len(loaded.scenario.injects) == 1
    assert loaded.scenario.injects[0].expected == "Call the fire brigade"
    # Without 'replace', an inject without an id is appended to the 16 of the scenario.
    overlay.write_text(overlay.read_text(encoding="utf-8").replace("replace: [injects]\n", ""), encoding="utf-8")
    assert len(load_scenario(overlay).scenario.injects) == 17


def test_overlay_replace_must_list_keys(tmp_path):
    overlay = tmp_path / "o.yaml"
    overlay.write_text(f"extends: {NIRS}\nreplace: {{injects: 1}}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"o\.yaml:2: replace: 'replace' must list top-level keys"):
        load_scenario(overlay)


# ----------------------------------------------------------------------------------------
# The CSV events list
# ----------------------------------------------------------------------------------------
HEADER = ",".join(h for _, h in COLUMNS)


def _every_action(tmp_path):
    """The CITY scenario with one inject of every kind, a decision point and expected player actions."""
    data = city_data()
    data["systems"][4]["recovery"] = [{"kind": "restart", "id": "reboot"}, {"kind": "restore", "target": ["room-2"]}]
    data["injects"] += [
        {"at": "0m", "message": "Exercise starts.\nSecond line, \"quoted\", with, commas", "expected": "Open the incident bridge"},
        {"at": "2h", "fail_system": "c4", "for": "90m", "title": "Software fault"},
        {"at": "3h", "restore_system": "c4"},
        {"at": "4h", "surge": {"systems": ["c2", "c3"], "factor": 3.5, "for": "2h"}},
        {"at": "5h", "add_staff": {"team": "ops", "staff": 3, "after": "30m"}, "id": "aid"},
        {"at": "6h", "prefer": {"systems": ["c4"], "option": "restore"}},
        {"at": "7h", "set_capacity": {"domain": "room-2", "free_capacity": 4}},
        {"at": "8h", "decision": "move", "title": "Move or wait", "message": "세종시청 요청"},
        {"at": "8h", "destroy": "city", "expected": "Switch to paper"},
        {"at": "9h", "restore": "city"},
    ]
    data["decisions"] = [
        {"id": "move", "prompt": "Move the\nportal?", "options": [{"id": "yes", "label": "Yes, move it", "default": True}, {"id": "no", "label": "No"}]}
    ]
    path = tmp_path / "every.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _dumps(scenario):
    return [i.model_dump() for i in sorted(scenario.injects, key=lambda i: i.at)]


def test_round_trip_every_action(tmp_path):
    path = _every_action(tmp_path)
    loaded = load_scenario(path)
    sheet = tmp_path / "msel.csv"
    export_msel(loaded, sheet)
    raw = sheet.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark: spreadsheets read the Korean right
    rows = msel_rows(loaded)
    times = [parse_duration(r["at"]) for r in rows]
    assert times == sorted(times)  # time order
    by_action = {r["action"]: r for r in rows}
    assert by_action["surge"]["target"] == "c2 c3" and by_action["surge"]["details"] == "factor=3.5; for=2h"
    assert by_action["add_staff"]["details"] == "staff=3; after=30m" and by_action["add_staff"]["id"] == "aid"
    assert by_action["decision"]["expected"] == "Decide: Move the portal? Options: yes: Yes, move it (default); no: No"
    assert by_action["fail"]["local"] == "2025-09-26 21:00"
    result, overlay = import_msel(loaded, path, sheet)
    assert overlay == tmp_path / "msel.yaml" and result.warnings == []
    assert result.changes(loaded.scenario) == {"kept": len(loaded.scenario.injects), "added": 0, "removed": 0}
    again = load_scenario(overlay)
    assert _dumps(again.scenario) == _dumps(loaded.scenario)
    written = yaml.safe_load(overlay.read_text(encoding="utf-8"))
    assert written["replace"] == ["injects"] and written["extends"] == "every.yaml"
    decision = next(i for i in written["injects"] if i.get("decision"))
    assert "expected" not in decision  # the generated prompt text is not stored back


def test_round_trip_nirs(tmp_path):
    loaded = load_scenario(NIRS)
    sheet = tmp_path / "nirs.csv"
    export_msel(loaded, sheet)
    (tmp_path / "out").mkdir()
    _, overlay = import_msel(loaded, NIRS, sheet, tmp_path / "out" / "nirs-msel.yaml")
    assert _dumps(load_scenario(overlay).scenario) == _dumps(loaded.scenario)


def _sheet(tmp_path, rows, header=HEADER, encoding="utf-8"):
    path = tmp_path / "sheet.csv"
    path.write_text(header + "\r\n" + "\r\n".join(rows) + "\r\n", encoding=encoding)
    return path


def test_bad_rows_name_file_row_and_column(tmp_path):
    path = _every_action(tmp_path)
    loaded = load_scenario(path)
    sheet = _sheet(tmp_path, [
        ",0m,,destory,room-1,,,,",                       # row 2
        ",1h,,fail,room-9,for=2h,,,",                    # row 3
        ",2 hours,,fail,room-1,,,,",                      # row 4
        ",3h,,surge,c2,facter=2,,,",                      # row 5
        ",4h,2025-09-27 09:00,message,,,,Hello,",         # row 6: T+13h, not 4h
        ",,,,,,,,",                                       # row 7: blank, skipped
        ",5h,,decision,mvoe,,,,",                         # row 8
        ",6h,,restore,room-1,for=1h,,,",                  # row 9
        ",7h,,surge,c2,for=1h,,,",                        # row 10
    ])
    with pytest.raises(MselError) as info:
        read_msel(sheet, loaded)
    text = str(info.value)
    name = str(sheet)
    expected = [
        f"{name}: row 2, column 'Action': unknown action 'destory' (did you mean 'destroy'?)",
        f"{name}: row 3, column 'Target': unknown domain 'room-9'",
        f"{name}: row 4, column 'Time after start': '2 hours': unknown time unit 'hours'",
        f"{name}: row 5, column 'Details': 'facter' is not a detail of surge (surge takes factor, for) (did you mean 'factor'?)",
        f"{name}: row 6, column 'Local date-time': 2025-09-27 09:00 is T+13h but 'Time after start' says 4h",
        f"{name}: row 9, column 'Details': 'for' is not a detail of restore (restore takes no details)",
        f"{name}: row 10, column 'Details': a surge needs factor=... (e.g. factor=3.5)",
    ]
    for line in expected:
        assert line in text, line
    assert "row 7" not in text
    # Reference errors come from the scenario checks, after the rows parse.
    sheet = _sheet(tmp_path, [",5h,,decision,mvoe,,,,", ",1h,,fail,room-9,,,,", ",2h,,prefer,c4,option=rebot,,,"])
    with pytest.raises(MselError) as info:
        read_msel(sheet, loaded)
    text = str(info.value)
    assert f"{name}: row 2, column 'Target': unknown decision 'mvoe' (did you mean 'move'?)" in text
    assert f"{name}: row 3, column 'Target': unknown domain 'room-9'" in text
    assert f"{name}: row 4, column 'Details': 'c4' has no recovery option 'rebot' (did you mean 'reboot'?)" in text
    assert text.endswith("3 problems in the events list")


def test_headers_encodings_and_local_times(tmp_path):
    loaded = load_scenario(_every_action(tmp_path))
    with pytest.raises(MselError, match=r"sheet\.csv: row 1: no 'Action' column"):
        read_msel(_sheet(tmp_path, ["1h,x"], header="Time,Whatever"), loaded)
    # Aliases, another column order, a local time instead of T+, a Korean text saved as cp949 by a spreadsheet.
    sheet = _sheet(tmp_path, ['"2025-09-26 23:30",Message,"훈련 시작",,Notes here'], header="Local time,Type,Message,Target,Notes", encoding="cp949")
    result = read_msel(sheet, loaded)
    assert result.injects == [{"at": "3h30m", "message": "훈련 시작"}]
    assert any("column 'Notes' is not part of the events list and is ignored" in w for w in result.warnings)
    # Semicolon-separated sheets (spreadsheets in some locales) work too.
    sheet = _sheet(tmp_path, ["T+1h;fail;room-1;for=2h"], header="Time after start;Action;Target;Details")
    assert read_msel(sheet, loaded).injects == [{"at": "1h", "fail": "room-1", "for": "2h"}]


def test_injects_commands(tmp_path, capsys):
    path = _every_action(tmp_path)
    sheet = tmp_path / "list.csv"
    assert main(["injects", "export", str(path), "-o", str(sheet)]) == 0
    assert main(["injects", "export", str(path)]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[1].startswith("ID,Time after start")
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    rows[1][1], rows[1][2] = "15m", ""  # the facilitator moves the first inject (and clears the clock column)
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    overlay = tmp_path / "plan.yaml"
    assert main(["injects", "import", str(path), str(sheet), "-o", str(overlay)]) == 0
    assert "1 new or changed" in capsys.readouterr().out
    assert load_scenario(overlay).scenario.injects[0].at == 0.25
    rows[2][3] = "explode"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    assert main(["injects", "import", str(path), str(sheet)]) == 2
    assert f"{sheet}: row 3, column 'Action': unknown action 'explode'" in capsys.readouterr().err

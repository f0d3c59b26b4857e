"""Inject lists in and out: the CSV master scenario events list (MSEL), and overlays that replace injects."""

import csv
import io
from pathlib import Path

import pytest
import yaml

from drillsim.cli import main
from drillsim.model import ScenarioError, load_scenario
from drillsim.model.msel import COLUMNS, MselError, export_msel, msel_header, msel_rows
from drillsim.model.msel_import import import_msel, read_msel
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
    # Without 'replace', an inject without an id is appended to those of the scenario.
    overlay.write_text(overlay.read_text(encoding="utf-8").replace("replace: [injects]\n", ""), encoding="utf-8")
    assert len(load_scenario(overlay).scenario.injects) == len(load_scenario(NIRS).scenario.injects) + 1


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


# ----------------------------------------------------------------------------------------
# Spreadsheets: XLSX beside CSV, formulas kept as text, the two time columns
# ----------------------------------------------------------------------------------------
FORMULAS = ['=HYPERLINK("http://example.invalid","click")', "+82 2 1234 5678", "-5 staff at the counter", "@SUM(A1:A9)", "'=kept as written"]


def _formulas(tmp_path):
    """A scenario whose texts start the way spreadsheet formulas do."""
    data = city_data()
    data["injects"] = [{"at": "1h", "message": FORMULAS[0], "title": FORMULAS[1], "expected": FORMULAS[2]},
                       {"at": "2h", "message": FORMULAS[3], "title": FORMULAS[4]}]
    path = tmp_path / "formulas.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _xlsx_rows(path):
    from openpyxl import load_workbook

    ws = load_workbook(path).worksheets[0]
    return ws, [[c.value for c in row] for row in ws.iter_rows()]


def test_xlsx_round_trip_every_action(tmp_path):
    pytest.importorskip("openpyxl")
    path = _every_action(tmp_path)
    loaded = load_scenario(path)
    book = tmp_path / "msel.xlsx"
    assert export_msel(loaded, book) is None
    ws, rows = _xlsx_rows(book)
    assert rows[0] == msel_header(loaded.scenario) and rows[0][2] == "Local date-time (start 2025-09-26 20:00)"
    assert [[v or "" for v in row] for row in rows[1:]] == [[r[key] for key, _ in COLUMNS] for r in msel_rows(loaded)]  # the CSV's cells
    assert all(c.data_type == "s" for row in ws.iter_rows() for c in row if c.value is not None)  # text cells only, never a formula
    result, overlay = import_msel(loaded, path, book)
    assert overlay == tmp_path / "msel.yaml" and result.warnings == []
    assert _dumps(load_scenario(overlay).scenario) == _dumps(loaded.scenario)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_formula_cells_are_neutralised_on_export_and_restored_on_import(tmp_path, suffix):
    if suffix == ".xlsx":
        pytest.importorskip("openpyxl")
    path = _formulas(tmp_path)
    loaded = load_scenario(path)
    sheet = tmp_path / f"msel{suffix}"
    export_msel(loaded, sheet)
    if suffix == ".csv":
        cells = [cell for row in csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))) for cell in row]
        for text in FORMULAS:
            assert "'" + text in cells  # a leading apostrophe: a spreadsheet reads it as text
        assert not [c for c in cells if c and c[0] in "=+-@"]
    else:
        ws, rows = _xlsx_rows(sheet)
        cells = {c.value: c for row in ws.iter_rows() for c in row}
        for text in FORMULAS:
            assert cells[text].data_type == "s"  # stored as the text itself, as a text cell
        assert cells[FORMULAS[0]].quotePrefix and cells[FORMULAS[3]].quotePrefix  # and Excel keeps it text when edited
    result = read_msel(sheet, loaded)
    assert [(i.get("message"), i.get("title"), i.get("expected")) for i in result.injects] == [
        (FORMULAS[0], FORMULAS[1], FORMULAS[2]), (FORMULAS[3], FORMULAS[4], None)]


def test_guard_and_unguard_undo_each_other():
    from drillsim.model.sheets import guard, unguard

    for text in [*FORMULAS, "plain", "", "'plain", "''=x", "it's = fine"]:
        assert unguard(guard(text)) == text
    assert guard("=1+1") == "'=1+1" and guard("plain") == "plain" and guard("'=x") == "''=x"


def _edit_csv(sheet, change):
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    change(rows)
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _row_of(rows, action):
    return next(k for k, r in enumerate(rows) if r[3] == action)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_editing_only_one_time_column_moves_the_inject(tmp_path, suffix):
    if suffix == ".xlsx":
        pytest.importorskip("openpyxl")
    path = _every_action(tmp_path)
    loaded = load_scenario(path)
    sheet = tmp_path / f"msel{suffix}"
    export_msel(loaded, sheet)

    def edit(column, value, action):
        if suffix == ".csv":
            _edit_csv(sheet, lambda rows: rows[_row_of(rows, action)].__setitem__(column, value))
        else:
            from openpyxl import load_workbook

            book = load_workbook(sheet)
            ws = book.worksheets[0]
            row = next(r for r in ws.iter_rows() if r[3].value == action)
            row[column].value = value
            book.save(sheet)

    def at_of(action):
        return next(i.at for i in read_msel(sheet, loaded).scenario.injects if i.action == action)

    assert at_of("fail_system") == 2.0
    edit(1, "T+2h30m", "fail_system")  # only the time after start: the clock column still says 22:00
    assert at_of("fail_system") == 2.5
    edit(2, "2025-09-27 02:00", "restore_system")  # only the local date-time (it was 23:00, T+3h)
    assert at_of("restore_system") == 6.0
    edit(1, "7h", "restore_system")  # now both differ from the export, and from each other
    with pytest.raises(MselError) as info:
        read_msel(sheet, loaded)
    row = 1 + next(k for k, r in enumerate(msel_rows(loaded)) if r["action"] == "restore_system") + 1
    assert (f"{sheet}: row {row}, column 'Local date-time': 2025-09-27 02:00 is T+6h but 'Time after start' says 7h "
            "(the export wrote T+3h and 2025-09-26 23:00): clear 'Local date-time' to use 7h, "
            "or clear 'Time after start' to use 2025-09-27 02:00") in str(info.value)


def test_a_sheet_exported_before_the_start_moved_keeps_its_times_after_start(tmp_path):
    path = _every_action(tmp_path)
    sheet = tmp_path / "msel.csv"
    export_msel(load_scenario(path), sheet)
    path.write_text(path.read_text(encoding="utf-8").replace("2025-09-26T20:00:00+09:00", "2025-09-26T22:00:00+09:00"), encoding="utf-8")
    moved = load_scenario(path)
    result = read_msel(sheet, moved)
    assert _dumps(result.scenario) == _dumps(moved.scenario)
    assert any("exported with the scenario starting 2025-09-26 20:00; it now starts 2025-09-26 22:00" in w for w in result.warnings)


def test_bad_xlsx_cells_name_file_row_and_column(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    loaded = load_scenario(_every_action(tmp_path))
    book = openpyxl.Workbook()
    ws = book.active
    ws.append([h for _, h in COLUMNS])
    ws.append(["", "0m", "", "destory", "room-1", "", "", "", ""])            # row 2
    ws.append(["", "1h", "", "fail", "room-9", "for=2h", "", "", ""])        # row 3
    ws.append(["", 2, "", "fail", "room-1", "", "", "", ""])                 # row 4: a number, no unit
    ws.append(["", "3h", "", "surge", "c2", "facter=2", "", "", ""])         # row 5
    path = tmp_path / "bad.xlsx"
    book.save(path)
    with pytest.raises(MselError) as info:
        read_msel(path, loaded)
    text = str(info.value)
    for line in [
        f"{path}: row 2, column 'Action': unknown action 'destory' (did you mean 'destroy'?)",
        f"{path}: row 4, column 'Time after start': '2'",
        f"{path}: row 5, column 'Details': 'facter' is not a detail of surge (surge takes factor, for) (did you mean 'factor'?)",
    ]:
        assert line in text, line
    assert text.endswith("problems in the events list")
    # Rows that parse are checked against the scenario, as for CSV.
    ws.delete_rows(2, 1)
    ws.delete_rows(3, 2)
    book.save(path)
    with pytest.raises(MselError, match=rf"{path}: row 2, column 'Target': unknown domain 'room-9'"):
        read_msel(path, loaded)
    # A formula typed into the workbook is not run: the cell is named.
    ws["H2"] = "=A1&B1"
    book.save(path)
    with pytest.raises(MselError, match=rf"{path}: row 2, column 'Message': a formula \(=A1&B1\): type the value itself"):
        read_msel(path, loaded)
    # Not a workbook at all, under an .xlsx name.
    path.write_text("ID,Action\n", encoding="utf-8")
    with pytest.raises(MselError, match=rf"{path}: not an XLSX workbook"):
        read_msel(path, loaded)


def test_injects_commands_with_a_workbook(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    path = _every_action(tmp_path)
    book = tmp_path / "list.xlsx"
    assert main(["injects", "export", str(path), "-o", str(book)]) == 0
    assert book.read_bytes()[:4] == b"PK\x03\x04"
    overlay = tmp_path / "plan.yaml"
    assert main(["injects", "import", str(path), str(book), "-o", str(overlay)]) == 0
    assert f"wrote {overlay}" in capsys.readouterr().out
    assert _dumps(load_scenario(overlay).scenario) == _dumps(load_scenario(path).scenario)

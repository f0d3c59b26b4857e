"""Validation never raises: each input below gets a located error (``file:line: path: message``), exit 2.

Each case is one small file, from the reliability campaign of issue 17: control characters, deep
nesting, long extends chains, over-long names, unhashable ids in overlays, and a duplicate id
inside a dependency cycle.
"""

from __future__ import annotations

import shutil
import textwrap

from cli_helpers import assert_located, run_cli

from drillsim.model.limits import MAX_DEPTH, MAX_EXTENDS

from helpers import SCENARIOS


def _fire(tmp_path):
    path = tmp_path / "example-room-fire.yaml"
    shutil.copy(SCENARIOS / "example-room-fire.yaml", path)
    return path


def test_a_nul_byte_is_located_with_its_line_and_column(tmp_path, capsys):
    path = tmp_path / "nul.yaml"
    text = _fire(tmp_path).read_text(encoding="utf-8").replace("name: Login service", "name: Login\x00service")
    path.write_text(text, encoding="utf-8")
    line = text[: text.index("\x00")].count("\n") + 1
    flat = assert_located(capsys, path, "U+0000", "control character")
    assert f"{path}:{line}:" in flat


def test_a_control_character_is_located(tmp_path, capsys):
    path = tmp_path / "bell.yaml"
    path.write_text("id: x\nname: ring\x07\n", encoding="utf-8")
    assert f"{path}:2:" in assert_located(capsys, path, "U+0007")


def test_nesting_a_thousand_levels_deep_names_the_limit(tmp_path, capsys):
    for name, text in (
        ("flow.yaml", "id: x\nnotes: " + "[" * 1000 + "]" * 1000 + "\n"),
        ("block.yaml", "id: x\nnotes:\n" + "".join("  " * i + "- \n" for i in range(1, 120))),
        ("tagged.yaml", "id: !!str x\nnotes: " + "[" * 1000 + "]" * 1000 + "\n"),  # the node-based builder
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert_located(capsys, path, f"more than {MAX_DEPTH} levels deep")


def test_a_deep_list_as_extends_is_located(tmp_path, capsys):
    path = tmp_path / "deep-extends.yaml"
    path.write_text("id: x\nextends: " + "[" * 999 + "]" * 999 + "\n", encoding="utf-8")
    assert f"{path}:2:" in assert_located(capsys, path, "levels deep")


def test_an_extends_chain_of_1200_files_stops_at_the_limit(tmp_path, capsys):
    for i in range(1200):
        body = f"id: x\nextends: f{i + 1}.yaml\n" if i < 1199 else "id: x\n"
        (tmp_path / f"f{i}.yaml").write_text(body, encoding="utf-8")
    code, _, err = run_cli(capsys, "validate", tmp_path / "f0.yaml")
    flat = " ".join(err.split())
    assert code == 2 and "Traceback" not in err
    assert f"longer than {MAX_EXTENDS} files" in flat
    assert f"f{MAX_EXTENDS - 1}.yaml:" in flat  # the last file read names the one past the limit


def test_an_extends_circle_is_still_a_circle(tmp_path, capsys):
    (tmp_path / "a.yaml").write_text("id: x\nextends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("id: x\nextends: a.yaml\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "validate", tmp_path / "a.yaml")
    assert code == 2 and "goes round in a circle" in " ".join(err.split())


def test_an_extends_of_300_characters_is_located(tmp_path, capsys):
    path = tmp_path / "long.yaml"
    path.write_text("id: x\nextends: " + "a" * 300 + ".yaml\n", encoding="utf-8")
    assert f"{path}:2: extends:" in assert_located(capsys, path, "too long", "'aaaa")


def test_a_timezone_of_300_characters_is_located(tmp_path, capsys):
    path = tmp_path / "tz.yaml"
    path.write_text("id: x\ntimezone: " + "A" * 300 + "\n", encoding="utf-8")
    assert f"{path}:2: timezone:" in assert_located(capsys, path, "unknown time zone", "'AAAA")


def test_an_id_that_is_a_list_or_a_mapping_in_an_overlay_is_located(tmp_path, capsys):
    _fire(tmp_path)
    for name, value in (("list", "[a, b]"), ("map", "{a: 1}")):
        path = tmp_path / f"overlay-{name}.yaml"
        path.write_text(f"extends: example-room-fire.yaml\nsystems:\n  - id: {value}\n    team: ops\n", encoding="utf-8")
        assert f"{path}:3: systems[0].id:" in assert_located(capsys, path, "valid string")


def test_a_duplicate_id_inside_a_dependency_cycle_reports_both(tmp_path, capsys):
    path = tmp_path / "dup-cycle.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            id: x
            domains: [{id: d}]
            teams: [{id: t, staff: 1}]
            systems:
              - {id: a, team: t, placements: [{domains: [d]}]}
              - {id: b, team: t, placements: [{domains: [d]}], depends_on: [a]}
              - {id: a, team: t, placements: [{domains: [d]}], depends_on: [b]}
            """
        ),
        encoding="utf-8",
    )
    flat = assert_located(capsys, path, "duplicate id 'a'", "hard dependencies form a cycle")
    assert f"{path}:7: systems[2].depends_on[0]:" in flat


def test_thousands_of_unknown_keys_list_the_first_errors_and_count_the_rest(tmp_path, capsys):
    from drillsim.model.limits import MAX_ERRORS

    path = tmp_path / "unknown.yaml"
    keys = "".join(f"    k{i}: 1\n" for i in range(2000))
    path.write_text(f"id: x\nsystems:\n  - id: a\n    team: t\n    placements: [{{domains: [d]}}]\n{keys}", encoding="utf-8")
    code, _, err = run_cli(capsys, "validate", path)
    assert code == 2 and "Traceback" not in err
    assert err.count("unknown field") == MAX_ERRORS
    flat = " ".join(err.split())
    assert f"... and {2000 - MAX_ERRORS:,} more error(s)" in flat and "2,000 error(s)" in flat
    assert f"{path}:6: systems[0].k0: unknown field 'k0'" in err


def test_unknown_references_among_many_systems_are_capped_and_still_suggest(tmp_path, capsys):
    from drillsim.model.limits import MAX_ERRORS

    path = tmp_path / "refs.yaml"
    rows = "".join(f"  - {{id: system-{i:05d}, team: t, placements: [{{domains: [d]}}], depends_on: [system-{i:05d}x]}}\n" for i in range(1500))
    path.write_text(f"id: x\ndomains: [{{id: d}}]\nteams: [{{id: t, staff: 1}}]\nsystems:\n{rows}", encoding="utf-8")
    code, _, err = run_cli(capsys, "validate", path)
    flat = " ".join(err.split())
    assert code == 2 and "1,500 error(s)" in flat and f"... and {1500 - MAX_ERRORS:,} more" in flat
    # 1,500 ids: the did-you-mean looks among the nearest in sorted order, and finds the typo's source.
    assert "unknown system 'system-00000x' (did you mean 'system-00000'?)" in flat

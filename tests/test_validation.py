"""Every validation error a user can make: the message names the file, the path and the line."""

from __future__ import annotations

import textwrap

import pytest

from drillsim.cli import main
from drillsim.model import ScenarioError, Severity, load_scenario

BASE = """\
id: base
start: 2025-01-06T09:00:00+09:00
domains:
  - {id: dc, kind: site}
  - {id: room-a, kind: room, parent: dc}
  - {id: vault, kind: site}
teams:
  - {id: ops, staff: 2}
systems:
  - id: gpki
    team: ops
    placements: [{domains: [room-a]}]
  - id: saeol
    team: ops
    placements: [{domains: [room-a]}]
    depends_on: [gpki]
"""


def write(tmp_path, text, name="s.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors_of(path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return [d for d in info.value.diagnostics if d.severity is Severity.error]


def one_error(path):
    errors = errors_of(path)
    assert len(errors) == 1, [e.format() for e in errors]
    return errors[0]


def test_base_is_valid(tmp_path):
    loaded = load_scenario(write(tmp_path, BASE))
    assert [s.id for s in loaded.scenario.systems] == ["gpki", "saeol"]


def test_unknown_id_with_did_you_mean(tmp_path):
    path = write(tmp_path, BASE.replace("depends_on: [gpki]", "depends_on: [gpky]"))
    error = one_error(path)
    assert error.path == ("systems", 1, "depends_on", 0)
    assert error.line == 16
    assert error.file == str(path.resolve())
    assert "unknown system 'gpky'" in error.message and "did you mean 'gpki'" in error.message
    assert error.format().startswith(f"{path.resolve()}:16: systems[1].depends_on[0]: ")


def test_duplicate_ids(tmp_path):
    path = write(tmp_path, BASE.replace("  - {id: vault, kind: site}", "  - {id: dc, kind: site}"))
    error = one_error(path)
    assert error.path == ("domains", 2, "id") and error.line == 6
    assert "duplicate id 'dc'" in error.message


def test_placement_in_unknown_domain(tmp_path):
    path = write(tmp_path, BASE.replace("  - id: gpki\n    team: ops\n    placements: [{domains: [room-a]}]", "  - id: gpki\n    team: ops\n    placements: [{domains: [room-b]}]"))
    error = one_error(path)
    assert error.path == ("systems", 0, "placements", 0, "domains", 0)
    assert "unknown domain 'room-b'" in error.message and "room-a" in error.message


@pytest.mark.parametrize(
    "field, value, fragment, quoted",
    [
        ("rto", "0m", "positive duration", "'0m'"),
        ("rto", "-2h", "is negative", "'-2h'"),
        ("rto", "4", "has no unit", "4"),
        ("detection", "{dist: exponential, mean: 0h}", "positive duration", "'0h'"),
    ],
)
def test_bad_durations(tmp_path, field, value, fragment, quoted):
    path = write(tmp_path, BASE.replace("  - id: saeol\n    team: ops\n", f"  - id: saeol\n    team: ops\n    {field}: {value}\n"))
    error = one_error(path)
    assert error.path[:3] == ("systems", 1, field)
    assert error.line == 15
    assert fragment in error.message
    assert quoted in error.message  # the bad value is quoted


@pytest.mark.parametrize("value", ["1.5", "-0.1"])
def test_probability_out_of_range(tmp_path, value):
    path = write(tmp_path, BASE.replace("  - id: saeol\n    team: ops\n", f"  - id: saeol\n    team: ops\n    redundancy: {{mode: none, success: {value}}}\n"))
    error = one_error(path)
    assert error.path == ("systems", 1, "redundancy", "success")
    assert value in error.message


def test_hard_dependency_cycle_prints_the_cycle(tmp_path):
    text = BASE.replace("  - id: gpki\n    team: ops\n", "  - id: gpki\n    team: ops\n    depends_on: [saeol]\n")
    error = one_error(write(tmp_path, text))
    assert "gpki -> saeol -> gpki" in error.message
    assert error.path == ("systems", 0, "depends_on", 0)


def test_soft_cycle_is_allowed(tmp_path):
    text = BASE.replace("  - id: gpki\n    team: ops\n", "  - id: gpki\n    team: ops\n    depends_on: [{system: saeol, kind: soft}]\n")
    loaded = load_scenario(write(tmp_path, text))  # no error raised
    assert loaded.scenario.system_index["gpki"].depends_on[0].system == "saeol"
    assert not [d for d in loaded.warnings if "cycle" in d.message]


def test_gdrive_trap_is_a_warning(tmp_path):
    text = BASE + "    data: {size: 858TB, backups: [{every: 1d, in: [room-a]}]}\n"
    loaded = load_scenario(write(tmp_path, text))
    warnings = [d for d in loaded.warnings if "G-Drive" in d.message]
    assert len(warnings) == 1 and warnings[0].path == ("systems", 1, "data")
    # A copy in another site clears it.
    text = BASE + "    data: {size: 858TB, backups: [{every: 1d, in: [vault]}]}\n"
    assert not [d for d in load_scenario(write(tmp_path, text)).warnings if "G-Drive" in d.message]
    # No copy at all is the worst case, and says so.
    text = BASE + "    data: {size: 858TB}\n"
    assert any("no backup or replica" in d.message for d in load_scenario(write(tmp_path, text)).warnings)


def test_gdrive_warning_quotes_the_id_once(tmp_path):
    text = BASE + "    data: {size: 858TB, backups: [{every: 1d, in: [room-a]}]}\n"
    (warning,) = [d for d in load_scenario(write(tmp_path, text)).warnings if "G-Drive" in d.message]
    assert "the data of 'saeol' shares" in warning.message and "''" not in warning.message


def test_a_tab_says_to_indent_with_spaces(tmp_path):
    error = one_error(write(tmp_path, "id: x\nsystems:\n\t- id: a\n"))
    assert error.line == 3 and "'\\t'" in error.message and error.message.endswith("indent with spaces, not tabs")


FIRE = """\
id: fire
start: 2025-01-06T09:00:00+09:00
domains:
  - {id: dc, kind: site}
  - {id: room-a, kind: room, parent: dc}
  - {id: room-b, kind: room, parent: dc}
  - {id: dr, kind: site}
  - {id: vault, kind: site}
teams:
  - {id: ops, staff: 2}
systems:
  - id: portal
    team: ops
    placements: [{domains: [room-a]}]
    data: {size: 1TB, backups: [{every: 1d, in: [%(backup)s]}]}
    recovery:
      - {kind: %(kind)s, target: [%(target)s], staff: 1, duration: 4h}
injects:
  - {at: 1h, destroy: room-a}
%(extra)s"""


def futile(tmp_path, **fields):
    values = {"backup": "room-a", "kind": "restore", "target": "dr", "extra": "", **fields}
    loaded = load_scenario(write(tmp_path, FIRE % values))
    return [d for d in loaded.warnings if "no step of its runbook" in d.message]


def test_a_runbook_that_can_never_succeed_is_a_located_warning(tmp_path):
    (warning,) = futile(tmp_path)  # its only backup burns with it: nothing to restore from
    assert warning.severity is Severity.warning and warning.path == ("systems", 0, "recovery")
    assert warning.line == 16 and warning.file.endswith("s.yaml")
    assert "'portal' is destroyed at 1h (with room-a)" in warning.message
    assert "restore: no copy of its data is left outside the destroyed domains" in warning.message
    # Restoring into a site that is destroyed too (and never restored) cannot work either.
    (warning,) = futile(tmp_path, backup="vault", target="room-b", extra="  - {at: 30m, destroy: room-b}\n")
    assert "the target room-b is destroyed and never restored" in warning.message
    # A rebuild in place waits for a room that nothing ever makes usable again.
    (warning,) = futile(tmp_path, kind="rebuild", target="room-a")
    assert "room-a is destroyed and never restored" in warning.message


def test_a_runbook_that_may_succeed_is_not_warned_about(tmp_path):
    assert not futile(tmp_path, backup="vault")  # a copy outside the fire
    assert not futile(tmp_path, backup="vault", target="room-b", extra="  - {at: 5h, destroy: room-b}\n")  # burns later
    assert not futile(tmp_path, kind="rebuild", target="room-a", extra="  - {at: 3d, restore: room-a}\n")  # rebuilt room
    assert not futile(tmp_path, kind="rebuild", target="dr")  # rebuilt elsewhere, empty: it comes back


def test_malformed_yaml(tmp_path):
    error = one_error(write(tmp_path, "id: x\nsystems: [\n  {id: a\n"))
    assert "malformed YAML" in error.message and error.line is not None


def test_unsafe_tags_are_refused(tmp_path):
    error = one_error(write(tmp_path, "id: x\nnotes: !!python/object/apply:os.system [echo hi]\n"))
    assert "not allowed" in error.message or "safe loading" in error.message
    assert error.line == 2


def test_duplicate_keys_are_refused(tmp_path):
    once = "    team: ops\n    placements: [{domains: [room-a]}]\n    depends_on"
    twice = "    team: ops\n    team: ops\n    placements: [{domains: [room-a]}]\n    depends_on"
    error = one_error(write(tmp_path, BASE.replace(once, twice, 1)))
    assert "duplicate key 'team'" in error.message


def test_unknown_field_with_did_you_mean(tmp_path):
    error = one_error(write(tmp_path, BASE.replace("  - id: saeol\n    team: ops\n", "  - id: saeol\n    team: ops\n    grde: 1\n")))
    assert error.path == ("systems", 1, "grde")
    assert "did you mean 'grade'" in error.message


def test_staff_beyond_team_size(tmp_path):
    text = BASE.replace("    depends_on: [gpki]\n", "    depends_on: [gpki]\n    recovery: [{kind: restart, staff: 5}]\n")
    error = one_error(write(tmp_path, text))
    assert "never has more than 2" in error.message


def test_all_errors_are_reported_together(tmp_path):
    # Two schema errors in one file: both listed, each with its line.
    text = BASE.replace("{id: ops, staff: 2}", "{id: ops, staff: 0}").replace("  - id: saeol\n    team: ops\n", "  - id: saeol\n    team: ops\n    rto: 4\n")
    errors = errors_of(write(tmp_path, text))
    assert sorted(e.path for e in errors) == [("systems", 1, "rto"), ("teams", 0, "staff")]
    assert sorted(e.line for e in errors) == [8, 15]
    # Two reference errors: both listed too (schema errors come first, then the cross-entry checks).
    text = BASE.replace("depends_on: [gpki]", "depends_on: [gpky]").replace("  - id: saeol\n    team: ops\n", "  - id: saeol\n    team: opz\n")
    errors = errors_of(write(tmp_path, text))
    assert sorted(e.path for e in errors) == [("systems", 1, "depends_on", 0), ("systems", 1, "team")]


def test_extends_overlay_merges_by_id_and_keeps_lines(tmp_path):
    write(tmp_path, BASE, "model.yaml")
    variant = write(
        tmp_path,
        """\
        extends: model.yaml
        id: variant
        systems:
          - id: saeol
            depends_on: [{any_of: [gpki, mobile-id]}]
          - id: mobile-id
            team: ops
            placements: [{domains: [vault]}]
        """,
        "variant.yaml",
    )
    loaded = load_scenario(variant)
    s = loaded.scenario
    assert [x.id for x in s.systems] == ["gpki", "saeol", "mobile-id"]
    assert s.system_index["saeol"].depends_on[0].any_of == ["gpki", "mobile-id"]
    assert s.system_index["saeol"].placements[0].domains == ["room-a"]  # kept from the model
    # An error in the overlay points at the overlay's line; one in the base at the base's.
    bad = write(tmp_path, variant.read_text().replace("mobile-id]", "mobile-idd]"), "bad.yaml")
    error = one_error(bad)
    assert error.file == str(bad.resolve()) and error.line == 5


def test_extends_missing_file_and_cycles(tmp_path):
    error = one_error(write(tmp_path, "extends: nowhere.yaml\nid: x\n"))
    assert "does not exist" in error.message
    write(tmp_path, "extends: b.yaml\nid: a\n", "a.yaml")
    write(tmp_path, "extends: a.yaml\nid: b\n", "b.yaml")
    error = one_error(tmp_path / "a.yaml")
    assert "circle" in error.message


def test_remove_entry_by_id(tmp_path):
    write(tmp_path, BASE, "model.yaml")
    path = write(tmp_path, "extends: model.yaml\nid: v\nsystems:\n  - {id: saeol, remove: true}\n", "v.yaml")
    assert [x.id for x in load_scenario(path).scenario.systems] == ["gpki"]


def test_validate_command_exit_codes(tmp_path, capsys):
    good = write(tmp_path, BASE, "good.yaml")
    bad = write(tmp_path, BASE.replace("depends_on: [gpki]", "depends_on: [gpky]"), "bad.yaml")
    assert main(["validate", str(good)]) == 0
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "systems[1].depends_on[0]" in err and "bad.yaml:16" in err and "Traceback" not in err
    assert main(["validate", str(tmp_path / "missing.yaml")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_schema_command_emits_json_schema(capsys):
    import json

    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "drillsim scenario"
    assert "systems" in schema["properties"]
    # Durations are documented as strings with units, and 'in' (the YAML alias) is used.
    assert "Backup" in schema["$defs"] and "in" in schema["$defs"]["Backup"]["properties"]


def test_merge_shares_untouched_parts_and_changes_no_input():
    import copy

    from drillsim.model.overlays import merge
    from drillsim.model.yamlio import loads_yaml

    base = loads_yaml(BASE, "base.yaml")
    patch = loads_yaml("systems:\n  - {id: saeol, grade: 1}\n  - {id: extra, team: ops, placements: [{domains: [dc]}]}\n", "p.yaml")
    before_base, before_patch = copy.deepcopy(base), copy.deepcopy(patch)
    out = merge(base, patch, top_level=True)
    assert base == before_base and patch == before_patch  # inputs unchanged
    assert out["domains"] is base["domains"]  # untouched: shared, not copied
    assert out["systems"][0] is base["systems"][0]
    assert out["systems"][1] is not base["systems"][1] and out["systems"][1]["grade"] == 1
    assert out["systems"][1]["placements"] is base["systems"][1]["placements"]
    assert [s["id"] for s in out["systems"]] == ["gpki", "saeol", "extra"]

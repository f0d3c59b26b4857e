"""Every shell command of the README's code blocks runs, in README order, in an empty folder per part.

Commands are taken from the fenced blocks without a language (or marked sh, bash, shell,
console). Each runs verbatim unless ``tests/readme_substitutions.py`` lists it, with the reason
and what runs instead. ``drillsim ...`` runs through :func:`drillsim.cli.main` in this process
(the same code as the script, without paying the start-up per command), ``python3 ...`` in a
subprocess with the tree under test on ``PYTHONPATH``. The folder sees the repository's
``scenarios/`` and ``benchmarks/`` (linked), so later commands find what earlier ones wrote
(the drill's journal, the exported events list). Anything else (another program, a shell
redirection) fails until the table says how to run it. The commands run in parts (:data:`GROUPS`,
:data:`FOLLOWS`, :data:`EACH_ALONE`): a part holds every command that reads what another wrote,
and the parts are separate tests, so that pytest-xdist spreads them over its workers.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from readme_substitutions import SUBSTITUTIONS, Substitution

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SHELL_BLOCKS = {"", "sh", "bash", "shell", "console"}
SHELL_SYNTAX = {"|", ">", ">>", "<", "2>", "&", ";", "||"}


def readme_commands(text: str) -> list[str]:
    """The shell commands of the README's code blocks, in order, each normalised by :func:`canonical`."""
    return [command for _section, command in readme_commands_by_section(text)]


def readme_commands_by_section(text: str) -> list[tuple[str, str]]:
    """(the ``##`` section a command is under, the command) for every shell command of the README, in order."""
    commands: list[tuple[str, str]] = []
    block: str | None = None
    pending = ""
    section = ""
    for line in text.splitlines():
        heading = re.match(r"^##\s+(.*)$", line)
        if heading and block is None:
            section = heading.group(1).strip()
        fence = re.match(r"^\s*```(.*)$", line)
        if fence:
            block = fence.group(1).strip().lower() if block is None else None
            continue
        if block is None or block not in SHELL_BLOCKS:
            continue
        line = re.sub(r"^\$\s+", "", line.strip())
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        tokens = shlex.split(line, comments=True)
        while tokens:
            cut = tokens.index("&&") if "&&" in tokens else len(tokens)
            if tokens[:cut]:
                commands.append((section, shlex.join(tokens[:cut])))
            tokens = tokens[cut + 1 :]
    return commands


def canonical(command: str) -> str:
    """One spelling per command: shell words re-quoted, comments and extra spaces dropped."""
    return shlex.join(shlex.split(command, comments=True))


TABLE: dict[str, Substitution] = {canonical(k): v for k, v in SUBSTITUTIONS.items()}


def test_the_readme_has_commands_and_the_table_no_stale_entries():
    commands = readme_commands(README.read_text(encoding="utf-8"))
    assert len(commands) >= 20, commands  # the parser finds the README's blocks
    assert "drillsim run scenarios/example-room-fire.yaml" in commands  # the half of an 'a && b' line
    stale = sorted(set(TABLE) - set(commands))
    assert not stale, f"tests/readme_substitutions.py lists commands the README no longer has: {stale}"
    for key, sub in TABLE.items():
        assert sub.why.strip(), f"{key}: a substitution says why"
        assert not sub.keys or len(sub.run) == 1, f"{key}: keys drive exactly one command"


def test_the_parser_reads_blocks_continuations_and_comments():
    text = "\n".join(
        [
            "```yaml", "id: not-a-command", "```",
            "```", "drillsim batch a.yaml \\", "  b.yaml --runs 3   # the comment", "python3 -m pip install -e . && drillsim run x.yaml", "```",
            "```python", "print('not shell')", "```",
            "```sh", "$ drillsim check --list", "```",
        ]
    )
    assert readme_commands(text) == [
        "drillsim batch a.yaml b.yaml --runs 3",
        "python3 -m pip install -e .",
        "drillsim run x.yaml",
        "drillsim check --list",
    ]


def _run_drillsim(args: list[str], keys: tuple[str, ...], monkeypatch, capsys) -> tuple[int, str]:
    from drillsim.cli import main

    if keys:
        import textual.app

        original = textual.app.App.run

        async def auto_pilot(pilot) -> None:
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
                await pilot.app.workers.wait_for_complete()
            if pilot.app.is_running:  # the keys should have quit; never leave the app running
                pilot.app.exit()

        def headless(self, **kwargs):
            return original(self, headless=True, size=(120, 40), auto_pilot=auto_pilot)

        monkeypatch.setattr(textual.app.App, "run", headless)
    try:
        code = main(args)
    finally:
        monkeypatch.undo()
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _run_python(args: list[str], cwd: Path) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout + done.stderr


GROUPS: dict[str, tuple[str, ...]] = {
    "drill": ("", "Drill"),
    "reports": ("Reports",),
    "batch": ("Batch",),
    "invest": ("Invest",),
    "check": ("Validation against theory",),
    "development": ("Development",),
}
"""The README's sections, in groups that run apart (each in its own folder, so the suite can run
them side by side): a group holds the sections whose commands read what earlier ones wrote."""

FOLLOWS: dict[str, str] = {"my-drill.journal.jsonl": "drill"}
"""A command naming one of these files reads what that group's commands wrote (the drill's
journal): it runs in that group, after them, whatever section it is under (the after-action
report of the drill, in Reports)."""

EACH_ALONE = {"development"}
"""Groups whose commands read nothing another one wrote (each benchmark on its own): each command
is a part of its own, so that the suite can run them side by side too."""


def readme_parts(text: str) -> dict[str, list[str]]:
    """The README's commands by the part that runs them, in README order within a part (see :data:`GROUPS`)."""
    group_of = {section: group for group, sections in GROUPS.items() for section in sections}
    parts: dict[str, list[str]] = {}
    for section, command in readme_commands_by_section(text):
        group = next((g for name, g in FOLLOWS.items() if name in shlex.split(command)), group_of.get(section))
        if group is None:
            continue  # test_every_readme_section_is_in_a_group names it
        sub = TABLE.get(command)
        if group in EACH_ALONE:
            if sub is not None and not sub.run:
                continue  # nothing runs in its place: a part of its own would prove nothing
            group = f"{group}: {command}"
        parts.setdefault(group, []).append(command)
    return parts


PARTS = readme_parts(README.read_text(encoding="utf-8"))


def _check_drill(folder: Path) -> None:
    from drillsim.drill import read_journal

    played = [e.describe() for e in read_journal(folder / "my-drill.journal.jsonl").entries]
    assert len(played) >= 3 and played[-1].startswith("advance"), played  # the drill's keys, then the resumed drill's +15 min
    assert list((folder / "reports").glob("*.html")) and list((folder / "reports").glob("*.md"))  # the drill's after-action report


def _check_reports(folder: Path) -> None:
    assert list((folder / "reports").glob("*.html")) and list((folder / "reports").glob("*.md"))  # the runbook's report
    assert (folder / "msel.csv").exists() and (folder / "nirs-edited.yaml").exists()
    assert (folder / "msel.xlsx").read_bytes()[:4] == b"PK\x03\x04"


def _check_batch(folder: Path) -> None:
    assert list(folder.glob("drillsim-batch/*/summary.json"))


AFTERWARDS = {"drill": _check_drill, "reports": _check_reports, "batch": _check_batch}
"""What a group's commands were for, checked on the files they left (the drill's journal, reports, the batch's files, the events list)."""


def test_every_readme_section_is_in_a_group():
    sections = {section for section, _command in readme_commands_by_section(README.read_text(encoding="utf-8"))}
    grouped = {s for group in GROUPS.values() for s in group}
    assert sections <= grouped, f"README sections with commands but no group in GROUPS: {sorted(sections - grouped)}"


def test_the_parts_hold_every_command_that_runs_once_and_the_drill_before_its_report():
    commands = readme_commands(README.read_text(encoding="utf-8"))
    in_parts = [c for part in PARTS.values() for c in part]
    runs_something = {c for c in commands if c not in TABLE or TABLE[c].run}
    assert runs_something <= set(in_parts) <= set(commands)
    assert all(in_parts.count(c) == commands.count(c) for c in runs_something)  # each README line that runs, once
    drill = PARTS["drill"]
    assert drill.index("drillsim report my-drill.journal.jsonl -o reports/") > drill.index(
        "drillsim drill scenarios/example-room-fire.yaml --seed 7 --journal my-drill.journal.jsonl"
    )
    assert not any("my-drill.journal.jsonl" in c for c in PARTS["reports"])
    assert sum(p.startswith("development: ") for p in PARTS) >= 4
    assert {p.split(": ")[0] for p in PARTS} == set(GROUPS)  # no group lost its commands


@pytest.mark.parametrize("group", list(PARTS))
def test_every_readme_command_runs(group, tmp_path, monkeypatch, capsys):
    for name in ("scenarios", "benchmarks"):
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    ran = []
    commands = PARTS[group]
    for command in commands:
        sub = TABLE.get(command)
        for name, source in (sub.files if sub else {}).items():
            shutil.copyfile(ROOT / source, tmp_path / name)
        for actual in sub.run if sub else (command,):
            words = shlex.split(actual)
            assert not SHELL_SYNTAX & set(words), f"{actual!r} needs a shell: list it in tests/readme_substitutions.py"
            if words[0] == "drillsim":
                code, output = _run_drillsim(words[1:], sub.keys if sub else (), monkeypatch, capsys)
                monkeypatch.chdir(tmp_path)  # undo() above restored the working folder too
            elif words[0] in ("python3", "python"):
                code, output = _run_python(words[1:], tmp_path)
            else:
                pytest.fail(f"{actual!r}: no way to run {words[0]!r} here: list it in tests/readme_substitutions.py")
            assert code == 0, f"README command {command!r} (ran {actual!r}) exited {code}:\n{output[-3000:]}"
            assert "Traceback" not in output, f"{actual!r}:\n{output[-3000:]}"
            ran.append(actual)
    if group in AFTERWARDS:
        AFTERWARDS[group](tmp_path)

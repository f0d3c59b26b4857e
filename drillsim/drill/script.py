"""Scripted actions files: a drill played from a file (``drillsim run SCENARIO --actions FILE``).

A script is YAML: when each command is given (a time after the scenario start), and the
answers to the scenario's decisions, given when each decision opens::

    # scenarios/drills/nirs-orders.yaml
    seed: 0                       # optional; drillsim run --seed wins
    decisions:                    # standing answers, given the moment each decision opens
      burned-systems: mixed
      vendor-engineers: accept
    commands:                     # in time order; the same one-line commands as in the app
      - 0m: work all by grade
      - 0m: hold in:daejeon-room-7
      - 8d12h: release all
      - 20d: say The minister visits the center tomorrow.
      - 100d: end

Commands are the app's (:mod:`.commands`): orders, ``decide``, ``act``, the facilitator's
injects, ``end``. The drill advances to each command's time (answering the decisions that open
on the way), gives the command, and runs on to the horizon (or the ``end``). A bad line is
reported as ``FILE:LINE: commands[K]: message`` with a did-you-mean for unknown teams, sites,
grades, systems, decisions and options (exit status 2 from the command line); an order that
would do nothing is refused at its line too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import DrillsimError, LoadedScenario
from ..model.diagnostics import ScenarioError
from ..model.suggest import did_you_mean
from ..model.timefmt import fmt_elapsed
from ..model.units import parse_duration
from ..model.yamlio import LocDict, LocList, load_yaml
from .selection import OrderError
from .session import DrillSession

__all__ = ["Script", "ScriptLine", "load_script", "play_script", "SCRIPT_KEYS"]

SCRIPT_KEYS = ("seed", "decisions", "commands")
"""The keys of a script file."""


@dataclass(frozen=True)
class ScriptLine:
    """One command of a script: when, what, and where it was written."""

    at: float
    """Hours after the scenario start."""
    text: str
    where: str
    """``FILE:LINE: commands[K]`` (for messages)."""


@dataclass
class Script:
    """A scripted drill: the commands in time order, the standing decision answers, the seed."""

    path: Path
    lines: list[ScriptLine] = field(default_factory=list)
    decisions: dict[str, str] = field(default_factory=dict)
    seed: int | None = None

    @property
    def counted(self) -> int:
        """Commands the team gives: the script's commands (other than ``end``) and its decision answers."""
        return sum(1 for line in self.lines if line.text.split()[0] != "end") + len(self.decisions)


def _where(path: Path, node: Any, key: Any, label: str) -> str:
    loc = node.locs.get(key) if isinstance(node, LocDict) else (node.locs[key] if isinstance(node, LocList) and 0 <= key < len(node.locs) else None)
    line = f":{loc.line}" if loc is not None else ""
    return f"{path}{line}: {label}"


def _time(text: str, where: str) -> float:
    raw = text.strip()
    body = raw[2:] if raw.lower().startswith("t+") else raw
    try:
        return parse_duration(body)
    except ValueError as exc:
        raise DrillsimError(f"{where}: bad time {raw!r}: {exc} (write 0m, 36h, 2d12h or T+2d12h: after the scenario start)") from None


def load_script(path: str | Path, loaded: LoadedScenario) -> Script:
    """Read and check a script (its times, its decision answers); DrillsimError ``FILE:LINE: path: message``."""
    path = Path(path)
    try:
        data = load_yaml(path)
    except ScenarioError as exc:
        raise DrillsimError(str(exc).rsplit("\n", 1)[0]) from None
    if not isinstance(data, dict):
        raise DrillsimError(f"{path}: a script is a mapping with {', '.join(SCRIPT_KEYS)} (see drillsim run --help)")
    script = Script(path)
    for key in data:
        if key not in SCRIPT_KEYS:
            raise DrillsimError(f"{_where(path, data, key, str(key))}: unknown key{did_you_mean(str(key), SCRIPT_KEYS)} (keys: {', '.join(SCRIPT_KEYS)})")
    if "seed" in data:
        if not isinstance(data["seed"], int) or isinstance(data["seed"], bool) or data["seed"] < 0:
            raise DrillsimError(f"{_where(path, data, 'seed', 'seed')}: a seed is a whole number >= 0, not {data['seed']!r}")
        script.seed = data["seed"]
    answers = data.get("decisions") or {}
    if not isinstance(answers, dict):
        raise DrillsimError(f"{_where(path, data, 'decisions', 'decisions')}: map each decision to its option, e.g. burned-systems: mixed")
    index = loaded.scenario.decision_index
    for decision, option in answers.items():
        where = _where(path, answers, decision, f"decisions.{decision}")
        if decision not in index:
            raise DrillsimError(f"{where}: unknown decision {decision!r}{did_you_mean(str(decision), index)} (decisions: {', '.join(index) or 'none'})")
        options = [o.id for o in index[decision].options]
        if option not in options:
            raise DrillsimError(f"{where}: decision {decision!r} has no option {option!r}{did_you_mean(str(option), options)} (options: {', '.join(options)})")
        script.decisions[str(decision)] = str(option)
    commands = data.get("commands") or []
    if not isinstance(commands, list):
        raise DrillsimError(f"{_where(path, data, 'commands', 'commands')}: a list of 'TIME: COMMAND' items, e.g. - 0m: work all by grade")
    last = 0.0
    for k, item in enumerate(commands):
        where = _where(path, commands, k, f"commands[{k}]")
        if not isinstance(item, dict) or len(item) != 1:
            raise DrillsimError(f"{where}: write each command as 'TIME: COMMAND', e.g. - 2d12h: hold in:daejeon-room-7, not {item!r}")
        (when, text), = item.items()
        at = _time(str(when), where)
        if at < last - 1e-9:
            raise DrillsimError(f"{where}: {when} comes before the command above it ({fmt_elapsed(last)}): list commands in time order")
        if not isinstance(text, str) or not text.strip():
            raise DrillsimError(f"{where}: the command at {when} is empty")
        last = at
        script.lines.append(ScriptLine(at, " ".join(text.split()), where))
    return script


def play_script(session: DrillSession, script: Script) -> DrillSession:
    """Play ``script`` on ``session`` to the horizon (or its ``end``); DrillsimError at the first line that cannot be given."""
    for line in script.lines:
        _advance(session, min(line.at, session.end), script)
        if session.ended:
            raise DrillsimError(f"{line.where}: the drill has already ended: nothing comes after 'end'")
        try:
            session.line(line.text)
        except DrillsimError as exc:
            raise DrillsimError(f"{line.where}: {exc}") from None
    if not session.ended:
        _advance(session, session.end, script)
    return session


def _advance(session: DrillSession, to: float, script: Script) -> None:
    """Advance to ``to``, answering each decision with a standing answer as it opens."""
    for _ in range(1000):
        _answer(session, script)
        if session.now >= to - 1e-9 or session.done:
            return
        session.advance(to)
    raise DrillsimError(f"{script.path}: more than 1000 decisions opened before {fmt_elapsed(to)}")


def _answer(session: DrillSession, script: Script) -> None:
    for decision in list(session.pending_decisions):
        option = script.decisions.get(decision)
        if option is not None:
            try:
                session.decide(decision, option)
            except OrderError as exc:  # pragma: no cover - checked when loaded
                raise DrillsimError(f"{script.path}: decisions.{decision}: {exc}") from None

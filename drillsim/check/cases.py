"""Validation cases: a scenario, the outputs to measure, and what theory says they are.

A case is a YAML file (the built-in ones are in ``drillsim/check/cases/``; ``drillsim check``
takes more as arguments)::

    case: one-component                  # a name (letters, digits, - _ . :)
    title: One repairable component, MTBF 1000h, MTTR 10h
    runs: 400                            # replications (drillsim check --runs overrides)
    checks:                              # one or more outputs of the same runs
      - system: app
        output: availability             # see OUTPUTS
        theory:
          formula: availability          # a formula of drillsim.check.theory ...
          inputs: {mtbf: 1000h, mttr: 10h}
      - system: app
        output: downtime_hours
        theory: {value: 867.3}           # ... or a number
    scenario:                            # a scenario document, or a file name relative to this file
      id: one-component
      horizon: 10y
      ...

Formula inputs are numbers, durations (``1000h``: hours), arrival rates (``9/h``: per hour),
lists of those, or a duration distribution mapping (``{dist: lognormal, mean: 10h, cv: 1.5}``).
The outputs are read from the :class:`~drillsim.engine.results.RunResult` of each run: the
same numbers a user sees, never a side channel.
"""

from __future__ import annotations

import inspect
import math
import typing
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, TypeAdapter, ValidationError

from ..engine.results import RunResult
from ..model.common import Id, Strict
from ..model.diagnostics import Diagnostic, DrillsimError, ScenarioError, Severity
from ..model.distributions import DurationDist
from ..model.loading import load_scenario, scenario_from_data
from ..model.queueing import parse_arrival_rate
from ..model.scenario import Scenario
from ..model.units import parse_duration
from ..model.yamlio import load_yaml, locate
from .theory import FORMULAS, formula_help

__all__ = ["OUTPUTS", "Case", "Check", "load_case", "builtin_cases", "measure", "CaseFile"]

Output = Literal[
    "availability",
    "unavailability",
    "downtime_hours",
    "outages",
    "data_loss_hours",
    "queue.mean_wait",
    "queue.p_wait",
    "queue.blocked",
    "queue.abandoned",
]
"""What a check can measure on a system: from its SystemResult, or (queue.*) its QueueResult (times in hours)."""

OUTPUTS: tuple[str, ...] = typing.get_args(Output)
"""The same, as a tuple (for messages and listings)."""


class TheorySpec(Strict):
    """The theoretical value: a number, or a named formula with its inputs."""

    value: float | None = Field(default=None, description="The value itself.")
    formula: str | None = Field(default=None, description="A formula of drillsim.check.theory (see FORMULAS).")
    inputs: dict[str, Any] = Field(default_factory=dict, description="The formula's inputs.")


class CheckSpec(Strict):
    """One output of a case and its theoretical value."""

    system: Id = Field(description="The system whose output is measured.")
    output: Output = Field(description="What is measured (see OUTPUTS).")
    theory: TheorySpec = Field(description="What theory says it is.")
    label: str | None = Field(default=None, description="How the check reads in the report (default: system and output).")


class CaseFile(Strict):
    """A validation case file."""

    case: Id = Field(description="The case's name.")
    title: str | None = Field(default=None, description="One line saying what is checked.")
    description: str | None = Field(default=None, description="More about the case: the model, what must be zero or instant.")
    runs: int = Field(default=100, ge=2, description="Replications (each with its own seed).")
    checks: list[CheckSpec] = Field(min_length=1, description="Outputs to compare with theory.")
    scenario: str | dict[str, Any] = Field(description="A scenario document, or the path of a scenario file relative to the case file.")


@dataclass
class Check:
    """One output of a case, with its theoretical value."""

    system: str
    output: str
    theory: float
    theory_text: str
    label: str


@dataclass
class Case:
    """A loaded, validated case: a scenario ready to run and the checks on its results."""

    name: str
    title: str
    runs: int
    checks: list[Check]
    scenario: Scenario
    source: str
    description: str = ""
    warnings: list[str] = field(default_factory=list)


def measure(result: RunResult, system: str, output: str) -> float:
    """The value of ``output`` for ``system`` in one run's result (NaN when the run did not produce it)."""
    if output.startswith("queue."):
        queue = result.queues.get(system)
        if queue is None:
            raise DrillsimError(f"{system!r} has no queueing block: {output} needs one")
        return float(queue.metric(output.removeprefix("queue.")))
    s = result.system(system)
    if output == "availability":
        return s.availability
    if output == "unavailability":
        return 1.0 - s.availability
    if output == "downtime_hours":
        return s.downtime_hours
    if output == "outages":
        return float(s.outages)
    if output == "data_loss_hours":
        return math.nan if s.data_loss_hours is None else s.data_loss_hours
    raise DrillsimError(f"unknown output {output!r}: use {', '.join(OUTPUTS)}")


_DIST = TypeAdapter(DurationDist)


def _input_value(value: Any) -> Any:
    """A formula input as a number: durations in hours, rates per hour, lists element-wise, distributions as objects."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        if "/" in value:
            return parse_arrival_rate(value)
        return parse_duration(value)
    if isinstance(value, list):
        return [_input_value(v) for v in value]
    if isinstance(value, dict):
        try:
            return _DIST.validate_python(value)
        except ValidationError as exc:
            raise ValueError(f"not a duration distribution: {exc.errors(include_url=False)[0]['msg']}") from None
    raise ValueError(f"{value!r} is not a number, duration, rate or distribution")


def _theory(spec: TheorySpec) -> tuple[float, str]:
    """The theoretical value of a check and how it was obtained; ValueError says what is wrong."""
    if (spec.value is None) == (spec.formula is None):
        raise ValueError("give exactly one of 'value' or 'formula'")
    if spec.value is not None:
        if spec.inputs:
            raise ValueError("'inputs' go with a 'formula', not a 'value'")
        return float(spec.value), "given"
    name = spec.formula
    f = FORMULAS.get(name or "")
    if f is None:
        raise ValueError(f"unknown formula {name!r}; known: {', '.join(FORMULAS)}")
    params = inspect.signature(f).parameters
    unknown = [k for k in spec.inputs if k not in params]
    missing = [k for k, p in params.items() if p.default is inspect.Parameter.empty and k not in spec.inputs]
    if unknown or missing:
        what = "; ".join(filter(None, [f"unknown input(s) {', '.join(unknown)}" if unknown else "", f"missing {', '.join(missing)}" if missing else ""]))
        raise ValueError(f"{what}: {formula_help()[name]}")  # type: ignore[index]
    kwargs = {}
    for key, raw in spec.inputs.items():
        if params[key].annotation in ("str", str):  # a choice such as output: blocked
            kwargs[key] = str(raw)
            continue
        try:
            kwargs[key] = _input_value(raw)
        except ValueError as exc:
            raise ValueError(f"input {key!r}: {exc}") from None
    value = float(f(**kwargs))
    if not math.isfinite(value):
        raise ValueError(f"{name} gives {value} for these inputs")
    shown = ", ".join(f"{k}={_show(v)}" for k, v in kwargs.items())
    return value, f"{name}({shown})"


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if hasattr(value, "dist"):
        return f"{value.dist}(mean {value.mean:g})"
    return str(value)


def _error(data: Any, file: str, path: tuple[Any, ...], message: str) -> ScenarioError:
    loc, kept = locate(data, path)
    return ScenarioError([Diagnostic(Severity.error, message, loc.file if loc else file, loc.line if loc else None, path)])


def case_from_data(data: Any, file: str, base: Path | None = None) -> Case:
    """A case from a parsed case document (``file`` names it in messages; ``base`` resolves a scenario path)."""
    if not isinstance(data, dict) or "case" not in data:
        raise ScenarioError([Diagnostic(Severity.error, "not a drillsim check case (it has no 'case:' key)", file)])
    try:
        spec = CaseFile.model_validate(data)
    except ValidationError as exc:
        diagnostics = []
        for err in exc.errors(include_url=False):
            loc, _ = locate(data, tuple(err["loc"]))
            msg = err["msg"].removeprefix("Value error, ")
            diagnostics.append(Diagnostic(Severity.error, msg, loc.file if loc else file, loc.line if loc else None, tuple(err["loc"])))
        raise ScenarioError(diagnostics) from None
    if isinstance(spec.scenario, str):
        path = (base or Path(".")) / spec.scenario
        loaded = load_scenario(path)
    else:
        # Validate the embedded document; its diagnostics point into the case file, under 'scenario'.
        try:
            loaded = scenario_from_data(data["scenario"], [Path(file)])
        except ScenarioError as exc:
            raise ScenarioError([replace(d, path=("scenario", *d.path)) for d in exc.diagnostics]) from None
    scenario = loaded.scenario
    checks = []
    for k, check in enumerate(spec.checks):
        path = ("checks", k)
        system = scenario.system_index.get(check.system)
        if system is None:
            raise _error(data, file, (*path, "system"), f"the scenario has no system {check.system!r}")
        if check.output.startswith("queue.") and system.queueing is None:
            raise _error(data, file, (*path, "output"), f"{check.output} needs a 'queueing' block on system {check.system!r}")
        try:
            value, text = _theory(check.theory)
        except ValueError as exc:
            raise _error(data, file, (*path, "theory"), str(exc)) from None
        checks.append(Check(check.system, check.output, value, text, check.label or f"{check.system} {check.output}"))
    return Case(
        name=spec.case,
        title=spec.title or spec.case,
        runs=spec.runs,
        checks=checks,
        scenario=scenario,
        source=file,
        description=(spec.description or "").strip(),
        warnings=[d.format() for d in loaded.warnings],
    )


def load_case(path: str | Path) -> Case:
    """Load and validate a case file; raise ScenarioError (a DrillsimError) naming file, line and path."""
    path = Path(path)
    return case_from_data(load_yaml(path), str(path), path.parent)


def builtin_cases() -> list[Case]:
    """The cases shipped with drillsim (``drillsim/check/cases/*.yaml``), in file-name order."""
    folder = resources.files("drillsim.check") / "cases"
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            out.append(load_case(Path(str(entry))))
    return out


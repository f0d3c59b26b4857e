"""The threats file: what can happen to the model, and how often.

A threats file lists threats, each with an annual frequency and what happens when it occurs::

    threats:
      - id: daejeon-fire                      # a scenario file that extends the model
        frequency: 1/50                       # occurrences per year (a number or "a/b")
        scenario: ../nirs-daejeon-fire-2025.yaml
      - id: auth-outage                       # inline: injects applied to the model
        frequency: 1/5
        horizon: 7d
        injects:
          - {at: 0m, fail: daejeon-net-gpki}
      - id: background-hardware               # background failures: frequency 1, a year long
        frequency: 1
        horizon: 1y
        failures:
          - {targets: [gov24/primary], time_to_failure: {dist: exponential, mean: 5y}, time_to_repair: 6h}

What a threat simulates is the model (the ``MODEL`` argument), or the ``scenario`` file (which
must extend the model, directly or through other files), overlaid with the threat's own ``patch``
and its inline ``start``, ``horizon``, ``injects``, ``decisions`` and ``failures`` (overlay rules:
:mod:`drillsim.model.overlays`; inline injects and failures are added to the scenario's).

In the simulated years of the annual loss distribution (:mod:`drillsim.invest.years`) a threat
occurs a Poisson number of times at its frequency, or, with ``occurs: every-year`` (the default
for a horizon of a year or more: a year of background failures), once every year.

A frequency may be a range instead of a number (``frequency: {p5: 1/200, p95: 1/12.5, basis:
...}``, see :mod:`drillsim.invest.assumptions`): the point analysis uses its median (or its
``value``), the uncertainty analysis the whole range.

Background failures ("hardware fails all the time") are a threat like any other: frequency 1 a
year, a horizon of one year, and ``failures`` entries; the loss of one occurrence is then the
loss of a simulated year. The same form suits a fault that comes back at random times ("a network
fault twice a year"): a ``failures`` entry with an exponential ``time_to_failure`` of mean half a
year, simulated for a year, puts the faults at random hours and days, nights and weekends included. Background failures written in the model itself run in every threat's
simulation and are counted in every threat's loss: the loader warns about it; keep them in a
threat of their own.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator

from ..model.common import Id, Strict, require_unique
from ..model.diagnostics import Diagnostic, DrillsimError, ScenarioError, Severity
from ..model.files import require_file
from ..model.overlays import merge, resolve_extends
from ..model.scenario import Scenario
from ..model.units import PositiveDuration
from ..model.validation import did_you_mean
from ..model.yamlio import LocDict
from .assumptions import Range, assumed, nominal, non_negative
from .located import error_at, load_document, located_overlay, validate_document
from .located import where as source_at

__all__ = ["Threat", "ThreatsFile", "ThreatSpec", "ThreatSet", "load_threats", "parse_frequency", "INLINE_FIELDS", "OCCURS"]

INLINE_FIELDS = ("start", "horizon", "injects", "decisions", "failures")
"""Threat fields that are scenario fields, overlaid on the model or the threat's scenario."""


def parse_frequency(value: Any) -> float:
    """Occurrences per year: a non-negative number, or a fraction written ``"1/50"`` (once in 50 years)."""
    if isinstance(value, bool):
        raise ValueError(f"a frequency is a number of occurrences per year, got {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(?:/\s*([0-9]*\.?[0-9]+))?\s*", value)
        if not match:
            raise ValueError(f"{value!r} is not a frequency: write occurrences per year, e.g. 0.2 or 1/5")
        number = float(match.group(1))
        if match.group(2) is not None:
            denominator = float(match.group(2))
            if denominator == 0:
                raise ValueError(f"{value!r} divides by zero")
            number /= denominator
    else:
        raise ValueError(f"a frequency is a number of occurrences per year, got {value!r}")
    if not math.isfinite(number):
        raise ValueError(f"frequency {value!r} is not finite")
    if number < 0:
        raise ValueError(f"frequency must not be negative (got {value!r}): it counts occurrences per year")
    return number


Frequency = assumed(non_negative("it counts occurrences per year"), number=Annotated[float, BeforeValidator(parse_frequency)])
"""Occurrences per year (>= 0): a number, ``"a/b"``, or a :class:`~drillsim.invest.assumptions.Range`."""

OCCURS = ("auto", "poisson", "every-year")
"""How a threat occurs in the simulated years of :mod:`drillsim.invest.years`."""


class Threat(Strict):
    """One threat: how often it happens and what happens (a scenario, inline events, or both)."""

    id: Id = Field(description="Threat id, e.g. 'daejeon-fire'.")
    name: str | None = Field(default=None, description="Title.")
    frequency: Frequency = Field(
        description="Expected occurrences per year: 0.02, or '1/50' for once in 50 years, or a range {p5: 1/200, p95: 1/12.5, basis: ...}."
    )
    occurs: Literal["auto", "poisson", "every-year"] = Field(
        default="auto",
        description=(
            "How it occurs in a simulated year: poisson (a Poisson number of times at its frequency) or every-year "
            "(once a year, its loss times the frequency: for an occurrence that is a simulated year of background "
            "failures); auto: every-year when the horizon is a year or more, else poisson."
        ),
    )
    scenario: str | None = Field(default=None, description="Scenario file (relative to the threats file) that extends the model.")
    start: datetime | None = Field(default=None, description="Scenario start (date-time with offset); overrides the model's or scenario's.")
    horizon: PositiveDuration | None = Field(default=None, description="How long each occurrence is simulated (1y for background failures).")
    injects: list[Any] = Field(default_factory=list, description="Timed events added to the scenario (inject syntax).")
    decisions: list[Any] = Field(default_factory=list, description="Decision points the injects refer to.")
    failures: list[Any] = Field(default_factory=list, description="Background failures added to the scenario.")
    patch: dict[str, Any] = Field(default_factory=dict, description="Overlay on the model that holds only while this threat plays (e.g. a detection delay).")
    notes: str | None = Field(default=None, description="Where the frequency and the events come from: cited, or marked as an assumption.")
    sources: list[str] = Field(default_factory=list, description="URLs behind the frequency and the events.")


class ThreatsFile(Strict):
    """A threats file: the list of threats, with notes and sources."""

    description: str | None = Field(default=None, description="What the file covers.")
    notes: str | None = Field(default=None, description="Modelling notes and assumptions.")
    sources: list[str] = Field(default_factory=list, description="URLs.")
    threats: list[Threat] = Field(min_length=1, description="The threats.")

    @field_validator("threats")
    @classmethod
    def _unique(cls, threats: list[Threat]) -> list[Threat]:
        require_unique((t.id for t in threats), "threat id")
        return threats


@dataclass
class ThreatSpec:
    """A threat ready to simulate: its frequency and the scenario document options are applied to."""

    threat: Threat
    base: Any
    """The merged scenario document (model or scenario file, plus the threat's overlay), with locations."""
    files: list[Path]
    index: int
    """Position in the threats file (for error paths)."""
    source: str = ""
    """``file:line`` of the threat's frequency (for the assumptions table)."""

    @property
    def id(self) -> str:
        """The threat id."""
        return self.threat.id

    @property
    def frequency(self) -> float:
        """Occurrences per year (the point figure when the frequency is a range)."""
        return nominal(self.threat.frequency)

    @property
    def frequency_range(self) -> Range | None:
        """The frequency's range, if it was given as one."""
        return self.threat.frequency if isinstance(self.threat.frequency, Range) else None

    @property
    def label(self) -> str:
        """The name, else the id."""
        return self.threat.name or self.threat.id


@dataclass
class ThreatSet:
    """The threats of a file, ready to simulate, and the warnings found while loading them."""

    path: Path
    document: ThreatsFile
    specs: list[ThreatSpec]
    warnings: list[Diagnostic] = field(default_factory=list)

    def get(self, threat_id: str) -> ThreatSpec:
        """The threat with this id."""
        for spec in self.specs:
            if spec.id == threat_id:
                return spec
        raise KeyError(threat_id)

    @property
    def ids(self) -> list[str]:
        """Threat ids in file order."""
        return [s.id for s in self.specs]


def _patch_keys_known(patch: Any, data: Any, path: tuple, file: str) -> list[Diagnostic]:
    """Errors for top-level keys of an overlay patch that are not scenario fields."""
    names = [info.alias or name for name, info in Scenario.model_fields.items() if name not in ("extends",)]
    out = []
    for key in patch:
        if key == "extends":
            out.append(error_at(data, (*path, key), "a patch cannot 'extends' another file: it is applied on top of the model", file))
        elif key not in names:
            out.append(error_at(data, (*path, key), f"unknown scenario field {key!r}{did_you_mean(str(key), names)}", file))
    return out


def load_threats(path: str | Path, model_data: Any, model_files: list[Path]) -> ThreatSet:
    """Read and check a threats file against the model (merged document ``model_data``, read from ``model_files``)."""
    path = Path(path)
    file = str(path)
    data = load_document(path, "threats")
    document = validate_document(ThreatsFile, data, file)
    model_path = model_files[-1].resolve()
    errors: list[Diagnostic] = []
    specs: list[ThreatSpec] = []
    for index, threat in enumerate(document.threats):
        entry: LocDict = data["threats"][index]
        where = ("threats", index)
        if threat.scenario is None and not threat.injects and not threat.failures:
            errors.append(error_at(data, where, f"threat {threat.id!r}: nothing happens: give a 'scenario', 'injects' or 'failures'", file))
            continue
        bad_keys = _patch_keys_known(threat.patch, data, (*where, "patch"), file)
        if bad_keys:
            errors.extend(bad_keys)
            continue
        if threat.scenario is not None:
            scenario_path = path.parent / threat.scenario
            try:
                require_file(scenario_path, "scenario file")
            except DrillsimError as exc:
                errors.append(error_at(data, (*where, "scenario"), f"threat {threat.id!r}: scenario {threat.scenario!r}: {exc}", file))
                continue
            base, files = resolve_extends(scenario_path)
            if model_path not in [f.resolve() for f in files]:
                errors.append(
                    error_at(
                        data,
                        (*where, "scenario"),
                        f"threat {threat.id!r}: {threat.scenario!r} does not extend the model {model_path.name!r} "
                        "(options patch the model, so every threat must be built on it)",
                        file,
                    )
                )
                continue
        else:
            base, files = model_data, list(model_files)
            overlay_id = LocDict({"id": threat.id})
            overlay_id.locs = {"id": entry.locs.get("id")}
            base = merge(base, overlay_id, top_level=True)
        overlay = located_overlay(entry, INLINE_FIELDS)
        if overlay:
            base = merge(base, overlay, top_level=True)
        if threat.patch:
            base = merge(base, entry["patch"], top_level=True)
        files = [*files, path]
        specs.append(ThreatSpec(threat, base, files, index, source_at(data, (*where, "frequency"), file)))
    if errors:
        raise ScenarioError(errors)
    warnings = []
    model_failures = model_data.get("failures") if isinstance(model_data, dict) else None
    if model_failures:
        warnings.append(
            Diagnostic(
                Severity.warning,
                f"the model has {len(model_failures)} background failure entr{'y' if len(model_failures) == 1 else 'ies'}: they run in "
                "every threat's simulation and their losses count in every threat; put them in a threat of their own "
                "(frequency 1, horizon 1y) instead",
                str(model_files[-1]),
                getattr(model_data.locs.get("failures"), "line", None) if hasattr(model_data, "locs") else None,
                ("failures",),
            )
        )
    return ThreatSet(path, document, specs, warnings)

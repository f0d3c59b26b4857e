"""The scenarios and plan variants of a batch: what each is called, and what identifies its rows.

A batch compares variants. Each is given as one of:

- a path to a scenario file, or to a variant file that ``extends`` one (named after the file);
- a :class:`~drillsim.model.LoadedScenario` or :class:`~drillsim.model.Scenario` (named after
  its ``id``);
- a :class:`Variant` ``(name, source, patches)``: ``source`` as above, with overlay patches
  (dicts as in a YAML overlay, or overlay file paths) applied in memory;
- a tuple ``(name, source, patches)``, or ``(name, patches)`` for patches on the first variant of
  the list (the baseline): how the investment analysis tries an option without writing a file.

Names must be unique (two files of the same name get ``-2``, ``-3`` suffixes).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence, Union

from ..model.diagnostics import DrillsimError
from ..model.files import require_file
from ..model.loading import LoadedScenario, load_scenario, scenario_from_data
from ..model.loss import LossRates
from ..model.overlays import merge, resolve_extends
from ..model.scenario import Scenario

__all__ = ["Variant", "ResolvedVariant", "VariantSpec", "VariantInfo", "resolve_variants", "variant_key"]

KEY_FORMAT = 1
"""Bumped when the rows a key stands for change meaning (old chunks are then not reused)."""


@dataclass(frozen=True)
class Variant:
    """A named variant: a scenario (path or loaded) with overlay patches applied in memory."""

    name: str
    source: Union[str, Path, LoadedScenario, Scenario]
    patches: Sequence[Union[Mapping[str, Any], str, Path]] = ()


VariantSpec = Union[str, Path, LoadedScenario, Scenario, Variant, tuple]
"""Anything :func:`resolve_variants` accepts for one variant."""


@dataclass
class ResolvedVariant:
    """A variant loaded and validated, with its name and content hash."""

    name: str
    loaded: LoadedScenario
    origin: str
    """Where it came from (a file path, ``id`` of an in-memory scenario, plus patches)."""
    content_hash: str = field(default="")

    def __post_init__(self) -> None:
        if not self.content_hash:
            self.content_hash = _content_hash(self.loaded)

    @property
    def scenario(self) -> Scenario:
        """The validated scenario."""
        return self.loaded.scenario


def _content_hash(loaded: LoadedScenario) -> str:
    if loaded.data is not None:
        return loaded.hash
    text = loaded.scenario.model_dump_json()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _load(source: Any) -> tuple[LoadedScenario, str, str]:
    """(loaded, default name, origin) of a source."""
    if isinstance(source, LoadedScenario):
        return source, source.scenario.id, str(source.files[-1]) if source.files else source.scenario.id
    if isinstance(source, Scenario):
        return LoadedScenario(source, []), source.id, source.id
    if isinstance(source, (str, Path)):
        path = require_file(source, "scenario file")
        return load_scenario(path), path.stem, str(path)
    raise DrillsimError(f"cannot use {type(source).__name__} {source!r} as a scenario (give a path, a LoadedScenario, a Scenario or a Variant)")


def _apply(base: LoadedScenario, patches: Sequence[Any], name: str) -> LoadedScenario:
    if base.data is None:
        raise DrillsimError(f"variant {name!r}: patches need a scenario loaded from a document (load_scenario), not a bare Scenario")
    if isinstance(patches, (Mapping, str, Path)):
        patches = [patches]
    data = base.data
    files = list(base.files)
    for patch in patches:
        if isinstance(patch, (str, Path)):
            patch_data, patch_files = resolve_extends(Path(patch))
            files.extend(f for f in patch_files if f not in files)
            patch = patch_data
        if not isinstance(patch, Mapping):
            raise DrillsimError(f"variant {name!r}: a patch must be a mapping (as in an overlay file) or an overlay file path, got {type(patch).__name__}")
        data = merge(data, dict(patch), top_level=True)
    return scenario_from_data(data, files)


def resolve_variants(specs: Sequence[VariantSpec]) -> list[ResolvedVariant]:
    """Load and validate every variant (see the module docstring for the accepted forms).

    Raises:
        DrillsimError: a file is missing or invalid (ScenarioError lists every problem), a spec is
            malformed, or two explicit names clash.
    """
    if isinstance(specs, (str, Path, LoadedScenario, Scenario, Variant)):
        specs = [specs]
    if not specs:
        raise DrillsimError("give at least one scenario or variant")
    out: list[ResolvedVariant] = []
    explicit: set[str] = set()
    for k, spec in enumerate(specs):
        if isinstance(spec, tuple):
            if len(spec) == 3:
                spec = Variant(*spec)
            elif len(spec) == 2:
                if not out:
                    raise DrillsimError("a (name, patches) variant patches the first variant, so it cannot come first")
                spec = Variant(spec[0], out[0].loaded, spec[1])
            else:
                raise DrillsimError(f"variant {k + 1}: a tuple must be (name, patches) or (name, source, patches), got {len(spec)} items")
        if isinstance(spec, Variant):
            if not isinstance(spec.name, str) or not spec.name.strip():
                raise DrillsimError(f"variant {k + 1}: the name must be a non-empty string")
            if spec.name in explicit:
                raise DrillsimError(f"two variants are called {spec.name!r}")
            explicit.add(spec.name)
            loaded, _, origin = _load(spec.source)
            if spec.patches:
                loaded = _apply(loaded, spec.patches, spec.name)
                origin += " + patches"
            out.append(ResolvedVariant(spec.name, loaded, origin))
        else:
            loaded, name, origin = _load(spec)
            out.append(ResolvedVariant(name, loaded, origin))
    # Unique names: explicit ones win, others get a suffix.
    taken: set[str] = set(explicit)
    for v in out:
        if v.name in explicit:
            continue
        name, n = v.name, 1
        while name in taken:
            n += 1
            name = f"{v.name}-{n}"
        v.name = name
        taken.add(name)
    return out


def variant_key(variant: ResolvedVariant, *, seed: int, policy: str, until: float | None, grid_points: int, system_rows: bool) -> str:
    """The digest naming a variant's chunk folder (see :mod:`drillsim.batch.store`)."""
    ident = {
        "format": KEY_FORMAT,
        "scenario": variant.content_hash,
        "seed": seed,
        "policy": policy,
        "until": until,
        "grid_points": grid_points,
        "system_rows": system_rows,
    }
    return hashlib.blake2b(json.dumps(ident, sort_keys=True).encode("utf-8"), digest_size=8).hexdigest()


@dataclass
class VariantInfo:
    """One variant of a batch: its name, scenario, content hash and chunk key."""

    name: str
    scenario: str
    """The scenario's ``id``."""
    scenario_name: str
    content_hash: str
    key: str
    origin: str
    end_hours: float
    """Where each run ends (the horizon, or ``until``): the time grid goes from 0 to here."""
    systems: int
    labels: dict[str, str] = field(default_factory=dict, repr=False)
    """System id -> display label."""
    loss_rates: dict[str, LossRates] = field(default_factory=dict, repr=False)
    """System id -> the scenario's loss figures (per unserved unit, per hour of data lost, data lost
    for good), for the systems that have any."""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        return {
            "name": self.name,
            "scenario": self.scenario,
            "scenario_name": self.scenario_name,
            "scenario_hash": self.content_hash,
            "key": self.key,
            "origin": self.origin,
            "end_hours": self.end_hours,
            "systems": self.systems,
        }

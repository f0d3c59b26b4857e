"""Variants: the scenario of one threat with a set of options (a portfolio) in place.

The scenario simulated for threat ``t`` and portfolio ``P`` is built in three layers::

    threat t's document (the model, or its scenario file, plus its own overlay)
      + the ``patch`` of every option in P, in options-file order
      + the ``threat_patches[t]`` of every option in P, in the same order

then validated like any scenario file (errors keep the file and line the offending value was
written at, usually in the options file). The baseline is the empty portfolio. A builder holds
only plain data, so a worker process can rebuild any variant from a few bytes of request.

Validating a national model takes a fifth of a second, and an analysis builds dozens of
variants that differ from their threat's baseline by a few entries. When the patches change
only entries of ``systems``, ``domains`` and ``teams`` (and the lists of events), a variant is therefore built from its
validated baseline: the changed and new entries are validated one by one (``injects``,
``failures`` and ``decisions`` as whole lists when a patch touches them), the others are the
baseline's own (validated) objects, in the order the merged document lists them, and the
scenario-wide checks (:func:`drillsim.model.validation.check_scenario`: references, cycles,
warnings) run on the result as for any scenario. Anything else, or an entry that does not
validate, takes the full path, so errors read the same either way (the tests compare both).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterable

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..model.diagnostics import Diagnostic, ScenarioError, Severity
from ..model.domains import Domain
from ..model.loading import LoadedScenario, scenario_from_data
from ..model.overlays import merge
from ..model.scenario import Scenario
from ..model.systems import System
from ..model.teams import Team
from ..model.validation import check_scenario
from ..model.yamlio import LocDict, locate
from .options import OptionSet
from .threats import ThreatSet

__all__ = ["Variant", "VariantBuilder", "overlaps", "RECENT", "ENTRY_MODELS"]

ENTRY_MODELS: dict[str, type[BaseModel]] = {"systems": System, "domains": Domain, "teams": Team}
"""Sections whose changed entries a variant built from its baseline validates one by one."""

WHOLE_SECTIONS = ("injects", "failures", "decisions")
"""Sections a variant built from its baseline validates as a whole when a patch touches them (no
scenario-level validator reads them)."""

_ADAPTERS: dict[str, TypeAdapter] = {}


def _section_adapter(section: str) -> TypeAdapter:
    """The validator of one top-level list of :class:`~drillsim.model.scenario.Scenario`."""
    if section not in _ADAPTERS:
        _ADAPTERS[section] = TypeAdapter(Scenario.model_fields[section].annotation)  # type: ignore[arg-type]
    return _ADAPTERS[section]

RECENT = 16
"""Built variants a builder keeps (a few megabytes each for a national model)."""


@dataclass(frozen=True, order=True)
class Variant:
    """One threat with one portfolio: the unit of simulation (options in options-file order)."""

    threat: str
    options: tuple[str, ...] = ()

    def describe(self) -> str:
        """``option 'a' on threat 'x'``, ``options a + b on threat 'x'`` or ``threat 'x' (no option)``."""
        if not self.options:
            return f"threat {self.threat!r} (no option)"
        if len(self.options) == 1:
            return f"option {self.options[0]!r} on threat {self.threat!r}"
        return f"options {' + '.join(self.options)} together on threat {self.threat!r}"


def _leaves(value: Any, prefix: tuple = ()) -> Iterable[tuple]:
    """Paths of the values an overlay sets (list entries with an id are addressed by it)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*prefix, key))
    elif isinstance(value, list) and value and all(isinstance(v, dict) and ("id" in v or "name" in v) for v in value):
        for item in value:
            key = item.get("id", item.get("name"))
            rest = {k: v for k, v in item.items() if k not in ("id", "name")}
            if rest:
                yield from _leaves(rest, (*prefix, f"[{key}]"))
            else:
                yield (*prefix, f"[{key}]")
    else:
        yield prefix


def overlaps(patches: dict[str, Any]) -> dict[str, list[str]]:
    """Fields set by more than one of ``patches`` (option id -> overlay): ``path -> option ids``.

    Combined options are merged in file order and the later one wins on such a field.
    """
    owners: dict[tuple, list[str]] = {}
    for option_id, patch in patches.items():
        for leaf in set(_leaves(patch)):
            owners.setdefault(leaf, []).append(option_id)
    return {".".join(str(p) for p in path): ids for path, ids in owners.items() if len(ids) > 1}


class VariantBuilder:
    """Builds the validated scenario of any variant from the loaded threats and options."""

    def __init__(self, threats: ThreatSet, options: OptionSet):
        self.order = {option_id: i for i, option_id in enumerate(options.ids)}
        self.bases = {spec.id: spec.base for spec in threats.specs}
        self.files = {spec.id: spec.files + [options.path] for spec in threats.specs}
        self.patches = dict(options.patches)
        self.threat_patches = {k: dict(v) for k, v in options.threat_patches.items()}
        self._recent: OrderedDict[Variant, LoadedScenario] = OrderedDict()

    def ordered(self, options: Iterable[str]) -> tuple[str, ...]:
        """``options`` in options-file order, duplicates dropped: the key of a portfolio."""
        return tuple(sorted(set(options), key=lambda o: self.order[o]))

    def variant(self, threat: str, options: Iterable[str] = ()) -> Variant:
        """The variant of ``threat`` with ``options``.

        Options that change nothing in this threat's scenario (no ``patch`` and no
        ``threat_patches`` for it) are left out, so portfolios that differ only by them share one
        simulation of this threat: the scenario is the same document, hence the same results.
        """
        kept = [o for o in options if o in self.patches or threat in self.threat_patches.get(o, {})]
        return Variant(threat, self.ordered(kept))

    def document(self, variant: Variant) -> Any:
        """The merged scenario document of ``variant``."""
        patch: Any = LocDict()
        layers = [self.patches[o] for o in variant.options if o in self.patches]
        layers += [self.threat_patches.get(o, {}).get(variant.threat) for o in variant.options]
        layers = [layer for layer in layers if layer]
        if not layers:
            return self.bases[variant.threat]
        for layer in layers:
            patch = merge(patch, layer, top_level=True)
        return merge(self.bases[variant.threat], patch, top_level=True)

    def loaded(self, variant: Variant) -> LoadedScenario:
        """The validated scenario of ``variant`` (without its document, to keep memory small).

        ScenarioError names the variant and where each error was written. The last few variants
        built are kept (:data:`RECENT`): the analysis validates the baselines and single options
        before any run, then simulates them.
        """
        cached = self._recent.get(variant)
        if cached is not None:
            self._recent.move_to_end(variant)
            return cached
        try:
            loaded = self._from_baseline(variant) or scenario_from_data(self.document(variant), self.files[variant.threat])
        except ScenarioError as exc:
            prefix = f"{variant.describe()}: "
            raise ScenarioError(
                [Diagnostic(d.severity, prefix + d.message, d.file, d.line, d.path) for d in exc.diagnostics]
            ) from None
        result = LoadedScenario(loaded.scenario, loaded.files, loaded.warnings, None)
        self._recent[variant] = result
        while len(self._recent) > RECENT:
            self._recent.popitem(last=False)
        return result

    def _layers(self, variant: Variant) -> list[Any]:
        layers = [self.patches[o] for o in variant.options if o in self.patches]
        layers += [self.threat_patches.get(o, {}).get(variant.threat) for o in variant.options]
        return [layer for layer in layers if layer]

    def _from_baseline(self, variant: Variant) -> LoadedScenario | None:
        """The variant built from its threat's validated baseline (see the module docstring), or None."""
        if not variant.options:
            return None
        changed: dict[str, set[str]] = {section: set() for section in ENTRY_MODELS}
        whole: set[str] = set()
        for layer in self._layers(variant):
            for key, value in layer.items():
                if key in WHOLE_SECTIONS:
                    whole.add(key)
                    continue
                if key not in ENTRY_MODELS or not isinstance(value, list):
                    return None
                for entry in value:
                    if not isinstance(entry, dict) or entry.get("id") is None or entry.get("remove") is not None:
                        return None
                    changed[key].add(entry["id"])
        base = self.loaded(Variant(variant.threat)).scenario
        document = self.document(variant)
        fields = {name: getattr(base, name) for name in Scenario.model_fields}
        own: dict[str, dict[str, Any]] = {"systems": base.system_index, "domains": base.domain_index, "teams": base.team_index}
        try:
            for section, model in ENTRY_MODELS.items():
                if not changed[section]:
                    continue
                entries = []
                for item in document.get(section) or []:
                    key = item.get("id") if isinstance(item, dict) else None
                    if key in changed[section] or key not in own[section]:
                        entries.append(model.model_validate(item))
                    else:
                        entries.append(own[section][key])
                fields[section] = entries
            for section in whole:
                fields[section] = _section_adapter(section).validate_python(document.get(section) or [])
        except ValidationError:
            return None  # the full path reports it, located
        scenario = Scenario.model_construct(_fields_set=base.model_fields_set | whole | {s for s in changed if changed[s]}, **fields)
        files = self.files[variant.threat]
        default_file = str(files[-1]) if files else None
        diagnostics = []
        for finding in check_scenario(scenario):
            loc, _ = locate(document, finding.path)
            diagnostics.append(Diagnostic(finding.severity, finding.message, loc.file if loc else default_file, loc.line if loc else None, finding.path))
        if any(d.severity is Severity.error for d in diagnostics):
            raise ScenarioError(diagnostics)
        return LoadedScenario(scenario, list(files), diagnostics, None)

    def build(self, variant: Variant) -> Scenario:
        """The validated scenario of ``variant`` (see :meth:`loaded`)."""
        return self.loaded(variant).scenario

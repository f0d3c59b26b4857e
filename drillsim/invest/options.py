"""The options file: the investments to compare, each an overlay on the model with its costs.

::

    currency: KRW
    discount_rate: 0.045              # optional; --discount-rate overrides it
    options:
      - id: gdrive-offsite-backup
        name: Off-site backups for G-Drive
        capital_cost: 6_000_000_000   # at year 0
        yearly_cost: 600_000_000      # each year of the lifetime
        lifetime: 7                   # years
        cost_basis: "assumption: ..." # where the figures come from (cited, or marked as an assumption)
        patch:                        # overlay on the model (merged by id; see drillsim.model.overlays)
          systems:
            - id: g-drive
              data:
                backups:
                  - {every: 1d, in: [remote-backup-center], restore_rate: 2TB/h}
        threat_patches:               # optional: how the option changes what one threat does
          daejeon-fire:
            injects:
              - {id: fire, destroy: daejeon-ups-7-1}

Any of ``capital_cost``, ``yearly_cost`` and ``lifetime`` may be a range instead of a number
(``capital_cost: {min: 6e9, mode: 8e9, max: 14e9, basis: ...}``, see
:mod:`drillsim.invest.assumptions`), and the file may say how far the model's loss figures may be
off, as factors on every system's figure of one kind (1: the model's own figures, which the
point analysis always uses; the uncertainty analysis samples the factor)::

    loss_figures:
      per_unserved: {p5: 0.5, p95: 2, basis: "..."}
      per_data_loss_hour: {p5: 0.3, p95: 3, basis: "..."}
      permanent_data_loss: {min: 0.2, mode: 1, max: 5, basis: "..."}

An option's ``patch`` applies to the scenario of every threat; its ``threat_patches`` apply only
to the named threat's scenario, after every option's ``patch`` (a separate battery room does not
change the model's systems, it changes what a battery fire destroys). Options combined in a
portfolio are merged in file order: when two options set the same field, the later one wins, and
the analysis reports the overlap.

Checks made here, each reported with the file, the line and the option's id:

- an entry of ``systems``, ``domains``, ``teams``, ``organizations`` or ``decisions`` whose id the
  model (or a threat's scenario) does not have must be a complete new entry, and a new domain must
  state its ``kind`` and a new organization its ``name``; otherwise it is reported as a patch of
  something that does not exist (with a did-you-mean);
- an option may not change the ``loss`` figures of the model's systems (they are the yardstick);
- ``threat_patches`` may only name threats of the threats file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator

from ..model.common import Id, Strict, require_unique
from ..model.diagnostics import Diagnostic, ScenarioError
from ..model.domains import Domain
from ..model.injects import Decision
from ..model.organizations import Organization
from ..model.systems import System
from ..model.teams import Team
from ..model.validation import did_you_mean
from .assumptions import Amount, Factor, PositiveAmount, nominal
from .located import error_at, load_document, validate_document
from .located import where as source_at
from .threats import ThreatSet, _patch_keys_known

__all__ = ["Option", "OptionsFile", "OptionSet", "LossFigures", "load_options", "KEYED_SECTIONS", "COST_FIELDS", "LOSS_FIGURES"]

KEYED_SECTIONS: dict[str, type[BaseModel]] = {
    "systems": System,
    "domains": Domain,
    "teams": Team,
    "organizations": Organization,
    "decisions": Decision,
}
"""Top-level scenario lists whose entries a patch changes by id, with the model of a complete entry."""

NEW_ENTRY_FIELDS: dict[str, tuple[str, ...]] = {"domains": ("kind",), "organizations": ("name",)}
"""Fields a new entry must state, beyond what its model requires, where the model requires almost
nothing (any ``{id: x, detection: 30m}`` would be a complete domain): without them an unknown id is
taken for a typo of an existing one, not for an addition."""


class Option(Strict):
    """One investment: what it changes (an overlay on the model) and what it costs."""

    id: Id = Field(description="Option id, e.g. 'gdrive-offsite-backup'.")
    name: str | None = Field(default=None, description="Title.")
    description: str | None = Field(default=None, description="What is bought and how the patch models it.")
    capital_cost: Amount = Field(description="One-off cost at year 0, in the file's currency (a number or a range).")
    yearly_cost: Amount = Field(default=0.0, description="Running cost in each year of the lifetime (staff, licences, maintenance; a number or a range).")
    lifetime: PositiveAmount = Field(description="Years the investment lasts (benefits and yearly costs run this long; a number or a range).")
    patch: dict[str, Any] = Field(default_factory=dict, description="Overlay on the model, applied to every threat's scenario.")
    threat_patches: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Overlays applied to one threat's scenario only, keyed by threat id."
    )
    cost_basis: str | None = Field(default=None, description="Where the cost figures come from: cited, or marked as an assumption.")
    notes: str | None = Field(default=None, description="Modelling notes.")
    sources: list[str] = Field(default_factory=list, description="URLs behind the costs and the modelling.")

    @property
    def label(self) -> str:
        """The name, else the id."""
        return self.name or self.id

    def figure(self, name: str) -> float:
        """The point figure of ``capital_cost``, ``yearly_cost`` or ``lifetime`` (a range's nominal value)."""
        return nominal(getattr(self, name))


COST_FIELDS = ("capital_cost", "yearly_cost", "lifetime")
"""The option fields that may be ranges."""


class LossFigures(Strict):
    """How far the model's loss figures may be off: a factor on every system's figure of each kind."""

    per_unserved: Factor = Field(default=1.0, description="Factor on every system's loss.per_unserved (1, or a range containing 1).")
    per_data_loss_hour: Factor = Field(default=1.0, description="Factor on every system's loss.per_data_loss_hour (1, or a range containing 1).")
    permanent_data_loss: Factor = Field(default=1.0, description="Factor on every system's loss.permanent_data_loss (1, or a range containing 1).")


LOSS_FIGURES = ("per_unserved", "per_data_loss_hour", "permanent_data_loss")
"""The loss figures, in the order of the loss components (unserved, data_loss, permanent)."""


class OptionsFile(Strict):
    """An options file: the investments, the currency, an optional discount rate."""

    currency: str = Field(default="KRW", description="Currency of every cost here and of the model's loss figures.")
    discount_rate: float | None = Field(default=None, ge=0, lt=1, description="Yearly discount rate, e.g. 0.045; --discount-rate overrides it.")
    description: str | None = Field(default=None, description="What the file covers.")
    notes: str | None = Field(default=None, description="Modelling notes and assumptions.")
    sources: list[str] = Field(default_factory=list, description="URLs.")
    loss_figures: LossFigures = Field(default_factory=LossFigures, description="Uncertainty of the model's loss figures, as factors.")
    options: list[Option] = Field(min_length=1, description="The investments.")

    @field_validator("options")
    @classmethod
    def _unique(cls, options: list[Option]) -> list[Option]:
        require_unique((o.id for o in options), "option id")
        return options


@dataclass
class OptionSet:
    """The options of a file, with their raw (located) patches for merging."""

    path: Path
    document: OptionsFile
    patches: dict[str, Any]
    """Option id -> its ``patch`` as read (with locations)."""
    threat_patches: dict[str, dict[str, Any]]
    """Option id -> threat id -> overlay as read."""
    warnings: list[Diagnostic] = field(default_factory=list)
    sources: dict[tuple[str, str], str] = field(default_factory=dict)
    """``(option id, field)`` or ``("loss_figures", figure)`` -> ``file:line`` where it is written."""

    @property
    def options(self) -> list[Option]:
        """The options, in file order."""
        return self.document.options

    @property
    def ids(self) -> list[str]:
        """Option ids in file order."""
        return [o.id for o in self.document.options]

    def get(self, option_id: str) -> Option:
        """The option with this id."""
        for option in self.document.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)


def _ids(base: Any, section: str) -> list[str]:
    entries = base.get(section) if isinstance(base, dict) else None
    return [e.get("id") for e in entries or [] if isinstance(e, dict) and e.get("id") is not None]


def check_patch(patch: Any, base: Any, data: Any, path: tuple, file: str, option_id: str, against: str) -> list[Diagnostic]:
    """Errors in one overlay ``patch`` (at ``path`` in the options document) against the document ``base``."""
    errors = _patch_keys_known(patch, data, path, file)
    for section, entry_model in KEYED_SECTIONS.items():
        entries = patch.get(section)
        if entries is None:
            continue
        if not isinstance(entries, list):
            errors.append(error_at(data, (*path, section), f"option {option_id!r}: {section!r} must be a list of entries", file))
            continue
        known = _ids(base, section)
        noun = section[:-1]
        for k, entry in enumerate(entries):
            if not isinstance(entry, dict) or entry.get("id") is None:
                continue  # left to the scenario validation of the merged result
            entry_id = entry["id"]
            where = (*path, section, k)
            if entry_id in known:
                if section == "systems" and "loss" in entry:
                    errors.append(
                        error_at(
                            data,
                            (*where, "loss"),
                            f"option {option_id!r}: cannot change what an outage of {entry_id!r} costs ('loss'): "
                            "the model's loss figures are the yardstick every option is measured with",
                            file,
                        )
                    )
                continue
            if entry.get("remove") is True:
                message = f"option {option_id!r} removes {noun} {entry_id!r}, which {against} does not have{did_you_mean(str(entry_id), known)}"
                errors.append(error_at(data, (*where, "id"), message, file))
                continue
            try:
                entry_model.model_validate(entry)
                missing = [f for f in NEW_ENTRY_FIELDS.get(section, ()) if f not in entry]
                if missing:
                    raise ValueError(missing)
            except (ValidationError, ValueError):
                errors.append(
                    error_at(
                        data,
                        (*where, "id"),
                        f"option {option_id!r} patches {noun} {entry_id!r}, which {against} does not have{did_you_mean(str(entry_id), known)} "
                        f"(a patch changes {section} by id, or adds complete new ones"
                        + (f", which state their {' and '.join(NEW_ENTRY_FIELDS[section])})" if section in NEW_ENTRY_FIELDS else ")"),
                        file,
                    )
                )
    return errors


def load_options(path: str | Path, model_data: Any, threats: ThreatSet) -> OptionSet:
    """Read and check an options file against the model document and the threats."""
    path = Path(path)
    file = str(path)
    data = load_document(path, "options")
    document = validate_document(OptionsFile, data, file)
    errors: list[Diagnostic] = []
    patches: dict[str, Any] = {}
    threat_patches: dict[str, dict[str, Any]] = {}
    for index, option in enumerate(document.options):
        entry = data["options"][index]
        where = ("options", index)
        if not option.patch and not option.threat_patches:
            errors.append(error_at(data, where, f"option {option.id!r} changes nothing: give a 'patch' (or 'threat_patches')", file))
            continue
        if option.patch:
            found = check_patch(entry["patch"], model_data, data, (*where, "patch"), file, option.id, "the model")
            if not found:  # the patch also applies to every threat's scenario, which may differ from the model
                for spec in threats.specs:
                    found = check_patch(entry["patch"], spec.base, data, (*where, "patch"), file, option.id, f"the scenario of threat {spec.id!r}")
                    if found:
                        break
            errors.extend(found)
            patches[option.id] = entry["patch"]
        threat_patches[option.id] = {}
        for threat_id in option.threat_patches:
            tpath = (*where, "threat_patches", threat_id)
            if threat_id not in threats.ids:
                errors.append(error_at(data, tpath, f"option {option.id!r}: no threat {threat_id!r} in {threats.path.name}{did_you_mean(threat_id, threats.ids)}", file))
                continue
            raw = entry["threat_patches"][threat_id]
            errors.extend(check_patch(raw, threats.get(threat_id).base, data, tpath, file, option.id, f"threat {threat_id!r}"))
            threat_patches[option.id][threat_id] = raw
    if errors:
        raise ScenarioError(errors)
    sources = {(o.id, name): source_at(data, ("options", k, name), file) for k, o in enumerate(document.options) for name in COST_FIELDS}
    sources.update({("loss_figures", name): source_at(data, ("loss_figures", name), file) for name in LOSS_FIGURES})
    return OptionSet(path, document, patches, threat_patches, sources=sources)

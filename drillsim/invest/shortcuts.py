"""How the records of a threat under a portfolio are obtained: reused, simulated, or added up.

For threat ``t`` and portfolio ``P`` (:meth:`Shortcuts.recipe`):

1. options without a ``patch`` or ``threat_patches`` for ``t`` are left out (the scenario is the
   same document: :meth:`~drillsim.invest.variants.VariantBuilder.variant`);
2. options whose influence under ``t`` is empty (:mod:`drillsim.invest.reach`, computed on the
   links of the scenario and the option's own change for one option, of every option of the
   options file at once for a portfolio of several) are left out too: ``t`` cannot reach what they change,
   so the run is the one without them, seed for seed. Nothing left: the baseline's records;
3. the options left are grouped: two options are in one group when their influences meet, when
   either may influence everything, or when they change one entry in common. One group: that
   group is simulated (a :class:`Recipe` of kind ``simulated``; a group of one option reuses the
   option's own simulation). Several groups: the records are added up, run by run,
   ``base + sum over groups g of (records(g) - base)`` (:meth:`~drillsim.invest.runs.RunRecords.added`),
   each group's records obtained the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

from .reach import Change, Links, ThreatReach
from .runs import RunRecords
from .variants import Variant, VariantBuilder

__all__ = ["Recipe", "Shortcuts"]


@dataclass(frozen=True)
class Recipe:
    """Where the records of one threat under one portfolio come from."""

    threat: str
    options: tuple[str, ...]
    """The portfolio asked for (options-file order)."""
    kind: str
    """``baseline`` (reused: nothing the portfolio changes acts), ``simulated`` or ``added``."""
    variant: Variant | None = None
    """``simulated``: the variant that is simulated (the options that act, as one group)."""
    parts: tuple["Recipe", ...] = ()
    """``added``: the groups whose records are added up."""
    skipped: tuple[str, ...] = field(default=())
    """Options of the portfolio the threat cannot reach (left out, exactly)."""

    def leaves(self) -> list[Variant]:
        """The variants whose simulated runs these records are made of (the baseline first)."""
        out = [Variant(self.threat)]
        if self.variant is not None:
            out.append(self.variant)
        for part in self.parts:
            out.extend(v for v in part.leaves() if v not in out)
        return out

    def records(self, simulated: Callable[[Variant], RunRecords]) -> RunRecords:
        """The records, from the simulated ones (``simulated(variant)``)."""
        base = simulated(Variant(self.threat))
        if self.kind == "baseline":
            return base
        if self.kind == "simulated":
            assert self.variant is not None
            return simulated(self.variant)
        return RunRecords.added([p.records(simulated) for p in self.parts], base)

    def describe(self) -> str:
        """``simulated``, ``baseline (not reachable: a, b)``, ``added up: a | b + c``."""
        if self.kind == "baseline":
            return "the baseline's runs (the threat cannot reach what it changes)"
        if self.kind == "simulated":
            return "simulated"
        return "added up: " + " | ".join("+".join(p.options) for p in self.parts)


class Shortcuts:
    """The recipes of every threat and portfolio, from the threats' scenarios and the options' patches."""

    def __init__(self, builder: VariantBuilder, enabled: bool = True):
        self.builder = builder
        self.enabled = enabled
        """False: every portfolio that changes the threat's scenario is simulated (no reachability, no adding up)."""
        self._reach: dict[str, ThreatReach] = {}
        self._changes: dict[tuple[str, str], Change] = {}
        self._recipes: dict[tuple[str, tuple[str, ...]], Recipe] = {}
        self._links: dict[str, Links] = {}

    def links(self, threat: str) -> Links:
        """The links of ``threat``'s scenario and of every option's change at once (for portfolios)."""
        if threat not in self._links:
            changes = [self.change(threat, o) for o in self.builder.order if self.builder.variant(threat, (o,)).options]
            self._links[threat] = Links(self.reach(threat), changes)
        return self._links[threat]

    def reach(self, threat: str) -> ThreatReach:
        """The links of ``threat``'s scenario."""
        if threat not in self._reach:
            self._reach[threat] = ThreatReach(self.builder.build(Variant(threat)), self.builder.bases[threat])
        return self._reach[threat]

    def change(self, threat: str, option: str) -> Change:
        """What ``option`` changes in ``threat``'s scenario."""
        key = (threat, option)
        if key not in self._changes:
            layers = [self.builder.patches.get(option), self.builder.threat_patches.get(option, {}).get(threat)]
            self._changes[key] = self.reach(threat).change([layer for layer in layers if layer])
        return self._changes[key]

    def recipe(self, threat: str, options: Sequence[str]) -> Recipe:
        """Where the records of ``threat`` under the portfolio ``options`` come from (see the module docstring)."""
        key = (threat, self.builder.ordered(options))
        if key not in self._recipes:
            self._recipes[key] = self._recipe(threat, key[1])
        return self._recipes[key]

    def _recipe(self, threat: str, options: tuple[str, ...]) -> Recipe:
        acting = self.builder.variant(threat, options).options
        if not acting:
            return Recipe(threat, options, "baseline", skipped=())
        if not self.enabled:
            return Recipe(threat, options, "simulated", Variant(threat, acting))
        changes = [self.change(threat, o) for o in acting]
        # One option: the links of the scenario and its own change. Several: the links of every
        # option at once (more links than the portfolio's own: larger influence sets, still sound).
        influence = self.reach(threat).influence(changes, None if len(acting) == 1 else self.links(threat))
        live = [k for k, inf in enumerate(influence) if inf is None or inf]
        skipped = tuple(o for k, o in enumerate(acting) if k not in live)
        if not live:
            return Recipe(threat, options, "baseline", skipped=skipped)
        groups = _groups(live, [influence[k] for k in live], [changes[k] for k in live])
        if len(groups) == 1:
            group = tuple(acting[k] for k in groups[0])
            return Recipe(threat, options, "simulated", Variant(threat, group), skipped=skipped)
        parts = tuple(self.recipe(threat, [acting[k] for k in group]) for group in groups)
        return Recipe(threat, options, "added", parts=parts, skipped=skipped)


def _groups(indices: list[int], influence: list[frozenset[str] | None], changes: list[Change]) -> list[list[int]]:
    """Connected groups of options: linked when influences meet, either is everything, or they share an entry."""
    n = len(indices)
    root = list(range(n))

    def find(a: int) -> int:
        while root[a] != a:
            root[a] = root[root[a]]
            a = root[a]
        return a

    for a in range(n):
        for b in range(a + 1, n):
            ia, ib = influence[a], influence[b]
            if ia is None or ib is None or ia & ib or changes[a].shares_entries(changes[b]):
                root[find(a)] = find(b)
    out: dict[int, list[int]] = {}
    for a in range(n):
        out.setdefault(find(a), []).append(indices[a])
    return sorted(out.values())

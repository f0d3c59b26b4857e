"""Every assumption of an analysis in one table, and samples of them for the second-order Monte Carlo.

The assumptions are, in this order (the columns of a sample matrix):

- the frequency of each threat (threats file order);
- per option (options file order): ``capital_cost``, ``yearly_cost``, ``lifetime``;
- the three loss-figure factors of the options file's ``loss_figures`` (per unserved unit, per
  hour of data lost, per system whose data is lost for good), 1 unless given as a range.

Each is a point figure or a :class:`~drillsim.invest.assumptions.Range`; the table keeps where it
is written (``file:line``) and its basis (the range's ``basis``, else the threat's notes or the
option's ``cost_basis``). Samples are drawn independently per assumption by Latin hypercube
sampling (each assumption's probability axis cut into ``n`` equal strata, one draw in each, the
strata shuffled independently per assumption), then mapped through the range's quantile function:
the marginals are exact and the sample covers each range evenly. The draw is seeded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .assumptions import Range, nominal
from .options import COST_FIELDS, LOSS_FIGURES, OptionSet
from .threats import ThreatSet

__all__ = ["Assumption", "AssumptionSet", "KINDS"]

KINDS = ("frequency", "capital_cost", "yearly_cost", "lifetime", "loss_figure")
"""What an assumption is about."""

_LABELS = {
    "frequency": "frequency (per year)",
    "capital_cost": "capital cost",
    "yearly_cost": "yearly cost",
    "lifetime": "lifetime (years)",
    "loss_figure": "factor on the model's loss figures",
}


@dataclass(frozen=True)
class Assumption:
    """One figure the analysis rests on: what it is about, its value or range, where it is written, its basis."""

    key: str
    """``frequency[daejeon-fire]``, ``capital_cost[ups-battery-room]``, ``loss_figures.per_unserved``."""
    kind: str
    """One of :data:`KINDS`."""
    target: str
    """The threat id, the option id, or the loss figure's name."""
    figure: float | Range
    basis: str | None
    source: str
    """``file:line`` where it is written (the file alone for a default)."""

    def __post_init__(self) -> None:
        if self.basis is not None:
            object.__setattr__(self, "basis", " ".join(self.basis.split()))  # folded YAML text, one line

    @property
    def ranged(self) -> bool:
        """Whether it is a range (else a point figure)."""
        return isinstance(self.figure, Range)

    @property
    def nominal(self) -> float:
        """The figure the point analysis uses."""
        return nominal(self.figure)

    @property
    def label(self) -> str:
        """``daejeon-fire: frequency (per year)``."""
        if self.kind == "loss_figure":
            return f"loss figures {self.target}: factor"
        return f"{self.target}: {_LABELS[self.kind]}"

    def quantile(self, q: np.ndarray | float) -> np.ndarray:
        """Quantiles of the range (a point figure: itself at every probability)."""
        q = np.asarray(q, dtype=float)
        if isinstance(self.figure, Range):
            return self.figure.ppf(q)
        return np.full(q.shape, float(self.figure))

    def as_dict(self) -> dict:
        """JSON form."""
        out = {"key": self.key, "kind": self.kind, "target": self.target, "label": self.label, "value": self.nominal, "source": self.source, "basis": self.basis}
        out["range"] = self.figure.as_dict() if isinstance(self.figure, Range) else None
        return out


class AssumptionSet:
    """The assumptions of one analysis, in column order (see the module docstring)."""

    def __init__(self, threats: ThreatSet, options: OptionSet):
        items: list[Assumption] = []
        for spec in threats.specs:
            figure = spec.threat.frequency
            basis = figure.basis if isinstance(figure, Range) and figure.basis else spec.threat.notes
            items.append(Assumption(f"frequency[{spec.id}]", "frequency", spec.id, figure, basis, spec.source or str(threats.path)))
        for option in options.options:
            for name in COST_FIELDS:
                figure = getattr(option, name)
                basis = figure.basis if isinstance(figure, Range) and figure.basis else option.cost_basis
                items.append(Assumption(f"{name}[{option.id}]", name, option.id, figure, basis, options.sources.get((option.id, name), str(options.path))))
        losses = options.document.loss_figures
        for name in LOSS_FIGURES:
            figure = getattr(losses, name)
            basis = figure.basis if isinstance(figure, Range) else "the model's own loss figures (the yardstick)"
            items.append(Assumption(f"loss_figures.{name}", "loss_figure", name, figure, basis, options.sources.get(("loss_figures", name), str(options.path))))
        self.items = items
        self.threats = [s.id for s in threats.specs]
        self.options = list(options.ids)
        self.index = {a.key: k for k, a in enumerate(items)}

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def column(self, kind: str, target: str) -> int:
        """The column of one assumption."""
        key = f"loss_figures.{target}" if kind == "loss_figure" else f"{kind}[{target}]"
        return self.index[key]

    def columns(self, kind: str) -> np.ndarray:
        """The columns of one kind, in the order of their targets (threats, options or loss figures)."""
        return np.array([k for k, a in enumerate(self.items) if a.kind == kind], dtype=int)

    @property
    def ranged(self) -> list[Assumption]:
        """The assumptions given as ranges."""
        return [a for a in self.items if a.ranged]

    def nominal(self) -> np.ndarray:
        """``(A,)``: every assumption at its point figure."""
        return np.array([a.nominal for a in self.items], dtype=float)

    def sample(self, n: int, seed: int) -> np.ndarray:
        """``(n, A)``: ``n`` Latin-hypercube samples (point figures are constant columns); seeded."""
        rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0x16]))
        out = np.tile(self.nominal(), (n, 1))
        for k, a in enumerate(self.items):
            if a.ranged:
                u = (rng.permutation(n) + rng.random(n)) / n
                out[:, k] = a.quantile(u)
        return out

    def one_at_a_time(self, low: float = 0.05, high: float = 0.95) -> tuple[np.ndarray, list[Assumption]]:
        """Rows for a tornado: for each range, all at their point figures but it at its ``low``, then its ``high`` quantile.

        Returns the ``(2 R, A)`` matrix (rows ``2k``, ``2k + 1`` for the k-th range) and the ranges.
        """
        ranged = self.ranged
        base = self.nominal()
        rows = np.tile(base, (2 * len(ranged), 1))
        for k, a in enumerate(ranged):
            col = self.index[a.key]
            rows[2 * k, col], rows[2 * k + 1, col] = a.quantile(np.array([low, high]))
        return rows, ranged

    def table(self) -> list[dict]:
        """The assumptions table (JSON form), in column order."""
        return [a.as_dict() for a in self.items]

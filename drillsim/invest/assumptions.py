"""Assumptions given as ranges: a frequency, a cost, a lifetime or a loss figure that is not known exactly.

Wherever the threats or options file takes a frequency, ``capital_cost``, ``yearly_cost`` or
``lifetime`` (and in the options file's ``loss_figures``), a plain number is a point figure and a
mapping is a :class:`Range`, in one of three forms::

    frequency: {p5: 1/200, p95: 1/12.5, basis: "..."}          # a 90 % interval: lognormal
    capital_cost: {min: 6e9, mode: 8e9, max: 14e9, basis: "..."}  # min / most likely / max: PERT
    lifetime: {min: 10, max: 20, dist: uniform}                 # min / max: uniform

Distributions, and why:

- ``lognormal`` (the default for ``p5``/``p95``): the 5th and 95th percentiles are the ends of a
  90 % interval, ``ln X ~ Normal(mu, sigma)`` with ``mu = (ln p5 + ln p95) / 2`` and
  ``sigma = (ln p95 - ln p5) / (2 x 1.6449)``. Frequencies and costs are positive and their
  uncertainty is one of ratios ("between a quarter and four times the figure"), which a lognormal
  makes symmetric; a normal would give negative frequencies. Needs ``0 < p5``.
- ``pert`` (the default for ``min``/``mode``/``max``): Beta-PERT, ``min + (max - min) x
  Beta(1 + 4 (mode - min) / (max - min), 1 + 4 (max - mode) / (max - min))``, mean ``(min + 4 mode
  + max) / 6``: the usual three-point estimate of cost engineering, weighting the most likely
  value and thinning the tails, so one wild end does not dominate as it does in a triangle.
- ``triangular``: the same three points, linear density (heavier tails than PERT).
- ``uniform`` (the default for ``min``/``max`` without a ``mode``): nothing is more likely than
  anything else between the two ends.

The point analysis (the ranking, the portfolio search) uses one figure per assumption: ``value``
if given (it must lie within the range), else the median of a lognormal (``sqrt(p5 x p95)``), the
mode of PERT and triangular, the middle of a uniform. The uncertainty analysis samples the whole
distribution (:mod:`drillsim.invest.uncertainty`). ``basis`` says where the range comes from.

Bad ranges (a low end above the high end, a negative end, a distribution not listed here, a
lognormal from 0) are errors located at the file, line and path of the range.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Callable, Union

import numpy as np
from pydantic import AfterValidator, BeforeValidator, Discriminator, Field, Tag, field_validator, model_validator

from ..model.common import Strict

__all__ = [
    "Range",
    "DISTRIBUTIONS",
    "Amount",
    "PositiveAmount",
    "Factor",
    "assumed",
    "non_negative",
    "positive",
    "nominal",
    "is_range",
    "parse_number",
    "Z95",
    "TAGS",
]

DISTRIBUTIONS = ("lognormal", "pert", "triangular", "uniform")
"""The distributions a range may state (see the module docstring)."""

Z95 = 1.6448536269514722
"""The standard normal's 95th percentile: a 90 % interval spans ``mu +- 1.6449 sigma``."""


def parse_number(value: Any) -> float:
    """A finite number, or a fraction written ``"1/50"``."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        match = re.fullmatch(r"\s*(-?[0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*(?:/\s*([0-9]*\.?[0-9]+))?\s*", value.replace("_", ""), re.IGNORECASE)
        if not match:
            raise ValueError(f"{value!r} is not a number (write e.g. 0.2, 1/50 or 3e9)")
        number = float(match.group(1))
        if match.group(2) is not None:
            if float(match.group(2)) == 0:
                raise ValueError(f"{value!r} divides by zero")
            number /= float(match.group(2))
    else:
        raise ValueError(f"expected a number, got {value!r}")
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return number


Number = Annotated[float, BeforeValidator(parse_number)]


def _g(x: float) -> str:
    return f"{x:.6g}"


class Range(Strict):
    """An uncertain figure: a 90 % interval, or min / most likely / max, with its distribution."""

    p5: Number | None = Field(default=None, description="5th percentile: the low end of a 90 % interval.")
    p95: Number | None = Field(default=None, description="95th percentile: the high end of a 90 % interval.")
    min: Number | None = Field(default=None, description="Lowest possible value.")
    mode: Number | None = Field(default=None, description="Most likely value (PERT, triangular).")
    max: Number | None = Field(default=None, description="Highest possible value.")
    dist: str | None = Field(default=None, description="lognormal (default for p5/p95), pert (default for min/mode/max), triangular, or uniform (default for min/max).")
    value: Number | None = Field(default=None, description="The figure the point analysis uses (default: the median of a lognormal, the mode, or the middle of a uniform).")
    basis: str | None = Field(default=None, description="Where the range comes from: a source, or the reasoning behind it.")

    @field_validator("dist")
    @classmethod
    def _known(cls, dist: str | None) -> str | None:
        if dist is not None and dist not in DISTRIBUTIONS:
            raise ValueError(
                f"unknown distribution {dist!r}: use lognormal (with p5/p95), pert or triangular (with min/mode/max) or uniform (with min/max)"
            )
        return dist

    @model_validator(mode="after")
    def _consistent(self) -> "Range":
        interval = self.p5 is not None or self.p95 is not None
        bounds = self.min is not None or self.max is not None or self.mode is not None
        if interval and bounds:
            raise ValueError("give either p5 and p95 (a 90 % interval) or min, mode and max, not both")
        if not interval and not bounds:
            raise ValueError("a range needs p5 and p95 (a 90 % interval), or min and max (and a mode, the most likely value)")
        if interval:
            if self.p5 is None or self.p95 is None:
                raise ValueError("a 90 % interval needs both p5 and p95")
            dist = self.dist or "lognormal"
            if dist != "lognormal":
                raise ValueError(f"dist {dist!r} takes min/mode/max (or min/max); a 90 % interval p5/p95 is lognormal")
            if self.p5 > self.p95:
                raise ValueError(f"the low end p5 = {_g(self.p5)} exceeds the high end p95 = {_g(self.p95)}")
            if self.p5 < 0:
                raise ValueError(f"p5 must not be negative (got {_g(self.p5)})")
            if self.p5 == 0:
                raise ValueError(f"a lognormal 90 % interval needs p5 above 0 (got {_g(self.p5)}); for a range from 0 give min, mode and max")
        else:
            if self.min is None or self.max is None:
                raise ValueError("a range by its ends needs both min and max")
            dist = self.dist or ("pert" if self.mode is not None else "uniform")
            if dist == "lognormal":
                raise ValueError("a lognormal range is given by p5 and p95 (a 90 % interval), not min/max")
            if self.min > self.max:
                raise ValueError(f"the low end min = {_g(self.min)} exceeds the high end max = {_g(self.max)}")
            if dist in ("pert", "triangular"):
                if self.mode is None:
                    raise ValueError(f"a {dist} range needs a mode (the most likely value) between min and max")
                if not self.min <= self.mode <= self.max:
                    raise ValueError(f"the mode {_g(self.mode)} is not between min = {_g(self.min)} and max = {_g(self.max)}")
            elif self.mode is not None:
                raise ValueError("a uniform range has no most likely value: drop 'mode', or use dist: pert")
        self.dist = dist
        if self.value is not None and not self.low <= self.value <= self.high:
            raise ValueError(f"value {_g(self.value)} is outside the range {_g(self.low)} .. {_g(self.high)}")
        return self

    # -- the distribution --------------------------------------------------------------------
    @property
    def low(self) -> float:
        """The low end: p5, or min."""
        return float(self.p5 if self.p5 is not None else self.min)  # type: ignore[arg-type]

    @property
    def high(self) -> float:
        """The high end: p95, or max."""
        return float(self.p95 if self.p95 is not None else self.max)  # type: ignore[arg-type]

    def _lognormal(self) -> tuple[float, float]:
        mu = (math.log(self.low) + math.log(self.high)) / 2
        return mu, (math.log(self.high) - math.log(self.low)) / (2 * Z95)

    def _pert(self) -> tuple[float, float]:
        span = self.high - self.low
        return 1 + 4 * (self.mode - self.low) / span, 1 + 4 * (self.high - self.mode) / span  # type: ignore[operator]

    @property
    def nominal(self) -> float:
        """The figure of the point analysis (``value``, else the median, mode or middle)."""
        if self.value is not None:
            return float(self.value)
        if self.dist == "lognormal":
            return math.exp(self._lognormal()[0])
        if self.dist == "uniform":
            return (self.low + self.high) / 2
        return float(self.mode)  # type: ignore[arg-type]

    @property
    def mean(self) -> float:
        """The mean of the distribution."""
        if self.dist == "lognormal":
            mu, sigma = self._lognormal()
            return math.exp(mu + sigma * sigma / 2)
        if self.dist == "uniform":
            return (self.low + self.high) / 2
        if self.dist == "triangular":
            return (self.low + float(self.mode) + self.high) / 3  # type: ignore[arg-type]
        return (self.low + 4 * float(self.mode) + self.high) / 6  # type: ignore[arg-type]

    def ppf(self, q: np.ndarray | float) -> np.ndarray:
        """The quantiles at probabilities ``q`` (vectorised): how samples are drawn from uniforms."""
        q = np.asarray(q, dtype=float)
        a, b = self.low, self.high
        if b == a:
            return np.full(q.shape, a)
        if self.dist == "lognormal":
            from scipy.special import ndtri

            mu, sigma = self._lognormal()
            return np.exp(mu + sigma * ndtri(q))
        if self.dist == "uniform":
            return a + q * (b - a)
        if self.dist == "triangular":
            m = float(self.mode)  # type: ignore[arg-type]
            c = (m - a) / (b - a)
            left = a + np.sqrt(q * (b - a) * (m - a))
            right = b - np.sqrt((1 - q) * (b - a) * (b - m))
            return np.where(q < c, left, right)
        from scipy.stats import beta

        alpha, beta_ = self._pert()
        return a + (b - a) * beta.ppf(q, alpha, beta_)

    def describe(self) -> str:
        """``lognormal, 90 % interval 0.005 .. 0.08`` or ``pert 6e+09 / 8e+09 / 1.4e+10``."""
        if self.dist == "lognormal":
            return f"lognormal, 90 % interval {_g(self.low)} .. {_g(self.high)}"
        if self.dist == "uniform":
            return f"uniform {_g(self.low)} .. {_g(self.high)}"
        return f"{self.dist} min {_g(self.low)}, most likely {_g(float(self.mode))}, max {_g(self.high)}"  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, Any]:
        """JSON form: the distribution, its ends, the point figure, the mean and the basis."""
        out: dict[str, Any] = {"dist": self.dist, "low": self.low, "high": self.high}
        if self.dist in ("lognormal",):
            out["interval"] = 0.9
        if self.mode is not None:
            out["mode"] = float(self.mode)
        out.update({"value": self.nominal, "mean": self.mean, "basis": self.basis})
        return out


TAGS = ("<number>", "<range>")
"""The union tags of an assumed figure, which validation errors carry in their paths (see
:func:`drillsim.invest.located.validate_document`, which drops them)."""


def _kind(value: Any) -> str:
    return TAGS[1] if isinstance(value, (dict, Range)) else TAGS[0]


def non_negative(what: str) -> Callable[[Any], Any]:
    """A check that a figure (or a range's low end) is >= 0; ``what`` says why, in the message."""

    def check(value: float | Range) -> float | Range:
        low = value.low if isinstance(value, Range) else value
        if low < 0:
            end = "the low end of the range " if isinstance(value, Range) else ""
            raise ValueError(f"{end}must not be negative (got {_g(low)}): {what}")
        return value

    return check


def positive(what: str) -> Callable[[Any], Any]:
    """A check that a figure (or a range's low end) is > 0."""

    def check(value: float | Range) -> float | Range:
        low = value.low if isinstance(value, Range) else value
        if low <= 0:
            end = "the low end of the range " if isinstance(value, Range) else ""
            raise ValueError(f"{end}must be above 0 (got {_g(low)}): {what}")
        return value

    return check


def _factor(value: float | Range) -> float | Range:
    if isinstance(value, Range):
        if value.low < 0:
            raise ValueError(f"the low end of the range must not be negative (got {_g(value.low)}): it multiplies the model's loss figures")
        if not value.low <= 1 <= value.high:
            raise ValueError(f"the range {_g(value.low)} .. {_g(value.high)} must contain 1 (the model's own figures, which the point analysis uses)")
        if value.value is not None and value.value != 1:
            raise ValueError(f"value must be 1 (the model's own figures are the point analysis' yardstick), got {_g(value.value)}")
    elif value != 1:
        raise ValueError(f"a loss-figure factor is 1 (the model's figures) or a range around it, got {_g(value)}")
    return value


def assumed(check: Callable[[Any], Any], number: Any = Number) -> Any:
    """The type of an assumed figure: ``number`` (a plain figure) or a :class:`Range`, then ``check``."""
    return Annotated[
        Union[Annotated[number, Tag(TAGS[0])], Annotated[Range, Tag(TAGS[1])]],
        Discriminator(_kind),
        AfterValidator(check),
    ]


Amount = assumed(non_negative("it is an amount of money"))
"""A cost: a number >= 0, or a :class:`Range` of them."""

PositiveAmount = assumed(positive("it is a number of years"))
"""A lifetime: a number > 0, or a :class:`Range` of them."""

Factor = assumed(_factor)
"""A multiplier of the model's loss figures: 1, or a :class:`Range` containing 1."""


def is_range(value: Any) -> bool:
    """Whether an assumed figure is a range."""
    return isinstance(value, Range)


def nominal(value: float | Range) -> float:
    """The figure of the point analysis: the number itself, or the range's nominal value."""
    return value.nominal if isinstance(value, Range) else float(value)

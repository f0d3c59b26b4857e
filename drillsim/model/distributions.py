"""Random durations: fixed, exponential, Weibull, lognormal, uniform and triangular.

A scenario writes a random duration either as a plain duration (``2h``: always two hours) or as
a mapping naming the distribution::

    duration: {dist: lognormal, mean: 8h, cv: 0.5}
    time_to_failure: {dist: exponential, mean: 1000h}
    time_to_repair: {dist: weibull, shape: 1.5, mean: 10h}

Parameters are checked for the range where the distribution's mean exists and every sample is
a finite number of hours: a Weibull shape from 0.1 to 100, a lognormal ``cv`` up to 1,000 (or
``sigma`` up to 4), and a mean no longer than any duration may be
(:data:`~drillsim.model.limits.MAX_DURATION_HOURS`).

Durations are sampled from the distribution given, never replaced by its mean (with one shared
repair crew, a lognormal repair time with the same mean as an exponential one changes a redundant
pair's unavailability). Sampling takes the caller's ``numpy.random.Generator``; this module owns
no randomness of its own.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .limits import MAX_DURATION_HOURS
from .units import Duration, PositiveDuration, format_duration, written

if TYPE_CHECKING:
    import numpy as np  # only the callers' generators: validating a scenario needs no numpy

__all__ = [
    "DurationDist",
    "Fixed",
    "Exponential",
    "Weibull",
    "LogNormal",
    "Uniform",
    "Triangular",
    "fixed",
]


_CONFIG = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

WEIBULL_SHAPES = (0.1, 100.0)
"""Weibull shapes accepted: below 0.1 the mean is more than 3.6 million times the scale and samples overflow."""
MAX_CV = 1000.0
"""Largest lognormal coefficient of variation (sigma 3.7)."""
MAX_SIGMA = 4.0
"""Largest lognormal sigma (cv 2,981): beyond it a sample mean needs more runs than any study has."""


def _check_mean(dist: str, mean: float) -> None:
    if not math.isfinite(mean) or mean > MAX_DURATION_HOURS:
        raise ValueError(
            f"{dist}: the mean duration is {mean:.4g}h, longer than any scenario means (the limit is {MAX_DURATION_HOURS:g}h)"
        )


class _Dist(BaseModel):
    model_config = _CONFIG

    @property
    def mean(self) -> float:  # pragma: no cover - overridden
        raise NotImplementedError

    def sample(self, rng: np.random.Generator) -> float:  # pragma: no cover - overridden
        raise NotImplementedError

    def length_biased(self, rng: np.random.Generator) -> float:  # pragma: no cover - overridden
        """A sample from the length-biased distribution (density x f(x) / mean)."""
        raise NotImplementedError

    def residual(self, rng: np.random.Generator) -> float:
        """A sample of the time left at a random moment: the equilibrium (residual-life) distribution.

        Its density is (1 - F(x)) / mean, and it is V x L with L length-biased and V uniform on
        [0, 1) (renewal theory: Cox, *Renewal Theory*, 1962, ch. 5). A component observed at an
        arbitrary moment of a long life has this much left of its current period.
        """
        return float(rng.random()) * self.length_biased(rng)

    def describe(self) -> str:
        """A short human description, e.g. ``about 8h (lognormal)``."""
        return f"about {format_duration(self.mean)} ({self.dist})"  # type: ignore[attr-defined]


class Fixed(_Dist):
    """Always the same duration."""

    dist: Literal["fixed"] = "fixed"
    value: Duration = Field(description="The duration.")

    @property
    def mean(self) -> float:
        return self.value

    def sample(self, rng: np.random.Generator) -> float:
        return self.value

    def length_biased(self, rng: np.random.Generator) -> float:
        return self.value

    def describe(self) -> str:
        return format_duration(self.value)


class Exponential(_Dist):
    """Memoryless durations (constant failure rate): ``{dist: exponential, mean: 1000h}``."""

    dist: Literal["exponential"]
    mean_: PositiveDuration = Field(alias="mean", description="Mean duration (1/rate).")
    model_config = _CONFIG

    @property
    def mean(self) -> float:
        return self.mean_

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.exponential(self.mean_))

    def length_biased(self, rng: np.random.Generator) -> float:
        return float(rng.gamma(2.0, self.mean_))  # x e^(-x/m) / m^2: Gamma(2, m)


class Weibull(_Dist):
    """Weibull durations, given ``shape`` and either ``scale`` or ``mean``.

    shape < 1: infant mortality; 1: exponential; > 1: wear-out.
    """

    dist: Literal["weibull"]
    shape: float = Field(ge=WEIBULL_SHAPES[0], le=WEIBULL_SHAPES[1], description="Shape parameter k (0.1 to 100).")
    scale: PositiveDuration | None = Field(default=None, description="Scale parameter (characteristic life).")
    mean_: PositiveDuration | None = Field(default=None, alias="mean", description="Mean duration; the scale is derived from it.")
    model_config = _CONFIG

    @model_validator(mode="after")
    def _one_of_scale_or_mean(self) -> "Weibull":
        if (self.scale is None) == (self.mean_ is None):
            raise ValueError("a weibull distribution needs exactly one of 'scale' or 'mean'")
        _check_mean("weibull", self.mean)
        if not self.lam > 0:
            raise ValueError(f"weibull: the scale derived from the mean is {self.lam:.4g}h: give a larger shape or mean")
        return self

    @property
    def lam(self) -> float:
        """The scale parameter, derived from the mean when the mean was given."""
        if self.scale is not None:
            return self.scale
        return self.mean_ / math.gamma(1.0 + 1.0 / self.shape)  # type: ignore[operator]

    @property
    def mean(self) -> float:
        return self.lam * math.gamma(1.0 + 1.0 / self.shape)

    def sample(self, rng: np.random.Generator) -> float:
        return float(self.lam * rng.weibull(self.shape))

    def length_biased(self, rng: np.random.Generator) -> float:
        # x f(x) is proportional to x^k e^(-(x/lam)^k): (x/lam)^k ~ Gamma(1 + 1/k, 1).
        return float(self.lam * rng.gamma(1.0 + 1.0 / self.shape) ** (1.0 / self.shape))


class LogNormal(_Dist):
    """Lognormal durations given their ``mean`` and either ``cv`` (std/mean) or ``sigma`` (log-space)."""

    dist: Literal["lognormal"]
    mean_: PositiveDuration = Field(alias="mean", description="Mean duration.")
    cv: float | None = Field(default=None, gt=0, le=MAX_CV, description="Coefficient of variation (standard deviation / mean), up to 1,000.")
    sigma: float | None = Field(default=None, gt=0, le=MAX_SIGMA, description="Standard deviation of the log of the duration, up to 4.")
    model_config = _CONFIG

    @model_validator(mode="after")
    def _one_of_cv_or_sigma(self) -> "LogNormal":
        if (self.cv is None) == (self.sigma is None):
            raise ValueError("a lognormal distribution needs exactly one of 'cv' or 'sigma'")
        return self

    @property
    def log_sigma(self) -> float:
        """Sigma of the underlying normal: sqrt(ln(1 + cv^2)) when cv was given."""
        if self.sigma is not None:
            return self.sigma
        return math.sqrt(math.log1p(self.cv**2))  # type: ignore[operator]

    @property
    def mean(self) -> float:
        return self.mean_

    def sample(self, rng: np.random.Generator) -> float:
        s = self.log_sigma
        mu = math.log(self.mean_) - s * s / 2.0  # E[X] = exp(mu + s^2/2)
        return float(rng.lognormal(mu, s))

    def length_biased(self, rng: np.random.Generator) -> float:
        s = self.log_sigma
        mu = math.log(self.mean_) - s * s / 2.0
        return float(rng.lognormal(mu + s * s, s))  # length-biasing shifts mu by sigma^2


class Uniform(_Dist):
    """Uniform durations between ``low`` and ``high``."""

    dist: Literal["uniform"]
    low: Duration = Field(description="Shortest duration.")
    high: PositiveDuration = Field(description="Longest duration.")

    @model_validator(mode="after")
    def _ordered(self) -> "Uniform":
        if self.high <= self.low:
            raise ValueError(f"uniform: high ({format_duration(self.high)}) must exceed low ({format_duration(self.low)})")
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2.0

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.uniform(self.low, self.high))

    def length_biased(self, rng: np.random.Generator) -> float:
        # density 2x / (high^2 - low^2) on [low, high]: inverse of its CDF.
        a, b = self.low, self.high
        return math.sqrt(a * a + float(rng.random()) * (b * b - a * a))


class Triangular(_Dist):
    """Three-point estimates (optimistic, most likely, pessimistic), as runbooks often give."""

    dist: Literal["triangular"]
    low: Duration = Field(description="Optimistic duration.")
    mode: Duration = Field(description="Most likely duration.")
    high: PositiveDuration = Field(description="Pessimistic duration.")

    @model_validator(mode="after")
    def _ordered(self) -> "Triangular":
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError("triangular: need low <= mode <= high and low < high")
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3.0

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.triangular(self.low, self.mode, self.high))

    def length_biased(self, rng: np.random.Generator) -> float:
        # Rejection: a triangular sample kept with probability x / high.
        while True:
            x = float(rng.triangular(self.low, self.mode, self.high))
            if float(rng.random()) * self.high <= x:
                return x


def _plain_duration_to_fixed(value: Any) -> Any:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return {"dist": "fixed", "value": value}
    return value


DurationDist = Annotated[
    Union[Fixed, Exponential, Weibull, LogNormal, Uniform, Triangular],
    Field(discriminator="dist"),
    BeforeValidator(_plain_duration_to_fixed),
]
"""A random (or fixed) duration: a plain duration like ``2h`` or ``{dist: ..., ...}``."""


def fixed(hours: float) -> Fixed:
    """A fixed duration of ``hours``, for building scenarios in code."""
    return Fixed(value=written(format_duration(hours)))

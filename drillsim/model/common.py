"""Building blocks shared by every part of the scenario schema: ids, probabilities, the base model."""

from __future__ import annotations

from typing import Annotated, Any, Iterable

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .limits import MAX_COUNT

__all__ = ["Id", "Probability", "Share", "Strict", "ID_PATTERN", "require_unique", "Count", "PositiveCount"]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"

Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=120),
    Field(description="An identifier: ASCII letters, digits and _ . : - (the display name may be in any script)."),
]
"""A reference-able identifier. ``/`` is reserved: ``system/placement`` names one replica."""

Probability = Annotated[float, Field(ge=0.0, le=1.0, description="A probability in [0, 1].")]
"""A probability in [0, 1]."""

Share = Annotated[float, Field(ge=0.0, le=1.0, description="A share in [0, 1].")]
"""A share of something (demand, capacity) in [0, 1]."""

Count = Annotated[int, Field(ge=0, le=MAX_COUNT, description="A whole number from 0 to 10^9.")]
"""A count of people, servers or capacity units: 0 to :data:`~drillsim.model.limits.MAX_COUNT`."""

PositiveCount = Annotated[int, Field(ge=1, le=MAX_COUNT, description="A whole number from 1 to 10^9.")]
"""A count of at least one, up to :data:`~drillsim.model.limits.MAX_COUNT`."""


def require_unique(values: Iterable[Any], what: str, hint: str = "") -> None:
    """Raise ValueError naming the first value that appears twice (``what``: 'option id', ...)."""
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is used twice{hint}")
        seen.add(value)


class Strict(BaseModel):
    """Base of every scenario model: unknown fields are errors (a typo never passes silently).

    Numbers must be finite: ``.nan`` and ``.inf`` are refused wherever a number is read.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=True, allow_inf_nan=False)

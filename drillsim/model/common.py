"""Building blocks shared by every part of the scenario schema: ids, probabilities, the base model."""

from __future__ import annotations

from typing import Annotated, Any, Iterable

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = ["Id", "Probability", "Share", "Strict", "ID_PATTERN", "require_unique"]

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


def require_unique(values: Iterable[Any], what: str, hint: str = "") -> None:
    """Raise ValueError naming the first value that appears twice (``what``: 'option id', ...)."""
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is used twice{hint}")
        seen.add(value)


class Strict(BaseModel):
    """Base of every scenario model: unknown fields are errors (a typo never passes silently)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=True)

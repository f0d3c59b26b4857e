"""Amounts of money as a reader expects them: ``12.3bn``, or in Korean units (만, 억, 조).

Korean amounts are counted in myriads: 1만 = 10^4, 1억 = 10^8, 1조 = 10^12. A budget document
writes 2,510억 원 or 1.2조 원, not 251bn; :func:`korean` does the same (three significant digits,
thousands separated below 1,000 of a unit). :func:`formatter` picks one of the two styles, and
:data:`EOK` is the unit the spreadsheet uses for amounts in Korean units (a number of 억).
"""

from __future__ import annotations

import math
from typing import Callable

__all__ = ["compact", "korean", "formatter", "EOK", "JO", "MAN"]

MAN = 1e4
"""만: ten thousand."""
EOK = 1e8
"""억: a hundred million."""
JO = 1e12
"""조: a million million."""


def _sig(value: float) -> str:
    """Three significant digits, thousands separated, no trailing zeros (``1,234``, ``12.3``, ``1.5``)."""
    if value >= 999.5:
        return f"{round(value):,}"
    text = f"{float(f'{value:.3g}'):,.3f}".rstrip("0").rstrip(".")
    return text


def compact(value: float | None, signed: bool = False) -> str:
    """``1234567890`` -> ``1.23bn``: three significant digits, suffixes k, M, bn, tn; None -> ``-``."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    v = abs(value)
    if v < 999.5:
        return f"{sign}{v:.3g}" if v >= 1 or v == 0 else f"{sign}{v:.2g}"
    for size, suffix in ((1e3, "k"), (1e6, "M"), (1e9, "bn"), (1e12, "tn")):
        scaled = v / size
        if scaled < 999.5 or suffix == "tn":
            return f"{sign}{float(f'{scaled:.3g}'):g}{suffix}"
    return f"{sign}{v:g}"  # pragma: no cover


def korean(value: float | None, signed: bool = False) -> str:
    """``251_000_000_000`` -> ``2,510억``; ``1.2e12`` -> ``1.2조``; ``45_000_000`` -> ``4,500만``; None -> ``-``."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    v = abs(value)
    if v < MAN:
        return f"{sign}{round(v):,}" if v >= 1 or v == 0 else f"{sign}{v:.2g}"
    for size, unit in ((JO, "조"), (EOK, "억"), (MAN, "만")):
        if v >= size * (1 - 5e-4):
            return f"{sign}{_sig(v / size)}{unit}"
    return f"{sign}{v:g}"  # pragma: no cover


def formatter(korean_units: bool) -> Callable[..., str]:
    """:func:`korean` or :func:`compact`."""
    return korean if korean_units else compact

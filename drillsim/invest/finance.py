"""Money over time: present values, NPV, benefit/cost ratio, payback and equivalent annual cost.

Conventions (the same in the README's Invest section):

- An investment costs ``C0`` (capital) at year 0 and ``c`` (yearly cost) at the end of each year
  of its lifetime ``T``; it avoids ``B`` of expected loss at the end of each of those years.
- ``r`` is the yearly discount rate. The annuity factor, the present value of 1 a year for ``t``
  years, is ``A(r, t) = (1 - (1 + r)^-t) / r`` (``A(0, t) = t``); the formula is used as is for a
  fractional ``t``, which gives the payback time in fractions of a year.
- ``NPV = (B - c) * A(r, T) - C0``.
- ``B/C = B * A(r, T) / (C0 + c * A(r, T))``: present value of avoided loss over present value of
  cost (undefined when the option costs nothing).
- Payback time ``t*``: the (discounted) time at which the NPV over ``t`` years reaches zero,
  ``(B - c) * A(r, t*) = C0``, i.e. ``t* = -ln(1 - r * C0 / (B - c)) / ln(1 + r)`` (``C0 / (B - c)``
  when ``r = 0``). None when the option never pays back (``B <= c``, or ``r * C0 >= B - c``).
- Equivalent annual cost ``EAC = C0 / A(r, T) + c``: the level yearly payment with the same present
  value as the option's costs, so options of different lifetimes compare year for year.
- Budget cost: ``C0 + Y * c`` for a budget period of ``Y`` years (nominal, undiscounted, as a
  multi-year budget line is written).
"""

from __future__ import annotations

import math

__all__ = ["annuity_factor", "npv", "benefit_cost_ratio", "payback_years", "equivalent_annual_cost", "budget_cost"]


def annuity_factor(rate: float, years: float) -> float:
    """``A(r, t)``: present value of 1 paid at the end of each year for ``years`` years."""
    if years <= 0:
        return 0.0
    if rate == 0:
        return float(years)
    return (1.0 - (1.0 + rate) ** (-years)) / rate


def npv(benefit: float, capital: float, yearly: float, lifetime: float, rate: float) -> float:
    """``(B - c) * A(r, T) - C0``."""
    return (benefit - yearly) * annuity_factor(rate, lifetime) - capital


def benefit_cost_ratio(benefit: float, capital: float, yearly: float, lifetime: float, rate: float) -> float | None:
    """``B * A / (C0 + c * A)``; None for an option that costs nothing."""
    a = annuity_factor(rate, lifetime)
    cost = capital + yearly * a
    if cost <= 0:
        return None
    return benefit * a / cost


def payback_years(benefit: float, capital: float, yearly: float, rate: float) -> float | None:
    """Discounted payback time in years (see the module docstring); None if it never pays back."""
    net = benefit - yearly
    if net <= 0:
        return None if capital > 0 or net < 0 else 0.0
    if capital <= 0:
        return 0.0
    if rate == 0:
        return capital / net
    x = 1.0 - rate * capital / net
    if x <= 0:
        return None
    return -math.log(x) / math.log(1.0 + rate)


def equivalent_annual_cost(capital: float, yearly: float, lifetime: float, rate: float) -> float:
    """``C0 / A(r, T) + c``."""
    return capital / annuity_factor(rate, lifetime) + yearly


def budget_cost(capital: float, yearly: float, years: float) -> float:
    """``C0 + Y * c``: what the option takes out of a budget covering ``years`` years."""
    return capital + yearly * years

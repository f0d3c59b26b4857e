"""Proof that the engine gives the answers theory gives: validation cases, formulas, a runner.

- :mod:`drillsim.check.theory`: closed forms and Markov models (availability, k-out-of-n,
  shared repair crews, active-standby with imperfect switchover, beta-factor common cause,
  backup data loss, Erlang B/C/A, M/M/c/K), each citing its source.
- :mod:`drillsim.check.cases`: the case file format (a scenario, outputs, theoretical values)
  and the built-in cases in ``drillsim/check/cases/``.
- :mod:`drillsim.check.runner`: independent replications through the real engine, Student t
  confidence intervals, pass when theory lies inside.

``drillsim check`` (``drillsim/cli/check_cmd.py``) runs them from the command line.
"""

from .cases import OUTPUTS, Case, Check, builtin_cases, load_case, measure
from .runner import Outcome, run_cases, run_seed, summarize
from .theory import FORMULAS

__all__ = ["FORMULAS", "OUTPUTS", "Case", "Check", "Outcome", "builtin_cases", "load_case", "measure", "run_cases", "run_seed", "summarize"]

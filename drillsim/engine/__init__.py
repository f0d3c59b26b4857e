"""The simulation engine (SimPy): the world, its failures and recoveries, policies and scores.

Knows nothing of Textual or any UI; drives only through :class:`Simulation` and
:func:`run_scenario`, and reports through :class:`RunResult`.
"""

from .actions import ActionError, ActionId, ActionKind, ActionOption
from .compiled import CompiledModel, compile_scenario
from .events import Event
from .results import Metrics, RunResult, SystemResult
from .simulation import Simulation, SystemView, run_scenario
from .status import SYMBOLS, Status

__all__ = [
    "ActionError",
    "ActionId",
    "ActionKind",
    "ActionOption",
    "CompiledModel",
    "Event",
    "Metrics",
    "RunResult",
    "SYMBOLS",
    "Simulation",
    "Status",
    "SystemResult",
    "SystemView",
    "compile_scenario",
    "run_scenario",
]

"""The scenario model: pydantic schema, YAML loading with overlays, validation and graph queries.

This layer knows nothing of SimPy or Textual; everything above it reads scenarios through it.
"""

from .diagnostics import Diagnostic, DrillsimError, ScenarioError, Severity
from .domains import Domain, DomainKind
from .injects import Decision, Inject
from .loading import LoadedScenario, load_scenario, load_scenario_data, scenario_from_data, scenario_hash
from .scenario import Scenario
from .systems import System
from .teams import Team

__all__ = [
    "Decision",
    "Diagnostic",
    "Domain",
    "DomainKind",
    "DrillsimError",
    "Inject",
    "LoadedScenario",
    "Scenario",
    "ScenarioError",
    "Severity",
    "System",
    "Team",
    "load_scenario",
    "load_scenario_data",
    "scenario_from_data",
    "scenario_hash",
]

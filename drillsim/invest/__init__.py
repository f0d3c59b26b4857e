"""Investment analysis: which redundancy investments buy the most avoided loss per won.

Inputs are the model, a threats file (what can happen, how often: :mod:`.threats`) and an options
file (investments as overlays on the model, with costs: :mod:`.options`). Each threat is simulated
with and without each option on the same seeds (:mod:`.variants`, :mod:`.runner`); a run's loss
comes from the systems' loss figures (:mod:`.loss`); expected annual losses, intervals, NPV,
benefit/cost ratios, payback, the Pareto front and the best portfolio under a budget are computed
in :mod:`.analysis` (money formulas in :mod:`.finance`, intervals in :mod:`.estimate`) and shown
by :mod:`.report` (terminal tables, JSON) and :mod:`.plot` (the Pareto front as a PNG).
"""

from .analysis import InvestAnalysis, InvestReport, Settings
from .loss import RunLoss, run_loss
from .options import OptionSet, load_options
from .threats import ThreatSet, load_threats
from .variants import Variant, VariantBuilder

__all__ = [
    "InvestAnalysis",
    "InvestReport",
    "OptionSet",
    "RunLoss",
    "Settings",
    "ThreatSet",
    "Variant",
    "VariantBuilder",
    "load_options",
    "load_threats",
    "run_loss",
]

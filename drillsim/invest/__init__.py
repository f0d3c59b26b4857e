"""Investment analysis: which redundancy investments buy the most avoided loss per won.

Inputs are the model, a threats file (what can happen, how often: :mod:`.threats`) and an options
file (investments as overlays on the model, with costs: :mod:`.options`). Each threat is simulated
with and without each option on the same seeds (:mod:`.variants`, :mod:`.runner`), as many runs
as the questions the output answers need (:mod:`.sequential`, :mod:`.decisions`), and only where
an option can reach the threat, portfolios of options with disjoint influence added up instead
(:mod:`.reach`, :mod:`.shortcuts`); a run's loss comes from the systems' loss figures
(:mod:`.loss`); expected annual losses, intervals, NPV, benefit/cost ratios, payback, the Pareto front and the best portfolio under a budget are computed
in :mod:`.analysis` (settings in :mod:`.settings`, records in :mod:`.results`, the portfolio
search in :mod:`.search`, money formulas in :mod:`.finance`, intervals in :mod:`.estimate`) and
shown by :mod:`.report` (terminal tables, JSON) and :mod:`.plot` (the Pareto front as a PNG).

From the same per-run records (:mod:`.runs`), with no new simulation (:mod:`.robustness`): the
annual loss distribution (:mod:`.years`: exceedance curves, VaR, TVaR), and for assumptions given
as ranges (:mod:`.assumptions`, :mod:`.sampling`) the second-order Monte Carlo over them
(:mod:`.economics`, :mod:`.uncertainty`: NPV spread, P(worth it), rank intervals, tornado,
break-even). For the budget office: :mod:`.office_tables` (the tables), :mod:`.office_html`,
:mod:`.office_xlsx`, :mod:`.risk_plot` (curves, tornado, ranking), :mod:`.amounts` (만/억/조),
:mod:`.report_risk` and :mod:`.report_runs` (terminal tables).
"""

from .analysis import InvestAnalysis, InvestReport, Settings
from .assumptions import Range
from .loss import RunLoss, run_loss
from .options import OptionSet, load_options
from .runs import RunRecords
from .threats import ThreatSet, load_threats
from .variants import Variant, VariantBuilder

__all__ = [
    "InvestAnalysis",
    "InvestReport",
    "OptionSet",
    "Range",
    "RunLoss",
    "RunRecords",
    "Settings",
    "ThreatSet",
    "Variant",
    "VariantBuilder",
    "load_options",
    "load_threats",
    "run_loss",
]

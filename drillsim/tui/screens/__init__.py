"""The drill app's screens: briefing, board, decision dialog, go-to-time dialog, report, situation reports."""

from .board import BoardScreen
from .briefing import BriefingScreen
from .decision import DecisionScreen
from .goto import GotoScreen
from .report import ReportScreen
from .sitrep import SitrepScreen

__all__ = ["BoardScreen", "BriefingScreen", "DecisionScreen", "GotoScreen", "ReportScreen", "SitrepScreen"]

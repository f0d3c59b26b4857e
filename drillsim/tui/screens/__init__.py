"""The drill app's screens: briefing, board, decision, go-to-time, order and confirmation dialogs, the facilitator's console, report, situation reports."""

from .board import BoardScreen
from .briefing import BriefingScreen
from .confirm import ConfirmScreen
from .console import ConsoleScreen
from .decision import DecisionScreen
from .goto import GotoScreen
from .orders import OrderScreen
from .report import ReportScreen
from .sitrep import SitrepScreen

__all__ = ["BoardScreen", "BriefingScreen", "ConfirmScreen", "ConsoleScreen", "DecisionScreen", "GotoScreen", "OrderScreen", "ReportScreen", "SitrepScreen"]

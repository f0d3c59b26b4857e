"""The board's widgets: clock, view marker, system board, system list, orders, RTO watch, roster, curve, feed."""

from .clock import Clock, ViewMarker
from .curve import RecoveryCurve
from .feed import EventFeed
from .groups import GroupBoard
from .orders import OrdersPanel
from .roster import Roster
from .rto import RtoPanel
from .systems import SystemList, SystemListHeader

__all__ = ["Clock", "EventFeed", "GroupBoard", "OrdersPanel", "RecoveryCurve", "Roster", "RtoPanel", "SystemList", "SystemListHeader", "ViewMarker"]

"""The messages between the drill server and its seats: one JSON object per WebSocket text message.

A seat opens with ``hello`` and the server answers ``welcome`` then ``state`` (the seat's view
now), or ``refused`` and closes. After that, every message from a seat carries an ``id`` that the
server's ``result`` repeats:

=============  =================================================  ==========================================
from a seat    fields                                             the server
=============  =================================================  ==========================================
``hello``      ``seat``, ``token``                                ``welcome`` + ``state``, or ``refused``
``command``    ``id``, ``line`` (a one-line command)              journals it, ``result``, ``state`` to all
``report``     ``id``, ``org``, ``systems``, ``default``          journals it, ``result``, ``state`` to all
``read``       ``id``, ``what`` (``truth``, ``system``, ``score``)  ``result`` with ``data``
``pause``      ``id``, ``note``                                   ``notice`` to the facilitator
=============  =================================================  ==========================================

``state`` is the whole of what the seat may know now (never a replay of the past): the clock,
its systems' statuses, its teams, its decisions, its feed (the last lines), the reports table.
"""

from __future__ import annotations

import json
from typing import Any

from ..model import DrillsimError

__all__ = ["ProtocolError", "CLIENT_TYPES", "MAX_MESSAGE", "encode", "decode", "CLOSE_REFUSED"]

CLIENT_TYPES = ("hello", "command", "report", "read", "pause")
"""The messages a seat may send."""
MAX_MESSAGE = 1 << 20
"""Largest message a seat may send (bytes); the server sends up to 16 times that."""
CLOSE_REFUSED = 4401
"""WebSocket close code of a refused seat (unknown seat or wrong token)."""


class ProtocolError(DrillsimError):
    """A message that is not what the protocol allows."""


def encode(message: dict[str, Any]) -> str:
    """A message as sent."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def decode(raw: str | bytes, allowed: tuple[str, ...] | None = CLIENT_TYPES) -> dict[str, Any]:
    """A message received; ProtocolError if it is not a JSON object with a known ``type``."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError("a message must be UTF-8 JSON text") from None
    try:
        message = json.loads(raw)
    except (ValueError, RecursionError):
        raise ProtocolError("a message must be a JSON object") from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolError("a message must be a JSON object with a 'type'")
    if allowed is not None and message["type"] not in allowed:
        raise ProtocolError(f"unknown message type {message['type'][:40]!r} (known: {', '.join(allowed)})")
    return message

"""How fast a drill plays: the speeds, the tick, and what each tick of play does.

While play runs, the board ticks every :data:`TICK` seconds of wall time. In a live drill each
tick advances the simulation by the speed's simulated hours per second times the tick; in a
replay each tick plays back recorded commands at the speed's commands per second (fractions
carry over to the next tick, so 1 cmd/s plays one command every fourth tick).
"""

from __future__ import annotations

__all__ = ["TICK", "SPEEDS", "REPLAY_SPEEDS", "PlayClock"]

TICK = 0.25
"""Seconds between two steps of play."""
SPEEDS = ((1 / 60, "1 min/s"), (5 / 60, "5 min/s"), (0.25, "15 min/s"), (1.0, "1 h/s"), (4.0, "4 h/s"), (24.0, "1 day/s"))
"""Play speeds: simulated hours per second of wall time, and how they read."""
REPLAY_SPEEDS = ((1.0, "1 cmd/s"), (2.0, "2 cmd/s"), (4.0, "4 cmd/s"), (8.0, "8 cmd/s"), (16.0, "16 cmd/s"), (32.0, "32 cmd/s"))
"""Replay speeds: recorded commands per second."""


class PlayClock:
    """Whether play runs, at which speed, and how far each tick goes (UI-free: the board drives it)."""

    def __init__(self, replay: bool, speed: int = 2):
        self.replay = replay
        self.speeds = REPLAY_SPEEDS if replay else SPEEDS
        self.speed = speed
        """Index into the speeds (default 15 min/s, or 4 cmd/s in a replay)."""
        self.playing = False
        self._budget = 0.0

    @property
    def label(self) -> str:
        """How fast play runs: ``15 min/s``, ``4 cmd/s``."""
        return self.speeds[self.speed][1]

    def set_playing(self, playing: bool) -> None:
        """Start or stop play (a fraction of a command left from earlier play is dropped)."""
        self.playing = playing
        self._budget = 0.0

    def change_speed(self, delta: int) -> None:
        """Faster (``delta`` > 0) or slower, within the speeds."""
        self.speed = max(0, min(len(self.speeds) - 1, self.speed + int(delta)))
        self._budget = 0.0

    def tick_hours(self) -> float:
        """Simulated hours one tick of a live drill advances."""
        return SPEEDS[self.speed][0] * TICK

    def tick_commands(self) -> int:
        """Recorded commands one tick of a replay plays back (fractions carry over)."""
        self._budget += REPLAY_SPEEDS[self.speed][0] * TICK
        count = int(self._budget)
        self._budget -= count
        return count

"""What the drill board shows, kept up to date in time proportional to the touched systems.

A national model has some 17,000 systems; a fire touches a few hundred to a few thousand. The
board therefore never walks the whole model after the start:

- each system's group (its home site, i.e. the site of its primary placement, and its grade)
  and the size of every group are computed once, when the board is built;
- after each command, :meth:`BoardModel.update` asks the engine for the status of the touched
  systems only (:meth:`Simulation.touched_statuses`), compares with the status it last saw, and
  moves the systems that changed between the per-group counters. Every system it has not seen
  is up, so ``up = group size - the group's other counts``;
- it does this for both views at once, the team's (fog of war) and the facilitator's (truth),
  so toggling the view costs nothing;
- the recovery curve is sampled after every command: the share of the systems seen not serving
  at least once that serve again, as each view saw it.

Nothing here imports a UI; the Textual app renders what this computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..engine import Simulation, Status, SystemView

__all__ = ["BoardModel", "GroupRow", "RtoWatch", "SEVERITY", "GROUPINGS", "VIEWS", "curve_at", "describe_counts"]

GROUPINGS = ("site", "grade")
"""How the board groups systems."""
VIEWS = ("team", "truth")
"""The team's view (fog of war) and the facilitator's (the truth)."""

SEVERITY = {
    Status.down: 0,
    Status.unknown: 1,
    Status.recovering: 2,
    Status.fallback: 3,
    Status.degraded: 4,
    Status.up: 5,
}
"""Display order of statuses: worst first."""

_NOT_SERVING = (Status.down, Status.unknown, Status.recovering, Status.fallback)
_NO_SITE = -1


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One line of the board: a site or a grade, its size, and how many systems are in each status."""

    key: int
    label: str
    total: int
    counts: dict[Status, int]

    @property
    def affected(self) -> int:
        """Systems of the group that are not up."""
        return self.total - self.counts[Status.up]


@dataclass(frozen=True, slots=True)
class RtoWatch:
    """A detected system that is not serving, and the time left before its RTO is breached."""

    index: int
    view: SystemView
    remaining: float
    """Hours left before the RTO is breached (negative: breached that long ago)."""


class _ViewState:
    """Per-view counters: last status seen per touched system, counts per group, curve samples."""

    __slots__ = ("last", "counts", "affected", "serving", "curve", "rows", "changed")

    def __init__(self, groupings: dict[str, list[int]]):
        self.last: dict[int, Status] = {}
        self.counts: dict[str, dict[int, dict[Status, int]]] = {g: {} for g in groupings}
        self.affected: set[int] = set()
        self.serving = 0  # systems in ``affected`` serving now
        self.curve: list[tuple[float, float]] = []
        self.rows: list[int] | None = None
        self.changed = True


class BoardModel:
    """Group counts, the list of touched systems, RTO countdowns and the recovery curve, for both views."""

    def __init__(self, sim: Simulation):
        self.sim = sim
        c = sim.compiled
        scenario = sim.scenario
        n = len(c.sys_ids)
        self.size = n
        # Home site of each system: the first site among the domains of its primary placement.
        home = [c.site_of_closure(c.rep_closure[c.sys_active0[i]]) for i in range(n)]
        self.keys: dict[str, list[int]] = {"site": home, "grade": list(c.grade)}
        self.totals: dict[str, dict[int, int]] = {g: {} for g in GROUPINGS}
        for grouping, keys in self.keys.items():
            totals = self.totals[grouping]
            for k in keys:
                totals[k] = totals.get(k, 0) + 1
        self.labels: dict[str, dict[int, str]] = {
            "site": {k: (scenario.domain_index[c.dom_ids[k]].label if k != _NO_SITE else "(no site)") for k in self.totals["site"]},
            "grade": {k: f"grade {k}" for k in self.totals["grade"]},
        }
        # Sites in the order the scenario declares them, systems without a site last.
        self.order: dict[str, list[int]] = {
            "site": sorted(self.totals["site"], key=lambda k: (k == _NO_SITE, k)),
            "grade": sorted(self.totals["grade"]),
        }
        self._views = {view: _ViewState(self.keys) for view in VIEWS}
        self._label_cache: dict[int, str] = {}
        self.updates = 0

    def rebind(self, sim: Simulation) -> None:
        """Follow a new simulation of the same scenario (the drill was rebuilt by an undo): counts and curves start afresh."""
        if sim.compiled is not self.sim.compiled:
            raise ValueError("a board model follows one scenario: build a new one for another")
        self.sim = sim
        self._views = {view: _ViewState(self.keys) for view in VIEWS}
        self.updates = 0

    # ------------------------------------------------------------------------------
    # Updating
    # ------------------------------------------------------------------------------
    def update(self) -> None:
        """Catch up with the simulation (call after every command): O(touched systems)."""
        now = self.sim.now
        for view in VIEWS:
            state = self._views[view]
            statuses = self.sim.touched_statuses(truth=view == "truth")
            last = state.last
            changed = False
            for i, status in statuses.items():
                old = last.get(i, Status.up)
                if status is old:
                    continue
                changed = True
                last[i] = status
                for grouping, keys in self.keys.items():
                    counts = state.counts[grouping].setdefault(keys[i], {})
                    if old is not Status.up:
                        counts[old] -= 1
                    if status is not Status.up:
                        counts[status] = counts.get(status, 0) + 1
                was_serving = old.serving
                now_serving = status.serving
                if i not in state.affected:
                    if not now_serving:
                        state.affected.add(i)
                elif was_serving != now_serving:
                    state.serving += 1 if now_serving else -1
            if changed:
                state.rows = None
                state.changed = True
            share = state.serving / len(state.affected) if state.affected else 1.0
            curve = state.curve
            if not curve or curve[-1][1] != share:
                if curve and curve[-1][0] == now:
                    curve[-1] = (now, share)
                else:
                    curve.append((now, share))
        self.updates += 1

    # ------------------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------------------
    def groups(self, grouping: str = "site", view: str = "team") -> list[GroupRow]:
        """One row per group (site or grade), with the count of systems in each status."""
        state = self._views[view]
        totals = self.totals[grouping]
        out = []
        for key in self.order[grouping]:
            other = state.counts[grouping].get(key, {})
            counts = {s: other.get(s, 0) for s in Status}
            counts[Status.up] = totals[key] - sum(v for s, v in other.items() if s is not Status.up)
            out.append(GroupRow(key, self.labels[grouping][key], totals[key], counts))
        return out

    def counts(self, view: str = "team") -> dict[Status, int]:
        """Systems in each status over the whole model."""
        out = {s: 0 for s in Status}
        for row in self.groups("grade", view):
            for s, v in row.counts.items():
                out[s] += v
        return out

    @property
    def now(self) -> float:
        """Hours since the scenario start."""
        return self.sim.now

    def system_id(self, i: int) -> str:
        """The id of system ``i``."""
        return self.sim.compiled.sys_ids[i]

    def system_view(self, i: int, view: str = "team") -> SystemView:
        """System ``i`` now, as ``view`` sees it (status, share, RTO clock, site, task)."""
        return self.sim.system_view(i, truth=view == "truth")

    def status(self, i: int, view: str = "team") -> Status:
        """System ``i``'s status as last seen by :meth:`update`."""
        return self._views[view].last.get(i, Status.up)

    def label(self, i: int) -> str:
        """Display name of system ``i`` (cached)."""
        label = self._label_cache.get(i)
        if label is None:
            label = self.sim.compiled.systems[i].label
            self._label_cache[i] = label
        return label

    def rows(self, view: str = "team", grouping: str | None = None, key: int | None = None) -> list[int]:
        """Touched systems that are not up or were hit (recovered ones last), worst first.

        Optionally only those of one group. The sorted list is cached until the next change.
        """
        state = self._views[view]
        if state.rows is None:
            grade = self.sim.compiled.grade
            last = state.last
            label = self.label
            candidates = [i for i, s in last.items() if s is not Status.up or i in state.affected]
            candidates.sort(key=lambda i: (SEVERITY[last[i]], grade[i], label(i)))
            state.rows = candidates
        if grouping is None or key is None:
            return state.rows
        keys = self.keys[grouping]
        return [i for i in state.rows if keys[i] == key]

    def rto_watch(self, view: str = "team", limit: int = 8, pool: int = 60) -> list[RtoWatch]:
        """The detected systems that matter most: not serving, highest grade first, then least time left.

        Looks at no more than ``pool`` candidates (by grade) in detail, so it stays cheap.
        """
        state = self._views[view]
        grade = self.sim.compiled.grade
        truth = view == "truth"
        candidates = [i for i, s in state.last.items() if s in _NOT_SERVING and s is not Status.unknown]
        candidates.sort(key=lambda i: (grade[i], i))
        now = self.sim.now
        out = []
        for i in candidates[:pool]:
            v = self.sim.system_view(i, truth)
            if v.down_since is None:
                continue
            out.append(RtoWatch(i, v, v.rto_hours - (now - v.down_since)))
        out.sort(key=lambda w: (w.view.grade, w.remaining))
        return out[:limit]

    def curve(self, view: str = "team") -> list[tuple[float, float]]:
        """Recovery curve samples (hours, share of the systems hit that serve again), one per change."""
        return list(self._views[view].curve)

    def affected(self, view: str = "team") -> int:
        """How many systems were seen not serving at least once."""
        return len(self._views[view].affected)

    def serving_again(self, view: str = "team") -> int:
        """How many of those serve now."""
        return self._views[view].serving

    def take_changed(self, view: str = "team") -> bool:
        """Whether anything changed in ``view`` since the last call (the display's redraw hint)."""
        state = self._views[view]
        changed, state.changed = state.changed, False
        return changed


def curve_at(samples: Iterable[tuple[float, float]], times: Iterable[float]) -> list[float | None]:
    """The piecewise-constant curve at each of ``times`` (None before the first sample)."""
    points = list(samples)
    out: list[float | None] = []
    k = -1
    for t in times:
        while k + 1 < len(points) and points[k + 1][0] <= t + 1e-12:
            k += 1
        out.append(points[k][1] if k >= 0 else None)
    return out


def describe_counts(counts: dict[Status, int]) -> str:
    """'3 down, 1 recovering' (statuses other than up with a non-zero count)."""
    parts = [f"{v} {s.value}" for s, v in sorted(counts.items(), key=lambda kv: SEVERITY[kv[0]]) if v and s is not Status.up]
    return ", ".join(parts) or "all up"

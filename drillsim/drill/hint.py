"""A hint for the facilitator: what the runbook policy would do next from the team's current state, and why.

The runbook (the ``auto`` policy, the benchmark the score compares with) sends a repair crew to
every domain an inject took down once it is noticed, switches every detected system that does
not serve to its manual fallback, and starts each detected problem's first runbook step that is
possible now or will become possible, queued by grade, then by the time of the alert. The hint
lists that work for what the team knows now (the systems detected, not the hidden ones), the
first items in the order the runbook's teams would take them, with the reason for each, and says
how much of it the team's standing orders cover.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..engine import Simulation
from ..engine.actions import hours_text
from ..engine.delegate import DelegatePolicy
from ..engine.recovery import HANDLERS, NO, READY, assess, option_label, options_for
from ..engine.recovery.work import team_of
from ..engine.runbook import exhausted
from ..model.timefmt import fmt_duration, fmt_elapsed

__all__ = ["Hint", "runbook_hint"]


@dataclass
class Hint:
    """What the runbook would do now: a headline, the first steps in its order, and how the orders compare."""

    headline: str
    steps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The hint as lines of text."""
        return "\n".join([self.headline, *self.steps, *self.notes])


def runbook_hint(sim: Simulation, limit: int = 6) -> Hint:
    """What the runbook would start now, from what the team knows (see the module docstring)."""
    world = sim.world
    c = sim.compiled
    now = sim.now
    policy = sim.policy
    repairs: list[tuple[tuple[float, ...], str]] = []
    infra = world.infra
    for d in sorted(infra.dom_causes):
        causes = infra.dom_causes[d]
        domain = sim.scenario.domain_index[c.dom_ids[d]]
        if "inject" not in causes or d in infra.dom_timed or domain.repair is None or infra.dom_known_at.get(d, now + 1) > now:
            continue
        task = infra.dom_task.get(d)
        if task is None or not task.active:
            spec = domain.repair
            hosted = len(c.reps_under[d])
            repairs.append(((0.0, infra.dom_known_at.get(d, now)), f"repair {domain.label}: {spec.staff} staff of {spec.team}, about "
                            f"{hours_text(spec.duration.mean)} — a domain repair goes first: {hosted} placements sit in it"))
    fallbacks: list[str] = []
    steps: list[tuple[tuple[float, ...], str]] = []
    kinds: Counter[str] = Counter()
    stuck: list[str] = []
    for i in sorted(world.sys):
        st = world.sys[i]
        if not st.detected or not (st.problem or not st.serving):
            continue
        spec = c.systems[i].fallback
        if not st.serving and spec is not None and not st.fallback_on and st.fallback_task is None:
            fallbacks.append(f"{world.label(i)} ({spec.label or 'manual processing'}, {spec.share:.0%} of demand)")
        if st.task is not None and st.task.active or st.switchover_pending or not st.problem:
            continue
        chosen = None
        for option in options_for(world, i):
            if exhausted(option, st.attempts.get(option.key, 0)):
                continue
            a = assess(world, i, option)
            if a.status != NO:
                chosen = (option, a)
                break
        if chosen is None:
            stuck.append(world.label(i))
            continue
        option, a = chosen
        kinds[option.kind.value] += 1
        team = team_of(world, i, option)
        who = c.teams[team].id if team >= 0 else "front-line staff"
        hours = option.duration.mean * a.slow + HANDLERS[option.kind].lead_time(option)
        down = f"down since {fmt_elapsed(st.down_since)}" if st.down_since is not None else "lost capacity"
        left = c.rto[i] - (now - st.down_since) if st.down_since is not None else c.rto[i]
        rto = f"RTO breached {fmt_duration(-left)} ago" if left < 0 else f"{fmt_duration(left)} left of its RTO"
        when = "can start when staff are free" if a.status == READY else f"will wait: {a.reason}"
        why = f"grade {c.grade[i]}, {down}, {rto}"
        key = (float(c.grade[i]), 1.0, st.detected_at if st.detected_at is not None else now)
        steps.append((key, f"{option_label(world, i, option)}: {option.staff} staff of {who}, about {hours_text(hours)}, {when} — {why}"))
    steps.sort(key=lambda s: s[0])
    repairs.sort(key=lambda s: s[0])
    parts = []
    if repairs:
        parts.append(f"send {len(repairs)} repair crew{'s' if len(repairs) != 1 else ''}")
    if fallbacks:
        parts.append(f"switch {len(fallbacks)} system{'s' if len(fallbacks) != 1 else ''} to their manual fallback")
    if steps:
        parts.append(f"start {len(steps)} runbook step{'s' if len(steps) != 1 else ''} ({', '.join(f'{n} {k}' for k, n in kinds.most_common())})")
    if not parts:
        headline = f"At {fmt_elapsed(now)} the runbook would start nothing new: every detected problem has work under way or waits for it."
    else:
        headline = (f"At {fmt_elapsed(now)} the runbook would {', '.join(parts)}: each detected problem's first possible runbook step, "
                    "in its order (repairs first, then grade, then the time of the alert):")
    listed = [text for _, text in repairs] + [text for _, text in steps]
    lines = [f"  {k}. {text}" for k, text in enumerate(listed[:limit], 1)]
    if len(listed) > limit:
        lines.append(f"  … and {len(listed) - limit} more")
    if fallbacks:
        lines.append(f"  Fallbacks: {', '.join(fallbacks[:3])}" + (f" and {len(fallbacks) - 3} more" if len(fallbacks) > 3 else ""))
    notes = []
    if stuck:
        notes.append(f"{len(stuck)} detected system{'s have' if len(stuck) != 1 else ' has'} no possible step now (e.g. {', '.join(stuck[:2])}).")
    if isinstance(policy, DelegatePolicy):
        held, uncovered = policy.idle_problems()
        if not policy.work:
            notes.append("No team has orders, so nobody starts this work: give one, e.g. 'work all by grade' (the runbook's order).")
        elif uncovered or held:
            notes.append(f"Of the detected problems without work, {uncovered} are covered by no work order and {held} are held.")
        else:
            notes.append("The standing orders cover all of it: the team leads start it as staff come free.")
    if sim.pending_decisions:
        notes.append(f"Open decisions (the runbook takes their defaults): {', '.join(sim.pending_decisions)}.")
    return Hint(headline, lines, notes)

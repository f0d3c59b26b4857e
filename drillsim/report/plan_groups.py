"""An improvement plan a person can read: findings grouped by cause and by owner, with counts.

A national fire breaches hundreds of RTOs. One line per system buries the few things to fix
under the many systems they hit, so the per-system findings of :func:`drillsim.report.analysis.findings`
are grouped here, by **cause** and **owner**:

- each system's cause is the failed or destroyed domain that held every replica of it (the most
  specific one, a destroyed one first), else the systems it depends on (when it was down mostly
  through its links), else its own failure;
- when ``group_min`` or more systems of one owner share a cause, their grade-1 RTO breaches
  become one (critical) finding, and their other RTO breaches, RPO breaches, unused fallbacks
  and the single points of failure among them another (headed by the failed domain's own
  finding, when the cause is a domain): how many systems, of which grades, what happened to
  them, a few names, and one recommendation; each lists its systems in
  :attr:`~drillsim.report.analysis.Finding.systems`. Data lost for good keeps a line per system
  (grouped only when many share a cause and owner).

"Critical" is kept for grade-1 RTO breaches and data lost for good.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model.scenario import Scenario
from .outages import DomainHit, SystemIntervals
from .text import fmt_hours

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.results import RunResult

__all__ = ["Raw", "system_causes", "group_findings", "CAUSE_CATEGORY"]

CAUSE_CATEGORY = {"links": "dependencies", "own": "own failures"}
"""The category of a grouped finding whose cause is not a domain (a domain's: ``failure domain``)."""

_MERGED = ("RTO breach", "RPO breach", "fallback not used", "single point of failure")


@dataclass
class Raw:
    """A finding before numbering (per system, or grouped)."""

    severity: str
    category: str
    subject: str
    name: str
    finding: str
    recommendation: str
    owner: str
    grade: int | None
    cause: str = ""
    """The cause's key (a domain id, ``links`` or ``own``)."""
    cause_text: str = ""
    """How the cause reads: 'Server room 7-1 was destroyed'."""
    systems: list[str] = field(default_factory=list)
    """The systems it is about."""
    held: list[str] = field(default_factory=list)
    """A single point of failure: the systems it held down through their links."""


def system_causes(scenario: Scenario, spans: dict[str, SystemIntervals], blast: dict[str, set[str]], hits: list[DomainHit]) -> dict[str, tuple[str, str]]:
    """System id -> (cause key, how it reads) for every system the run touched."""
    held = set().union(*blast.values()) if blast else set()
    ordered = sorted(hits, key=lambda h: (not h.destroyed, len(h.hosted), h.t))
    where: dict[str, DomainHit] = {}
    for hit in ordered:
        for sid in hit.hosted:
            where.setdefault(sid, hit)
    out: dict[str, tuple[str, str]] = {}
    for sid, span in spans.items():
        links = sum(hi - lo for lo, hi in span.links)
        own = sum(hi - lo for lo, hi in span.own)
        if sid in held and links > own:
            out[sid] = ("links", "the systems they depend on were down")
        elif sid in where:
            hit = where[sid]
            out[sid] = (hit.domain, f"{hit.label} {'was destroyed' if hit.destroyed else 'failed'}")
        else:
            out[sid] = ("own", "failures of their own")
    return out


def _names(scenario: Scenario, ids: list[str], limit: int = 3) -> str:
    index = scenario.system_index
    names = [index[s].label if s in index else s for s in ids[:limit]]
    return ", ".join(names) + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def _short(label: str) -> str:
    """A domain's label without its local name: 'Server room 7' for 'Server room 7 (7전산실)'."""
    return label.split(" (")[0] if " (" in label else label


def _by_grade(scenario: Scenario, ids: list[str]) -> str:
    counts = Counter(scenario.system_index[s].grade for s in ids)
    return ", ".join(f"{n} of grade {g}" for g, n in sorted(counts.items()))


def _severity(scenario: Scenario, items: list[Raw]) -> str:
    grades = [scenario.system_index[s].grade for item in items if item.category == "RTO breach" for s in item.systems]
    if 1 in grades:
        return "critical"
    if 2 in grades or any(item.category in ("single point of failure", "failure domain", "RPO breach", "fallback not used") and item.severity == "high" for item in items):
        return "high"
    return "medium" if 3 in grades or any(item.severity == "medium" for item in items) else "low"


def _combined(scenario: Scenario, result: "RunResult", cause: str, owner: str, items: list[Raw]) -> Raw:
    index = scenario.system_index
    by_category: dict[str, list[str]] = {}
    for item in items:
        by_category.setdefault(item.category, []).extend(item.systems)
    everyone = sorted({s for ids in by_category.values() for s in ids}, key=lambda s: (index[s].grade, s))
    domain = next((item for item in items if item.category == "failure domain"), None)
    label = scenario.domain_index[cause].label if cause in scenario.domain_index else ""
    cause_text = next((item.cause_text for item in items if item.cause_text), "")
    if all(item.category == "RTO breach" and item.grade == 1 for item in items):
        head = f"{len(everyone)} grade-1 systems were down after {cause_text}:"
    elif domain is not None:
        head = domain.finding.rstrip(".") + ". Of them,"
    elif cause == "links":
        head = f"{len(everyone)} systems were down mostly because systems they depend on were:"
    elif cause == "own":
        head = f"{len(everyone)} systems failed in themselves:"
    else:
        head = f"{len(everyone)} systems were down after {cause_text}:"
    parts: list[str] = []
    recs: list[str] = []
    rto = sorted(set(by_category.get("RTO breach", [])), key=lambda s: (index[s].grade, s))
    if rto:
        runs = [result.systems[s] for s in rto]
        restores = sorted(r.time_to_restore_hours or 0.0 for r in runs)
        still = sum(1 for r in runs if not r.restored)
        grades = "" if len({index[s].grade for s in rto}) == 1 and len(rto) == len(everyone) else f" ({_by_grade(scenario, rto)})"
        parts.append(f"{len(rto)} missed their RTO{grades}, back after {fmt_hours(restores[len(restores) // 2])} (median), "
                     f"{fmt_hours(restores[-1])} at most" + (f", {still} still down at the end" if still else "")
                     + (f"; e.g. {_names(scenario, rto, 2)}" if index[rto[0]].grade == 1 else ""))
        if not all(index[s].grade == 1 for s in rto):
            recs.append("agree a restoration order with their owners")
    rpo = by_category.get("RPO breach", [])
    if rpo:
        worst = max(result.systems[s].data_loss_hours or 0.0 for s in rpo)
        parts.append(f"{len(rpo)} lost more data than their RPO allows (up to {fmt_hours(worst)})" if len(rpo) > 1 else
                     f"{_names(scenario, rpo, 1)} lost {fmt_hours(worst)} of data, more than its RPO allows")
        recs.append("back them up within their RPOs")
    fallback = by_category.get("fallback not used", [])
    if fallback:
        parts.append(f"{len(fallback)} never switched to their manual fallback (e.g. {_names(scenario, fallback, 2)})")
        recs.append("put their manual fallback in the first-hour checklist")
    roots = [item for item in items if item.category == "single point of failure"]
    if roots:
        held = set().union(*(set(item.held) for item in roots))
        grade1 = sum(1 for s in held if index[s].grade == 1)
        parts.append(f"{len(roots)} held {len(held)} others down through their links" + (f" ({grade1} of grade 1)" if grade1 else ""))
        recs.append("a second instance of those it held down through their links")
    if cause == "links":
        recs.insert(0, "recover what they depend on first; give them an alternative that works without it")
    elif label:
        recs.insert(0, f"a replica or a tested restore target outside {_short(label)} for the most critical")
    finding = f"{head} " + "; ".join(parts) + "."
    recommendation = "; ".join(recs)
    recommendation = recommendation[:1].upper() + recommendation[1:] + "."
    only_rto = all(item.category == "RTO breach" for item in items)
    if domain is not None:
        category, subject = "failure domain", cause
    else:
        category = CAUSE_CATEGORY.get(cause) or ("RTO breach" if only_rto else "failure domain")
        subject = f"{len(everyone)} systems"
    grade = min((index[s].grade for s in everyone), default=None)
    return Raw(_severity(scenario, items), category, subject, f"{len(everyone)} systems of {owner}", finding, recommendation, owner, grade,
               cause, cause_text, everyone)


def group_findings(scenario: Scenario, result: "RunResult", raw: list[Raw], group_min: int) -> list[Raw]:
    """Group per-system findings by cause and owner when ``group_min`` or more systems share them (see the module docstring)."""
    buckets: dict[tuple[str, str, bool], list[Raw]] = {}
    lost: dict[tuple[str, str], list[Raw]] = {}
    for item in raw:
        if item.category in _MERGED and item.cause:
            critical = item.category == "RTO breach" and item.grade == 1  # grade-1 RTO breaches get their own (critical) finding
            buckets.setdefault((item.cause, item.owner, critical), []).append(item)
        elif item.category == "data lost":
            lost.setdefault((item.cause, item.owner), []).append(item)
    def size(items: list[Raw]) -> int:
        return len({s for item in items for s in item.systems})

    merged: set[int] = set()
    out: list[Raw] = []
    # Grade-1 breaches of a cause and owner are one finding from two systems on (a single one keeps its own line).
    big = {key: items for key, items in buckets.items() if size(items) >= (2 if key[2] else group_min)}
    domains = [item for item in raw if item.category == "failure domain"]
    # The failed domain's own finding heads the group of the rest of its systems (or, failing that, its grade-1 group).
    for (cause, owner, _grade1), items in sorted(big.items(), key=lambda kv: (kv[0][2], -len(kv[1]))):
        domain = next((d for d in domains if d.subject == cause and d.owner == owner and id(d) not in merged), None)
        if domain is not None:
            items = [domain, *items]
        merged.update(id(item) for item in items)
        out.append(_combined(scenario, result, cause, owner, items))
    for (cause, owner), items in lost.items():
        if len(items) >= group_min:
            merged.update(id(item) for item in items)
            ids = sorted(s for item in items for s in item.systems)
            out.append(Raw("critical", "data lost", f"{len(ids)} systems", f"{len(ids)} systems of {owner}",
                           f"{len(ids)} systems of {owner} lost their data for good after {items[0].cause_text} (e.g. {_names(scenario, ids)}).",
                           "Keep at least one backup copy of each outside the site (another site or an off-site vault), test a restore from "
                           "it, and tell the users what was lost.", owner, min(scenario.system_index[s].grade for s in ids), cause, items[0].cause_text, ids))
    return [item for item in raw if id(item) not in merged] + out

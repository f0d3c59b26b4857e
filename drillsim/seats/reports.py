"""Situation reports collected from the seats, the live table the seats above read, and their score.

An organization's seat reports, per system of its organization, one of three statuses, the way
a facility fills in an online status form: ``normal``, ``unreachable`` (the service cannot be
reached) or ``malfunctioning`` (it answers, but not properly), with a note and the fallback in
use. Systems the report does not list take its ``default`` status (if one is given) or are left
out. The server journals each report (a ``report`` line with the seat, the organization, the
statuses, and the true counts at that moment, which only the facilitator reads), so a resumed
drill keeps them.

The seats that collect a seat's reports (``collects`` in the seats file; the facilitator collects
all) see :meth:`ReportBook.table`: per organization the time of its last report, its counts per
status, and who has not reported yet. :func:`reporting_score` scores reporting for the
after-action report: the delay from an organization's first impact (the first of its systems to
go down or degrade, in truth) to its first report, and how far each report's counts were from
the truth at the time it was made (the sum of the differences per status: 0 is exact).

The truth maps onto the form's statuses as: up is normal; degraded and fallback are
malfunctioning (serving, but not as designed); down, recovering and unknown are unreachable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..engine import Status
from ..engine.kinds import EventKind
from ..model.timefmt import fmt_elapsed
from .access import AccessDenied, SeatAccess

__all__ = ["REPORT_STATUSES", "TRUTH_AS_REPORTED", "StatusReport", "ReportBook", "book_from_journal", "reporting_score", "score_markdown"]

REPORT_STATUSES = ("normal", "unreachable", "malfunctioning")
"""What a seat may report for a system."""
TRUTH_AS_REPORTED = {
    Status.up: "normal",
    Status.degraded: "malfunctioning",
    Status.fallback: "malfunctioning",
    Status.down: "unreachable",
    Status.recovering: "unreachable",
    Status.unknown: "unreachable",
}
"""How a true status reads on the form (see the module docstring)."""
MAX_NOTE = 500


@dataclass(frozen=True)
class StatusReport:
    """One situation report of one organization, by one seat, at one moment of the drill."""

    seat: str
    org: str
    t: float
    """Hours since the scenario start when it was made."""
    systems: dict[str, dict[str, str]]
    """System id -> {status, note, fallback}."""
    truth: dict[str, int] = field(default_factory=dict)
    """The true counts per reported status of the same systems then (the facilitator's)."""

    def counts(self) -> dict[str, int]:
        """How many systems the report puts in each status."""
        out = dict.fromkeys(REPORT_STATUSES, 0)
        for entry in self.systems.values():
            out[entry["status"]] += 1
        return out

    def error(self) -> int:
        """The sum over statuses of |reported - true| (0: the counts were exact)."""
        counts = self.counts()
        return sum(abs(counts[s] - self.truth.get(s, 0)) for s in REPORT_STATUSES)

    def to_data(self) -> dict[str, Any]:
        """The fields of its journal line (the server adds ``seat`` as for every command)."""
        return {"org": self.org, "systems": self.systems, "truth": self.truth}

    @classmethod
    def from_data(cls, data: dict[str, Any], t: float) -> "StatusReport":
        """A report back from its journal line."""
        return cls(str(data.get("seat", "")), str(data["org"]), t, dict(data["systems"]), dict(data.get("truth", {})))


class ReportBook:
    """Every report of the drill, in the order made."""

    def __init__(self) -> None:
        self.reports: list[StatusReport] = []

    def prepare(self, access: SeatAccess, message: dict[str, Any], session: Any) -> StatusReport:
        """Check a report message from ``access``'s seat; AccessDenied (with the reason) if it cannot be taken."""
        if access.role.value != "team":
            raise AccessDenied(f"seat {access.id!r} ({access.role.value}) files no situation reports: organization seats do")
        org = message.get("org") or (access.spec.organizations[0] if len(access.spec.organizations) == 1 else None)
        if org not in access.org_systems:
            mine = ", ".join(access.org_systems) or "none"
            raise AccessDenied(f"seat {access.id!r} reports only for its organizations ({mine}), not {org!r}")
        c = session.sim.compiled
        allowed = {c.sys_ids[i] for i in access.org_systems[org]}
        default = message.get("default")
        if default is not None and default not in REPORT_STATUSES:
            raise AccessDenied(f"default status {default!r}: write one of {', '.join(REPORT_STATUSES)}")
        given = message.get("systems") or {}
        if not isinstance(given, dict):
            raise AccessDenied("a report's 'systems' maps system ids to {status, note, fallback}")
        systems: dict[str, dict[str, str]] = {}
        for sid, entry in given.items():
            if sid not in allowed:
                raise AccessDenied(f"{sid!r} is not a system of {org}: a report covers the organization's own and used systems")
            entry = {"status": entry} if isinstance(entry, str) else entry
            if not isinstance(entry, dict) or entry.get("status") not in REPORT_STATUSES:
                raise AccessDenied(f"{sid}: status {entry.get('status') if isinstance(entry, dict) else entry!r}: write one of {', '.join(REPORT_STATUSES)}")
            line = {"status": entry["status"]}
            for key in ("note", "fallback"):
                text = entry.get(key)
                if text:
                    if not isinstance(text, str) or len(text) > MAX_NOTE:
                        raise AccessDenied(f"{sid}: {key} must be text of at most {MAX_NOTE} characters")
                    line[key] = text
            systems[sid] = line
        if default is not None:
            for i in access.org_systems[org]:
                systems.setdefault(c.sys_ids[i], {"status": default})
        if not systems:
            raise AccessDenied("an empty report: give each system's status, or a default status for those not listed")
        truth_now = session.sim.touched_statuses(truth=True)
        truth = dict.fromkeys(REPORT_STATUSES, 0)
        for sid in systems:
            truth[TRUTH_AS_REPORTED[truth_now.get(c.sidx[sid], Status.up)]] += 1
        return StatusReport(access.id, org, session.now, dict(sorted(systems.items())), truth)

    def add(self, report: StatusReport) -> None:
        """Record a report (after it was journalled)."""
        self.reports.append(report)

    def table(self, access: SeatAccess, seats: dict[str, SeatAccess]) -> list[dict[str, Any]]:
        """The live table for a collecting seat: per organization of the seats it collects, the last report (or none yet)."""
        collected = list(seats) if access.truth else [s for s in access.spec.collects if s in seats]
        if access.role.value == "observer" or not collected:
            return []
        rows = []
        for seat_id in collected:
            seat = seats[seat_id]
            for org in seat.spec.organizations:
                mine = [r for r in self.reports if r.org == org]
                last = mine[-1] if mine else None
                row: dict[str, Any] = {"seat": seat_id, "org": org, "systems": len(seat.org_systems[org]), "reports": len(mine)}
                if last is None:
                    row.update(t=None, when="not reported", counts=None)
                else:
                    row.update(t=last.t, when=fmt_elapsed(last.t), counts=last.counts(),
                               notes={sid: e for sid, e in last.systems.items() if e["status"] != "normal"})
                    if access.truth:
                        row["truth"] = last.truth
                rows.append(row)
        return rows


def first_impacts(session: Any, org_systems: dict[str, tuple[int, ...]]) -> dict[str, float | None]:
    """Per organization: when the first of its systems truly went down or degraded (None: never)."""
    sidx = session.sim.compiled.sidx
    members = {org: set(systems) for org, systems in org_systems.items()}
    out: dict[str, float | None] = dict.fromkeys(org_systems)
    for event in session.events():
        if event.kind not in (EventKind.system_down, EventKind.system_degraded) or event.subject not in sidx:
            continue
        i = sidx[event.subject]
        for org, systems in members.items():
            if out[org] is None and i in systems:
                out[org] = event.t
        if all(v is not None for v in out.values()):
            break
    return out


def reporting_score(book: ReportBook, session: Any, seats: dict[str, SeatAccess] | None = None) -> list[dict[str, Any]]:
    """Per organization of the team seats (without ``seats``: of the reports), first impact, first report, their delay, each report's error."""
    org_systems: dict[str, tuple[int, ...]] = {}
    if seats is not None:
        for seat in seats.values():
            if seat.role.value == "team":
                org_systems.update(seat.org_systems)
    else:
        sidx = session.sim.compiled.sidx
        orgs = {o.id: o for o in session.scenario.organizations}
        for report in book.reports:
            if report.org in orgs and report.org not in org_systems:
                org = orgs[report.org]
                org_systems[report.org] = tuple(dict.fromkeys(sidx[s] for s in [*org.owns, *org.uses] if s in sidx))
    impacts = first_impacts(session, org_systems)
    out = []
    for org in org_systems:
        mine = [r for r in book.reports if r.org == org]
        impact = impacts[org]
        first = mine[0].t if mine else None
        delay = first - impact if first is not None and impact is not None and first >= impact else None
        out.append({
            "org": org,
            "first_impact": impact,
            "first_report": first,
            "delay_hours": delay,
            "reports": [{"t": r.t, "seat": r.seat, "reported": r.counts(), "truth": r.truth, "error": r.error()} for r in mine],
        })
    return out


def book_from_journal(entries: Any) -> ReportBook:
    """The reports of a journal (its ``report`` lines), in order."""
    book = ReportBook()
    for entry in entries:
        if entry.type == "report":
            book.add(StatusReport.from_data(entry.data, entry.t or 0.0))
    return book


def score_markdown(score: list[dict[str, Any]]) -> str:
    """The reporting score as a Markdown section of the after-action report."""
    lines = ["## Status reporting", "", "| organization | first impact | first report | delay | reports | counts off by (each report) |", "| --- | --- | --- | --- | --- | --- |"]
    for row in score:
        impact = fmt_elapsed(row["first_impact"]) if row["first_impact"] is not None else "never hit"
        first = fmt_elapsed(row["first_report"]) if row["first_report"] is not None else "no report"
        delay = f"{row['delay_hours']:.2f} h" if row["delay_hours"] is not None else "-"
        errors = ", ".join(str(r["error"]) for r in row["reports"]) or "-"
        lines.append(f"| {row['org']} | {impact} | {first} | {delay} | {len(row['reports'])} | {errors} |")
    lines += ["", "Counts off by: the sum over normal / unreachable / malfunctioning of |reported - true| at the time of the report (0 is exact)."]
    return "\n".join(lines) + "\n"

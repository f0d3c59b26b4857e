"""The bundled scenario library: every file loads and runs, and the facts the files claim hold.

Each file is loaded once and run once per seed (cached), so the whole module takes a few seconds.
The fact checks encode what the scenarios' notes state, so a change to a model, a scenario or the
engine that silently breaks one of them fails here:

- the Korean model's 709 Daejeon systems and their 40/68/261/340 grade split, room by room;
- the NIRS fire loses G-Drive for good, and the off-site backup variant saves it;
- a second authentication means keeps Saeol up through the 2023 GPKI outage (same seed), and
  Saeol's outage lasts about the reported 56 hours (within 15 %);
- the NIRS recovery curve stays near the reported one (the calibration table in its notes), and
  so does its recovery by grade, in the record's order (grade 1 ahead of 2, ahead of 3, ahead of 4);
- the vaccine site collapses under the opening rush and the fixed one does not;
- the Pangyo outage lasts about as long as reported.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from drillsim.engine import run_scenario
from drillsim.model import load_scenario
from drillsim.model.graph import domain_ancestors

ROOT = Path(__file__).resolve().parent.parent / "scenarios"


def _is_scenario(path: Path) -> bool:
    """Scenario and model files; not the threat and option lists of `drillsim invest` (scenarios/invest/), nor seats files (scenarios/seats/)."""
    head = {line.split(":", 1)[0] for line in path.read_text(encoding="utf-8").splitlines() if line[:1].isalpha()}
    return not head & {"threats", "options", "seats"}


FILES = sorted(p for p in ROOT.rglob("*.yaml") if _is_scenario(p))
IDS = [str(p.relative_to(ROOT)) for p in FILES]
# Warnings that are the point of a file: data whose every copy shares a failure domain with it.
EXPECTED_WARNINGS = {
    "korea-central-gov": {"g-drive"},  # no backup at all (the 2025 loss)
    "messenger-platform": {"ops-tools", "key-store", "object-storage", "metadata"},  # copies only inside the main center
}
KOREAN = ("nirs-daejeon-fire-2025.yaml", "saeol-gpki-outage-2023.yaml", "vaccine-booking-surge-2021.yaml", "pangyo-fire-2022.yaml")


@lru_cache(maxsize=None)
def loaded(rel: str):
    """The loaded scenario of ``scenarios/<rel>`` (cached)."""
    return load_scenario(ROOT / rel)


@lru_cache(maxsize=None)
def result(rel: str, seed: int = 0):
    """One auto-policy run of ``scenarios/<rel>`` (cached)."""
    return run_scenario(loaded(rel), seed=seed, record_events=False)


def serving_at(res, system_id: str, t: float) -> bool:
    """Whether a system serves at run time ``t`` (hours), from its recorded timeline."""
    state = True
    for when, status, _share in res.system(system_id).timeline:
        if when > t:
            break
        state = status in ("up", "degraded")
    return state


def daejeon_systems(scenario):
    """Systems of the Daejeon center: first placement under the site nirs-daejeon (the notes' rule)."""
    return [s for s in scenario.systems if "nirs-daejeon" in domain_ancestors(scenario, s.placements[0].domains[0])]


def test_library_is_complete():
    expected = {
        "models/korea-central-gov.yaml",
        "models/messenger-platform.yaml",
        "models/enterprise-two-sites.yaml",
        "nirs-daejeon-fire-2025.yaml",
        "saeol-gpki-outage-2023.yaml",
        "vaccine-booking-surge-2021.yaml",
        "pangyo-fire-2022.yaml",
        "ransomware-site-encryption.yaml",
        "regional-power-outage.yaml",
        "variants/saeol-gpki-second-auth.yaml",
        "variants/nirs-gdrive-offsite-backup.yaml",
        "variants/nirs-gov24-hot-standby-gwangju.yaml",
        "variants/vaccine-booking-fix-2021.yaml",
    }
    assert expected <= set(IDS)


@pytest.mark.parametrize("rel", IDS)
def test_file_validates(rel):
    loaded_ = loaded(rel)
    scenario = loaded_.scenario
    assert scenario.systems, "a scenario file with no systems"
    # Warnings only where they are the point (and the variants that fix them lose them).
    warned = {re.search(r"'([^']+)'", d.message).group(1) for d in loaded_.warnings}
    model = loaded_.files[0].stem
    allowed = EXPECTED_WARNINGS.get(model, set())
    assert warned <= allowed, f"unexpected warnings: {[d.format() for d in loaded_.warnings]}"
    if rel.startswith("models/"):
        assert warned == allowed


@pytest.mark.parametrize("rel", IDS)
def test_file_runs_to_its_horizon(rel):
    res = result(rel)
    scenario = loaded(rel).scenario
    assert res.ended_hours == pytest.approx(scenario.horizon)
    if scenario.injects:
        assert res.metrics.systems_affected > 0, "the scenario's injects touched nothing"


@pytest.mark.parametrize("rel", [r for r in IDS if not r.startswith("models/") and r != "example-room-fire.yaml"])
def test_scenarios_are_documented_drills(rel):
    scenario = loaded(rel).scenario
    assert scenario.sources and all(re.match(r"https?://", url) for url in scenario.sources)
    assert scenario.briefing and scenario.objectives and scenario.notes
    assert scenario.decisions, "a drill needs at least one decision point"
    assert scenario.injects
    assert scenario.start.utcoffset() is not None
    for decision in scenario.decisions:
        assert any(o.default for o in decision.options), f"decision {decision.id} has no default"


@pytest.mark.parametrize("rel", [r for r in IDS if r.split("/")[-1] in KOREAN or "nirs" in r or "saeol" in r or "vaccine" in r or "pangyo" in r])
def test_korean_scenarios_use_seoul_time(rel):
    scenario = loaded(rel).scenario
    assert scenario.timezone == "Asia/Seoul"
    assert scenario.start.utcoffset().total_seconds() == 9 * 3600


# --- The Korean model ---------------------------------------------------------------------------
def test_korean_model_grade_counts_match_its_notes():
    scenario = loaded("models/korea-central-gov.yaml").scenario
    assert "40 / 68 / 261 / 340" in scenario.notes
    daejeon = daejeon_systems(scenario)
    assert len(daejeon) == 709
    assert Counter(s.grade for s in daejeon) == {1: 40, 2: 68, 3: 261, 4: 340}
    rooms = Counter(s.placements[0].domains[0] for s in daejeon)
    assert rooms["daejeon-room-7-1"] == 96
    assert rooms["daejeon-room-7"] == 222
    assert rooms["daejeon-room-8"] == 38
    assert sum(rooms[f"daejeon-room-{k}"] for k in range(1, 7)) == 353
    # The per-room grade split stated in the notes ("rooms 1-6 20/30/130/173, room 7 ...").
    by_room = Counter()
    for s in daejeon:
        room = s.placements[0].domains[0]
        group = room if room in ("daejeon-room-7", "daejeon-room-7-1", "daejeon-room-8") else "rooms 1-6"
        by_room[group, s.grade] += 1
    claimed = {"rooms 1-6": (20, 30, 130, 173), "daejeon-room-7": (10, 24, 84, 104),
               "daejeon-room-8": (2, 4, 12, 20), "daejeon-room-7-1": (8, 10, 35, 43)}
    notes = " ".join(scenario.notes.split())
    for group, split in claimed.items():
        assert tuple(by_room[group, g] for g in (1, 2, 3, 4)) == split, group
        label = {"rooms 1-6": "rooms 1-6"}.get(group, "room " + group.removeprefix("daejeon-room-"))
        assert f"{label} {'/'.join(map(str, split))}" in notes, label
    grade1_burned = {s.id for s in daejeon if s.placements[0].domains[0] == "daejeon-room-7-1" and s.grade == 1}
    assert len(grade1_burned) == 8 and {"e-people", "veterans", "law-info"} <= grade1_burned


def test_korean_model_organizations_match_the_city_counts():
    scenario = loaded("models/korea-central-gov.yaml").scenario
    orgs = {o.id: o for o in scenario.organizations}
    assert len(set(orgs["sejong-city"].uses)) == 151
    assert len(set(orgs["sejong-city"].owns)) == 89
    assert len(set(orgs["chungju-city"].uses)) == 42
    daejeon = {s.id for s in daejeon_systems(scenario)}
    assert sum(1 for s in orgs["sejong-city"].uses if s in daejeon) == 46


def test_korean_model_shared_authentication():
    scenario = loaded("models/korea-central-gov.yaml").scenario
    index = scenario.system_index
    assert scenario.monitoring.system == "nirs-ntops"
    assert any(d.any_of and set(d.any_of) == {"mobile-id", "simple-auth"} for d in index["gov24"].depends_on)
    assert any(d.system == "gpki" and d.kind.value == "hard" for d in index["saeol-sejong"].depends_on)
    assert index["g-drive"].data.size == pytest.approx(858_000)  # GB
    assert not index["g-drive"].data.backups and index["g-drive"].data.replication is None
    assert scenario.domain_index["daegu-ppp-cloud"].free_capacity == 20


# --- NIRS fire ----------------------------------------------------------------------------------
def test_nirs_fire_loses_gdrive_for_good():
    res = result("nirs-daejeon-fire-2025.yaml")
    assert res.system("g-drive").data_lost_permanently
    assert res.metrics.data_lost_permanently == ["g-drive"]


def test_gdrive_offsite_backup_saves_the_data():
    base = result("nirs-daejeon-fire-2025.yaml", 1)
    variant = result("variants/nirs-gdrive-offsite-backup.yaml", 1)
    assert base.system("g-drive").data_lost_permanently
    saved = variant.system("g-drive")
    assert not saved.data_lost_permanently
    assert saved.data_loss_hours is not None and saved.data_loss_hours <= 24
    assert variant.metrics.data_lost_permanently == []


REPORTED_CURVE = [  # (hours after 2025-09-26 20:15 KST, share of the 709 restored): docs/incidents.md section 1, etoday
    (69.75, 6.6), (213.75, 20.7), (333.75, 32.5), (399.75, 36.7), (525.75, 51.8),
    (696.75, 72.5), (765.75, 82.4), (837.75, 90.3), (2277.75, 100.0),
]


def test_nirs_recovery_curve_stays_near_the_reported_one():
    """The calibration in the scenario's notes, checked loosely on one seed (within 6 points)."""
    scenario = loaded("nirs-daejeon-fire-2025.yaml").scenario
    res = result("nirs-daejeon-fire-2025.yaml")
    daejeon = [s.id for s in daejeon_systems(scenario)]
    for hours, reported in REPORTED_CURVE:
        share = 100.0 * sum(serving_at(res, sid, hours) for sid in daejeon) / len(daejeon)
        assert abs(share - reported) <= 6.0, f"{hours / 24:.1f} days: simulated {share:.1f} %, reported {reported} %"


GRADE_TOTALS = (40, 68, 261, 340)
REPORTED_BY_GRADE = [  # (hours after 2025-09-26 20:15 KST, systems restored of grade 1, 2, 3, 4): docs/incidents.md section 1
    (345.75, (30, 32, 101, 75)),  # 10-11 06:00
    (381.75, (30, 35, 110, 83)),  # 10-12 18:00
    (453.75, (31, 38, 132, 122)),  # 10-15 18:00
    (477.75, (31, 40, 135, 126)),  # 10-16 18:00
    (525.75, (31, 44, 149, 143)),  # 10-18 18:00
    (597.75, (32, 48, 168, 176)),  # 10-21 18:00
    (696.75, (34, 52, 194, 233)),  # 10-25 21:00 (etoday gives grades 2-4 as shares: 76.5, 74.4, 68.5 %)
    (826.75, (40, 62, 231, 296)),  # 10-31 07:00
    (969.75, (40, 65, 246, 325)),  # 11-06 06:00
]
ORDER_UNTIL = 826.75
"""The record has grade 1 ahead of 2, ahead of 3, ahead of 4 at every date to 10-31 (on 11-06 grade 4 passed grade 3)."""


def test_nirs_recovery_by_grade_follows_the_record():
    """Per grade, beside the overall curve: within 10 points of the record at every reported date, and in its order.

    The counts per grade are small (one grade-1 system is 2.5 points), so the tolerance is wider
    than the overall curve's 6 points; the order may be broken by at most two grade-1 systems'
    worth (5 points), where the record shows it, to the end of October.
    """
    scenario = loaded("nirs-daejeon-fire-2025.yaml").scenario
    res = result("nirs-daejeon-fire-2025.yaml")
    by_grade = {g: [s.id for s in daejeon_systems(scenario) if s.grade == g] for g in (1, 2, 3, 4)}
    assert tuple(len(by_grade[g]) for g in (1, 2, 3, 4)) == GRADE_TOTALS
    for hours, counts in REPORTED_BY_GRADE:
        shares = [100.0 * sum(serving_at(res, sid, hours) for sid in by_grade[g]) / GRADE_TOTALS[g - 1] for g in (1, 2, 3, 4)]
        reported = [100.0 * n / total for n, total in zip(counts, GRADE_TOTALS)]
        for g, (share, want) in enumerate(zip(shares, reported), start=1):
            assert abs(share - want) <= 10.0, f"{hours / 24:.1f} days, grade {g}: simulated {share:.1f} %, reported {want:.1f} %"
        if hours <= ORDER_UNTIL:
            for g in (1, 2, 3):
                assert shares[g - 1] >= shares[g] - 5.0, f"{hours / 24:.1f} days: grade {g + 1} ({shares[g]:.1f} %) ahead of grade {g} ({shares[g - 1]:.1f} %)"


def test_nirs_fire_takes_down_all_709_and_brings_them_back():
    scenario = loaded("nirs-daejeon-fire-2025.yaml").scenario
    res = result("nirs-daejeon-fire-2025.yaml")
    daejeon = [s.id for s in daejeon_systems(scenario)]
    assert all(res.system(sid).outages >= 1 for sid in daejeon)
    assert sum(1 for sid in daejeon if res.system(sid).restored) >= 700


def test_government24_standby_needs_its_dependencies():
    base = result("nirs-daejeon-fire-2025.yaml", 1).system("gov24").time_to_restore_hours
    alone = result("variants/nirs-gov24-hot-standby-gwangju.yaml", 1).system("gov24").time_to_restore_hours
    with_deps = result("variants/nirs-gov24-standby-with-dependencies.yaml", 1).system("gov24").time_to_restore_hours
    assert with_deps < 12 < alone <= base


# --- Saeol / GPKI 2023 ----------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1])
def test_second_authentication_means_shortens_saeol_outage(seed):
    base = result("saeol-gpki-outage-2023.yaml", seed)
    variant = result("variants/saeol-gpki-second-auth.yaml", seed)
    for saeol in ("saeol-sejong", "saeol-chungju"):
        assert base.system(saeol).downtime_hours > 12
        assert variant.system(saeol).downtime_hours < base.system(saeol).downtime_hours
    # Same seed, same GPKI repair: only the second means differs.
    assert variant.system("gpki").downtime_hours == pytest.approx(base.system("gpki").downtime_hours)
    # The grade-2 officials' systems are not covered by the grade-1 rule.
    assert variant.system("on-nara").downtime_hours == pytest.approx(base.system("on-nara").downtime_hours)


def test_gpki_outage_matches_the_record():
    res = result("saeol-gpki-outage-2023.yaml")
    gpki = res.system("gpki")
    # Back with the L4 switch replaced around 09:00 on the 18th: 27-36 h after 01:42.
    last_up = max(t for t, status, _ in gpki.timeline if status == "up")
    assert 27 <= last_up <= 36
    assert 150 <= res.metrics.systems_affected <= 260  # reported: 189 systems


REPORTED_SAEOL_HOURS = 56.0
"""From the fault (11-17 01:42) to Saeol back to normal (11-19): docs/incidents.md section 2."""


@pytest.mark.parametrize("saeol", ["saeol-sejong", "saeol-chungju"])
def test_saeol_outage_lasts_about_as_long_as_reported(saeol):
    res = result("saeol-gpki-outage-2023.yaml")
    timeline = res.system(saeol).timeline
    first_down = min(t for t, status, _ in timeline if status not in ("up", "degraded"))
    back = max(t for t, status, _ in timeline if status in ("up", "degraded"))
    assert abs((back - first_down) - REPORTED_SAEOL_HOURS) <= 0.15 * REPORTED_SAEOL_HOURS, f"{saeol}: back {back - first_down:.1f}h after the fault"
    # What makes it long: the brief return of GPKI at noon (Saeol serves for that hour), GPKI back
    # only the next morning, then each city's checks with the ministry before Saeol counts as normal.
    assert serving_at(res, saeol, 10.5) and not serving_at(res, saeol, 12.0)
    gpki_back = max(t for t, status, _ in res.system("gpki").timeline if status == "up")
    assert back - gpki_back >= 14.0  # the checks take at least 14h after GPKI is back
    assert res.system(saeol).final_status == "up"


# --- Vaccine booking 2021 -------------------------------------------------------------------------
def test_vaccine_site_collapses_and_the_fix_holds():
    base = result("vaccine-booking-surge-2021.yaml")
    fixed = result("variants/vaccine-booking-fix-2021.yaml")
    site = base.system("vaccine-booking")
    assert not serving_at(base, "vaccine-booking", 1.0)
    assert serving_at(base, "vaccine-booking", 4.0)
    assert 2.5 <= site.downtime_hours <= 8
    assert site.outages == 2  # the opening and the 07-14 reopening
    assert fixed.system("vaccine-booking").downtime_hours == 0
    assert fixed.system("vaccine-booking").unserved_demand < site.unserved_demand
    # The per-request view: attempts turned away while the site is down, none with the fix.
    assert base.queues["vaccine-booking"].blocked > 0.3 * base.queues["vaccine-booking"].arrivals
    assert fixed.queues["vaccine-booking"].blocked == 0


# --- Pangyo 2022 ----------------------------------------------------------------------------------
def test_pangyo_outage_lengths():
    res = result("pangyo-fire-2022.yaml")
    longest = max(r.time_to_restore_hours or 0 for r in res.all_systems())
    assert 100 <= longest <= 160  # reported: ~127 h
    assert res.system("messenger").time_to_restore_hours <= 24  # text messages back after ~10 h
    assert 80 <= res.system("mail").time_to_restore_hours <= 110  # mail back on 10-19 morning (~90 h)


def test_pangyo_tooling_in_a_second_center_speeds_the_failovers():
    base = result("pangyo-fire-2022.yaml", 1)
    variant = result("variants/pangyo-tooling-in-second-center.yaml", 1)
    for system_id in ("messenger", "payments"):
        assert variant.system(system_id).time_to_restore_hours < base.system(system_id).time_to_restore_hours
    # Object storage was not duplicated: the longest outage does not move.
    assert variant.system("object-storage").time_to_restore_hours == pytest.approx(base.system("object-storage").time_to_restore_hours)


# --- Generic enterprise ---------------------------------------------------------------------------
def test_ransomware_loses_online_backups_but_not_the_immutable_copies():
    res = result("ransomware-site-encryption.yaml")
    erp = res.system("erp")
    assert erp.data_loss_hours is not None and erp.data_loss_hours > 1  # hourly snapshots gone: RPO missed
    assert erp.rpo_met is False
    assert res.metrics.data_lost_permanently == []
    assert res.system("customer-portal").time_to_restore_hours < 8  # standby at the DR site


def test_regional_outage_reaches_branches_at_once():
    res = result("regional-power-outage.yaml")
    assert res.system("branch-systems").first_down_hours == pytest.approx(0.0)
    assert res.system("call-center").downtime_hours >= 72

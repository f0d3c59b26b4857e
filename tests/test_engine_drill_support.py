"""Engine support for the drill: ``touched_statuses`` agrees with ``counts`` and the views; views of new replicas; a pure ``result()``."""

from collections import Counter

from drillsim.engine import Simulation, Status
from drillsim.model import load_scenario

from helpers import SCENARIOS


def test_touched_statuses_match_counts_and_views_in_both_views():
    sim = Simulation(load_scenario(SCENARIOS / "example-room-fire.yaml"), seed=1, policy="manual")
    assert sim.touched_statuses() == {}
    for _ in range(4):
        sim.step()
        for truth in (False, True):
            statuses = sim.touched_statuses(truth)
            assert [sim.compiled.sys_ids[i] for i in sorted(statuses)] == sim.touched()
            for i, status in statuses.items():
                assert sim.system_view(i, truth).status is status
            counts = Counter(s.value for s in statuses.values())
            counts[Status.up.value] += len(sim.compiled.sys_ids) - len(statuses)
            expected = {k: v for k, v in sim.counts(truth).items() if v}
            assert {k: v for k, v in counts.items() if v} == expected


def test_system_view_of_a_system_restored_onto_a_new_replica():
    """A restore elsewhere adds a replica at run time; the view must find its site (it used to raise IndexError)."""
    sim = Simulation(load_scenario(SCENARIOS / "example-room-fire.yaml"), seed=1, policy="manual")
    sim.step()
    sim.step()
    sim.act("recover/login/restore")
    sim.advance(12.0)
    i = sim.compiled.sidx["login"]
    view = sim.system_view(i, truth=True)
    assert view.status is Status.up
    assert view.site == "dr"


def test_asking_for_the_result_mid_run_changes_nothing_in_the_run():
    """Same commands, same world bit for bit, whether or not the score was looked at half-way."""
    def play(peek: bool):
        sim = Simulation(load_scenario(SCENARIOS / "example-room-fire.yaml"), seed=5, policy="manual")
        sim.step()
        sim.step()
        sim.act("recover/login/restore")
        sim.act("fallback/docs")
        for t in (1.0, 7.3, 30.0):
            sim.advance(t)
            if peek:
                sim.result()
        return sim.run().to_dict()

    assert play(peek=True) == play(peek=False)


def _decision_scenario():
    from pathlib import Path

    return load_scenario(Path(__file__).parent / "drill_fixtures" / "room-fire-decision.yaml")


def test_advance_can_stop_when_a_decision_opens_and_is_unchanged_otherwise():
    loaded = _decision_scenario()  # the decision opens at 30 min
    sim = Simulation(loaded, seed=1, policy="manual")
    sim.advance(2.0, stop_at_decision=True)
    assert sim.now == 0.5 and list(sim.pending_decisions) == ["mutual-aid"]
    sim.advance(2.0, stop_at_decision=True)  # an open decision that is not new does not stop it
    assert sim.now == 2.0

    def run(stop: bool):
        sim = Simulation(load_scenario(SCENARIOS / "example-room-fire.yaml"), seed=3, policy="manual")
        sim.step()
        sim.step()
        sim.act("recover/login/restore")
        for t in (0.7, 1.9, 4.0, 30.0):
            sim.advance(t, stop_at_decision=stop)
            assert sim.now == t
        return sim.run().to_dict()

    assert run(True) == run(False)

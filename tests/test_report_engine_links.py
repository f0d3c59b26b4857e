"""Engine support for sitreps: each system's result records when it was held down only by its links."""

from drillsim.engine import Simulation, run_scenario

from report_fixtures import city_scenario


def test_links_timeline_marks_systems_down_through_their_dependencies():
    result = run_scenario(city_scenario(), seed=1, policy="none")
    assert result.system("c2").links_timeline == [(1.0, True), (11.0, False)]
    assert result.system("own1").links_timeline == [(1.0, True), (11.0, False)]
    # Down in itself (its room failed): never 'through links', though its dependency is down too.
    assert result.system("c1").links_timeline == []
    assert result.system("auth").links_timeline == []
    assert "links_timeline" not in result.system("c2").as_dict()
    assert result.system("c2").as_dict(timeline=True)["links_timeline"] == [(1.0, True), (11.0, False)]


def test_links_timeline_agrees_with_the_live_view():
    sim = Simulation(city_scenario(), seed=1, policy="none")
    sim.advance(2.0)
    c = sim.compiled
    for sid in ("c1", "c2", "own1", "auth"):
        view = sim.system_view(c.sidx[sid], truth=True)
        links = sim.world.sys[c.sidx[sid]].links
        assert view.through_links == (bool(links) and links[-1][1]), sid

"""Scenario files (content) and the `kiosk simulate crowd` command line."""
from __future__ import annotations

import json

import numpy as np
import pytest

from stations.crowd.cli import main
from stations.crowd.scenario import ScenarioError, bundled_scenarios, evaluate, load_scenario, parse_scenario

REQUIRED = {"evacuation", "corridor", "bottleneck", "four-exits", "platform"}


def test_the_five_scenarios_ship_and_build():
    assert REQUIRED <= set(bundled_scenarios())
    for name in REQUIRED:
        sc = load_scenario(name)
        model = sc.build(seed=1)
        assert model.count == sc.total_agents > 0
        seg = model.geometry.segments()
        from stations.crowd.geometry import point_segment_distance
        gap = point_segment_distance(model.pos, seg).min(axis=1)
        assert np.all(gap > model.radius)         # nobody starts inside a wall


def test_published_sizes():
    evac = load_scenario("evacuation")
    assert evac.total_agents == 200 and evac.geometry.bounds() == (0, 0, 15, 15)
    assert [round(e.width, 3) for e in evac.geometry.exits] == [1.0]
    four = load_scenario("four-exits")
    assert four.total_agents == 1000 and len(four.geometry.exits) == 4
    assert four.geometry.bounds() == (0, 0, 30, 20)


def test_parameters_change_the_geometry():
    narrow = load_scenario("bottleneck", {"width": 0.8})
    assert narrow.geometry.exits[0].width == pytest.approx(0.8)
    with pytest.raises(ScenarioError, match="no such parameter"):
        load_scenario("bottleneck", {"colour": 1})


def test_platform_hold_switch():
    first_off = load_scenario("platform")
    at_once = load_scenario("platform", {"hold": 0})
    assert any(s.hold_until_empty for s in first_off.spawns)
    assert not any(s.hold_until_empty for s in at_once.spawns)


def test_expressions_are_arithmetic_only():
    assert evaluate("4 - width / 2", {"width": 1.0}) == 3.5
    with pytest.raises(ValueError):
        evaluate("__import__('os')", {})


@pytest.mark.parametrize("data, message", [
    ({"walls": [{"points": [[0, 0]]}], "exits": [{"name": "a", "line": [[0, 0], [1, 0]]}]}, "at least 2 points"),
    ({"walls": [], "exits": []}, "at least one exit"),
    ({"exits": [{"name": "a", "line": [[0, 0], [1, 0]]}], "spawns": [{"rect": [0, 0, 1, 1], "count": -1}]}, "count"),
    ({"exits": [{"name": "a", "line": [[0, 0], [1, 0]]}], "model": {"speed_of_light": 1}}, "unknown parameter"),
    ({"exits": [{"name": "a", "line": [[0, 0], [1, 0]]}], "destinations": [{"exits": ["b"]}]}, "unknown or no exits"),
])
def test_bad_scenarios_name_the_key(data, message):
    with pytest.raises(ScenarioError, match=message):
        parse_scenario(data, "bad")


def test_cli_json_fields(capsys):
    assert main(["bottleneck", "--agents", "20", "--seconds", "60", "--seed", "3", "--set", "width=1.2",
                 "--set", "desired_speed=1.5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"evacuation_time_s", "agents_remaining", "exits", "max_overlap_m", "wall_crossings", "areas",
            "wall_time_s"} <= set(out)
    assert out["agents_remaining"] == 0 and out["evacuation_time_s"] > 0
    assert out["exits"][0]["persons"] == 20
    assert set(out["exits"][0]) == {"name", "persons", "flow_per_s", "specific_flow_per_m_s"}
    assert set(out["areas"][0]) == {"name", "density_per_m2", "speed_m_s"}
    assert out["wall_crossings"] == 0


def test_cli_null_evacuation_time_when_people_remain(capsys):
    assert main(["evacuation", "--agents", "50", "--seconds", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["evacuation_time_s"] is None and out["agents_remaining"] > 0


def test_cli_trajectories_in_pedpy_format(tmp_path):
    path = tmp_path / "traj.txt"
    assert main(["evacuation", "--agents", "10", "--seconds", "1", "--trajectories", str(path)]) == 0
    lines = path.read_text().splitlines()
    header = [line for line in lines if line.startswith("#")]
    assert any(line.startswith("# framerate: 10") for line in header)
    rows = np.loadtxt([line for line in lines if not line.startswith("#")])
    assert rows.shape[1] == 5 and set(rows[:, 1].astype(int)) == set(range(10))
    assert len(set(rows[:, 0].astype(int))) == 10


@pytest.mark.parametrize("argv", [[], ["nope.toml"], ["evacuation", "--agents", "x"],
                                  ["evacuation", "--set", "novalue"], ["evacuation", "--set", "tau=fast"],
                                  ["evacuation", "--set", "gravity=3"], ["evacuation", "--seconds", "-1"]])
def test_cli_bad_input_exits_2_without_traceback(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()


def test_check_content_reports_bad_scenarios(tmp_path):
    from stations.crowd.station import CrowdStation

    assert CrowdStation.check_content({}, "stations.crowd") == []
    problems = CrowdStation.check_content({"scenarios": ["evacuation", "nope"], "start_scenario": "x"},
                                          "stations.crowd")
    assert [p.key for p in problems] == ["stations.crowd.scenarios[1]", "stations.crowd.start_scenario"]

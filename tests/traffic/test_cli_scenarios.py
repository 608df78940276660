"""`kiosk simulate traffic` and the scenario files."""
import csv
import json

import numpy as np
import pytest

from stations.traffic.cli import main
from stations.traffic.scenario import CONTENT_DIR, ScenarioError, apply_overrides, load, load_all, parse

REQUIRED = {"mean_speed_kmh", "flow_veh_h", "stopped_vehicles", "wave_speed_kmh", "jam_outflow_veh_h",
            "collisions", "wall_time_s"}


def test_every_shipped_scenario_loads_and_runs_safely():
    ids = {s.id for s in load_all()}
    assert {"sugiyama", "ring", "onramp", "roadworks", "calm-car"} <= ids
    for s in load_all():
        m = s.build(seed=42)
        m.step(60)
        assert m.collisions == 0 and (m.v >= 0).all(), s.id
        assert s.title and s.summary


def test_json_output_has_the_documented_fields(capsys):
    assert main([str(CONTENT_DIR / "sugiyama.toml"), "--seconds", "240", "--seed", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert REQUIRED <= set(out)
    assert out["collisions"] == 0 and out["scenario"] == "sugiyama"
    assert out["wave_speed_kmh"] < 0                     # the Sugiyama jam travels backwards


def test_free_ring_reports_no_wave(capsys):
    args = [str(CONTENT_DIR / "ring.toml"), "--vehicles", "10", "--seconds", "120", "--json", "--set", "road.lanes=1"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["wave_speed_kmh"] is None and out["jam_outflow_veh_h"] is None and out["stopped_vehicles"] == 0


def test_trajectories_csv(tmp_path, capsys):
    path = tmp_path / "t.csv"
    assert main([str(CONTENT_DIR / "sugiyama.toml"), "--seconds", "10", "--trajectories", str(path)]) == 0
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["t", "id", "lane", "x", "v"]
    data = np.array(rows[1:], dtype=float)
    assert data.shape[0] == 22 * 11                      # every vehicle at t = 0, 1, ... 10 s
    assert (data[:, 4] >= 0).all() and ((data[:, 3] >= 0) & (data[:, 3] < 230)).all()


@pytest.mark.parametrize("argv", [
    ["missing.toml"],
    [str(CONTENT_DIR / "ring.toml"), "--params", "wild"],
    [str(CONTENT_DIR / "ring.toml"), "--set", "road.lanes=9"],
    [str(CONTENT_DIR / "ring.toml"), "--set", "nonsense"],
    [str(CONTENT_DIR / "ring.toml"), "--seconds", "-3"],
])
def test_bad_input_exits_2_without_traceback(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_unknown_keys_are_named():
    with pytest.raises(ScenarioError, match="road.lenght_m"):
        parse({"scenario": {"id": "x"}, "road": {"lenght_m": 3}})


def test_overrides_keep_types():
    s = apply_overrides(load(CONTENT_DIR / "ring.toml"), ["vehicles.smart_car=true", "road.lanes=2"])
    m = s.build(seed=0)
    assert m.road.lanes == 2 and m.smart.sum() == 1

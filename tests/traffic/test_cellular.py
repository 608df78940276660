"""« Le modèle le plus simple »: the Nagel-Schreckenberg automaton in the station and on the command line."""
import csv
import json

import numpy as np
import pytest

from stations.traffic.cellular import FRONT_M, CellularRing, fundamental_curve
from stations.traffic.cli import main
from stations.traffic.nasch import CELL_M, NaSchModel
from stations.traffic.scenario import CONTENT_DIR, ScenarioError, load, load_all, parse

NASCH = CONTENT_DIR / "nasch.toml"


def test_the_ring_is_the_automaton_in_metres_and_seconds():
    ring = CellularRing(cells=60, cars=13, p=0.25, seed=3)
    bare = NaSchModel(cells=60, cars=13, p=0.25, seed=3, start="uniform")
    for second in range(60):
        for _ in range(60):                  # a second of frames: the cars move once, at its end
            before = ring.x.copy()
            ring.step(1 / 60)
            assert np.array_equal(ring.x, before) or ring.t == second + 1
        bare.step()
        assert np.array_equal(ring.x, bare.x * CELL_M + FRONT_M) and np.array_equal(ring.v, bare.v * CELL_M)
    assert ring.t == 60.0 and ring.collisions == 0 and len(ring.field.times) == 60


def test_without_chance_a_free_ring_runs_at_vmax_and_a_tap_jam_dissolves():
    ring = CellularRing(cells=60, cars=9, p=0.0)                 # 0.15 cars per cell, below 1/6
    ring.step(30)
    assert ring.mean_speed_kmh() == pytest.approx(135.0) and ring.stopped_count() == 0
    assert ring.tap(int(ring.vid[4]))
    most = 0
    for _ in range(120):
        ring.step(1.0)
        most = max(most, ring.stopped_count())
    assert most >= 2                                              # the followers had to stop too
    assert ring.collisions == 0 and ring.mean_speed_kmh() == pytest.approx(135.0)


def test_more_and_fewer_cars_keep_one_car_per_cell_and_unique_ids():
    ring = CellularRing(cells=60, cars=13, p=0.25, seed=1)
    ring.step(20)
    ring.set_vehicle_count(20)
    assert ring.ca.x.size == 20 and np.unique(ring.ca.x).size == 20 and np.unique(ring.vid).size == 20
    ring.step(30)
    ring.set_vehicle_count(5)
    assert ring.ca.x.size == 5 and ring.collisions == 0
    ring.set_vehicle_count(1000)                                  # stops when no gap has room
    assert ring.ca.x.size < 60 and np.unique(ring.ca.x).size == ring.ca.x.size
    ring.step(30)
    assert ring.collisions == 0


def test_fundamental_curves():
    d0, q0 = fundamental_curve(0.0)
    k = int(np.argmax(q0))
    assert q0[k] == pytest.approx(3000.0) and d0[k] == pytest.approx(1000 / 6 / CELL_M)   # 5/6 car per step at 1/6
    d, q = fundamental_curve(0.25)
    assert 0.4 * 3600 < q.max() < q0.max() and q[-1] < 50            # chance lowers capacity; full ring stands


def test_scenario_format_and_errors():
    s = load(NASCH)
    assert s.model_kind == "nasch" and "nasch" in {x.id for x in load_all()}
    ring = s.build(seed=0)
    assert isinstance(ring, CellularRing) and ring.ca.cells == 60 and ring.ca.x.size == 13
    data = dict(s.data)
    with pytest.raises(ScenarioError, match="one-lane ring"):
        parse({**data, "road": {"kind": "ring", "length_m": 450, "lanes": 2}})
    with pytest.raises(ScenarioError, match="nasch.p"):
        parse({**data, "nasch": {"p": 1.5}})


def test_simulate_nasch_and_any_ring_with_model_nasch(tmp_path, capsys):
    out_csv = tmp_path / "t.csv"
    assert main([str(NASCH), "--seconds", "300", "--seed", "2", "--json", "--trajectories", str(out_csv)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model"] == "nasch" and out["collisions"] == 0 and out["vehicles"] == 13
    assert out["stopped_vehicles"] >= 0 and out["flow_veh_h"] > 0
    with open(out_csv, newline="") as f:
        rows = list(csv.DictReader(f))
    cells = {(float(r["x"]) - FRONT_M) / CELL_M for r in rows}
    assert all(c == int(c) for c in cells) and len(rows) == 13 * 301
    assert main([str(CONTENT_DIR / "sugiyama.toml"), "--model", "nasch", "--set", "nasch.p=0",
                 "--set", "vehicles.count=5", "--seconds", "60", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["mean_speed_kmh"] == pytest.approx(135.0) and out["wave_speed_kmh"] is None
    assert main([str(CONTENT_DIR / "ring.toml"), "--model", "nasch"]) == 2          # three lanes
    assert main([str(NASCH), "--params", "calm"]) == 2


def test_group_activities_may_name_the_simplest_model():
    from kiosk.groups.activities import station_scenarios
    from stations.traffic.station import TrafficStation
    assert {"sugiyama", "ring", "onramp", "roadworks", "calm-car", "nasch"} <= station_scenarios(TrafficStation)

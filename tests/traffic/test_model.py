"""Invariants of TrafficModel: no collision, no order swap, speeds bounded, reset, visitor taps."""
import numpy as np
import pytest

from stations.traffic.idm import EXHIBIT, REALISTIC
from stations.traffic.model import TrafficModel
from stations.traffic.roads import Closure, Ramp, Road


def _cyclic_order(m):
    order = m.vid[np.argsort(m.x)]
    k = int(np.flatnonzero(order == order.min())[0])
    return np.roll(order, -k)


@pytest.mark.parametrize("density", [3, 60, 140])
@pytest.mark.parametrize("params", [REALISTIC, EXHIBIT.with_(noise_q=0.5)])
def test_single_lane_ring_never_collides_nor_swaps(density, params):
    m = TrafficModel(road=Road(length=500), params=params, density_veh_km_lane=density, seed=3, perturbation=8)
    order = _cyclic_order(m)
    for k in range(120):
        m.step(0.5 if k % 2 else 3.0)    # time-lapse extremes: sub-steps keep dt <= 0.2 s
        assert m.min_gap() > 0.0
        assert np.array_equal(_cyclic_order(m), order)
        assert (m.v >= 0).all()
    assert m.collisions == 0


def test_taps_on_every_car_at_maximum_density_stay_safe():
    m = TrafficModel(road=Road(length=300, lanes=3), params=EXHIBIT, density_veh_km_lane=120, seed=5)
    for k in range(200):
        if k % 10 == 0:
            m.tap(int(m.vid[k % m.vid.size]))
        m.step(1.0)
        assert m.min_gap() > 0.0 and (m.v >= 0).all()
    assert m.collisions == 0


@pytest.mark.parametrize("road", [
    Road(kind="open", length=1500, lanes=2, inflow_veh_h=5000, ramp=Ramp(inflow_veh_h=1500)),
    Road(kind="open", length=1500, lanes=3, inflow_veh_h=6000, closure=Closure(lane=1, start=900, end=1100)),
    Road(kind="open", length=1500, lanes=1, inflow_veh_h=200),
])
def test_open_roads_never_collide(road):
    m = TrafficModel(road=road, params=EXHIBIT.with_(noise_q=0.3), seed=2)
    for _ in range(300):
        m.step(1.0)
        assert m.min_gap() > 0.0 and (m.v >= 0).all()
    assert m.collisions == 0 and m.finished_vehicles > 0


def test_reset_restores_the_initial_state():
    m = TrafficModel(road=Road(length=1000, lanes=2), density_veh_km_lane=30, seed=7)
    x0, v0, lane0 = m.x.copy(), m.v.copy(), m.lane.copy()
    m.step(60)
    m.tap(int(m.vid[3]))
    m.set_vehicle_count(10)
    m.reset()
    assert np.array_equal(m.x, x0) and np.array_equal(m.v, v0) and np.array_equal(m.lane, lane0)
    assert m.t == 0 and m.collisions == 0 and not m.braking.any()


def test_tap_stops_the_car_and_holds_it_about_three_seconds():
    m = TrafficModel(road=Road(length=1000), params=EXHIBIT.with_(noise_q=0.0), density_veh_km_lane=20, seed=1)
    m.step(5)
    vid = int(m.vid[4])
    assert m.tap(vid) and not m.tap(10_000)
    i = lambda: int(np.flatnonzero(m.vid == vid)[0])
    t_stop = None
    while m.t < 30 and t_stop is None:
        m.step(0.1)
        if m.v[i()] == 0.0:
            t_stop = m.t
    assert t_stop is not None and t_stop < 12
    m.step(2.5)
    assert m.v[i()] == 0.0                 # still held
    m.step(3.0)
    assert m.v[i()] > 0.0                  # released and driving again


def test_step_uses_substeps_of_at_most_max_dt():
    m = TrafficModel(road=Road(length=400), vehicles=10, seed=0)
    m.step(1.0)
    assert m.substeps == 5
    m.step(0.05)
    assert m.substeps == 6
    with pytest.raises(ValueError):
        TrafficModel(max_dt=0.5)


def test_vehicle_count_changes_keep_everyone_safe():
    m = TrafficModel(road=Road(length=1000, lanes=3), density_veh_km_lane=10, seed=4)
    m.set_vehicle_count(150)
    assert m.x.size == 150 and m.min_gap() > 0
    m.step(30)
    m.set_vehicle_count(20)
    assert m.x.size == 20 and m.min_gap() > 0


@pytest.mark.parametrize("road", [Road(length=300), Road(length=300, lanes=2), Road(kind="open", length=500)])
def test_empty_roads_and_a_lone_car(road):
    m = TrafficModel(road=road, vehicles=0)
    m.step(3)
    assert m.x.size == 0 and m.t == pytest.approx(3.0)
    alone = TrafficModel(road=Road(length=300), params=REALISTIC, vehicles=1, seed=0)
    alone.step(120)
    assert alone.min_gap() == pytest.approx(300 - REALISTIC.length) and alone.v[0] > 25   # free road

"""MOBIL: threshold and safe-braking criteria (Kesting, Treiber & Helbing 2007)."""
import numpy as np

from stations.traffic.idm import REALISTIC
from stations.traffic.mobil import MobilParams, build_index, mobil_incentive, target_neighbours
from stations.traffic.model import TrafficModel
from stations.traffic.roads import Road


def _two_cars(gap, mobil, speed=20.0):
    """A car behind a slower leader in lane 0; lane 1 empty."""
    m = TrafficModel(road=Road(length=2000, lanes=2), params=REALISTIC.with_(heterogeneity=0.0), vehicles=0,
                     mobil=mobil, seed=0)
    cols = m._new_columns(2, np.array([0, 0]), np.array([100.0, 100.0 + gap + 5.0]), np.array([speed, speed - 5]))
    m._append(cols)
    return m


def test_no_change_when_the_gain_is_below_the_threshold():
    # Selfish drivers, no keep-right bias. Far leader: the gain of the empty lane is below 0.1 m/s².
    m = _two_cars(400.0, MobilParams(threshold=0.1, bias_right=0.0, politeness=0.0))
    m.step(10)
    assert m.lane_change_count == 0
    # The same close, slower leader is worth a change...
    m = _two_cars(25.0, MobilParams(threshold=0.1, bias_right=0.0, politeness=0.0))
    m.step(2)
    assert m.lane[m.vid == 0][0] == 1
    # ...unless the threshold is above that gain.
    m = _two_cars(25.0, MobilParams(threshold=10.0, bias_right=0.0, politeness=0.0))
    m.step(2)
    assert m.lane_change_count == 0 and m.lane[m.vid == 0][0] == 0


def test_incentive_formula():
    p = MobilParams(politeness=0.5, threshold=0.1)
    got = mobil_incentive(np.array([0.0]), np.array([1.0]), np.array([0.2]), np.array([-0.4]),
                          np.array([-1.0]), np.array([0.0]), p, 0.3)
    assert np.allclose(got, 1.0 + 0.5 * (-0.6 + 1.0) - 0.1 + 0.3)


def test_neighbour_search_on_a_ring_wraps_around():
    lane = np.array([0, 0, 1, 1])
    x = np.array([100.0, 900.0, 500.0, 950.0])
    idx = build_index(lane, x, 2, 4000.0)
    leader, follower = target_neighbours(idx, np.array([1]), np.array([980.0]), True)
    assert leader[0] == 2 and follower[0] == 3        # wraps past 1000 m to the car at 500 m
    leader, follower = target_neighbours(idx, np.array([1]), np.array([980.0]), False)
    assert leader[0] == -1 and follower[0] == 3


def test_changes_never_force_the_new_follower_beyond_the_safe_deceleration():
    mobil = MobilParams()
    m = TrafficModel(road=Road(length=1000, lanes=3), density_veh_km_lane=30, mobil=mobil, seed=11, audit=True)
    for k in range(30):               # visitors' taps keep creating jams worth escaping
        m.tap(int(m.vid[(7 * k) % m.vid.size]))
        m.step(10)
    done = np.concatenate(m.lane_change_audit)
    assert done.size > 50
    assert done.min() >= -mobil.b_safe
    assert m.collisions == 0

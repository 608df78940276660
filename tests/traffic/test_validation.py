"""Validation against published figures (issue 4). Multi-second runs: marked slow, still run by CI."""
import numpy as np
import pytest

from stations.traffic.detectors import STOPPED_MS, jam_outflow, wave_speed_kmh
from stations.traffic.idm import EXHIBIT, REALISTIC, fundamental_diagram
from stations.traffic.model import TrafficModel
from stations.traffic.roads import Road
from stations.traffic.scenario import CONTENT_DIR, apply_overrides, load

pytestmark = pytest.mark.slow


def _ring_run(density, seconds=1800, length=3000.0):
    """Realistic set, homogeneous start, one perturbation (the first car 15 m/s slower)."""
    m = TrafficModel(road=Road(length=length), params=REALISTIC, density_veh_km_lane=density, perturbation=15.0, seed=1)
    m.step(seconds)
    return m


def _last_samples(m, seconds):
    s = np.array(m.samples)
    return s[s[:, 0] > m.t - seconds]


@pytest.fixture(scope="module")
def ring30():
    return _ring_run(30)


def test_ring_is_free_at_20_veh_km():
    m = _ring_run(20)
    assert _last_samples(m, 600)[:, 4].min() * 3.6 > 60.0


def test_ring_stop_and_go_at_30_veh_km_and_above(ring30):
    assert _last_samples(ring30, 600)[:, 4].min() * 3.6 < 1.0
    for density in (40, 60):
        assert _last_samples(_ring_run(density, seconds=1200), 600)[:, 4].min() * 3.6 < 1.0


def test_realistic_jam_wave_speed_and_outflow_with_capacity_drop(ring30):
    wave = wave_speed_kmh(ring30.field.array(300), ring30.field.dx, 1.0, True)
    assert -20.0 <= wave <= -10.0                       # Kerner: -15 ± 5 km/h
    outflow = jam_outflow(ring30.detectors.recent(ring30.t - 900))
    capacity = fundamental_diagram(REALISTIC)[1].max()
    assert 1500.0 <= outflow <= 2000.0                  # veh/h/lane
    assert outflow < capacity                           # capacity drop
    assert ring30.collisions == 0


@pytest.mark.parametrize("seed", [1, 2])
def test_sugiyama_ring_jams_within_five_minutes_and_wave_goes_back_at_20_kmh(seed):
    m = load(CONTENT_DIR / "sugiyama.toml").build(seed=seed, field_cells=115)
    assert m.x.size == 22 and m.road.length == 230
    first_stop = None
    while m.t < 300.0 - 1e-9:
        m.step(1.0)
        if first_stop is None and m.v.min() < STOPPED_MS:
            first_stop = m.t
    assert first_stop is not None
    m.step(300)
    wave = wave_speed_kmh(m.field.array(240), m.field.dx, 1.0, True)
    assert -25.0 <= wave <= -15.0


@pytest.mark.parametrize("density", [30, 35, 40])
@pytest.mark.parametrize("seed", [1, 2])
def test_exhibit_tap_makes_a_jam_that_travels_back(density, seed):
    def run(tap):
        m = TrafficModel(road=Road(length=1000), params=EXHIBIT, density_veh_km_lane=density, seed=seed)
        m.step(20)
        if tap:
            m.tap(int(m.vid[0]))
        ever = np.zeros(m.x.size, bool)
        for _ in range(150):
            m.step(0.1)
            ever |= m.v < STOPPED_MS
        return m, int(ever.sum())
    control, stopped_without_tap = run(False)
    m, stopped = run(True)
    assert stopped_without_tap == 0
    assert stopped >= 3
    m.step(45)                                   # the minute that follows the tap
    wave = wave_speed_kmh(m.field.array(60), m.field.dx, 1.0, True)
    assert -20.0 <= wave <= -10.0


def _upstream_speed_kmh(m):
    ramp = m.road.ramp
    sel = (m.lane < m.road.lanes) & (m.x > ramp.merge_start - 400) & (m.x < ramp.merge_start)
    return float(m.v[sel].mean() * 3.6)


def test_on_ramp_breaks_down_and_shows_hysteresis():
    base = load(CONTENT_DIR / "onramp.toml")
    s = apply_overrides(base, ["road.inflow_veh_h=2800", "ramp.inflow_veh_h=900", 'scenario.params="realistic"'])
    jammed = s.build(seed=1)
    jammed.step(600)
    assert _upstream_speed_kmh(jammed) < 40.0                 # breakdown at high demand
    jammed.ramp_inflow_scale = 400 / 900
    fresh = s.build(seed=1)
    fresh.ramp_inflow_scale = 400 / 900
    for _ in range(4):
        jammed.step(150)
        fresh.step(150)
        assert _upstream_speed_kmh(jammed) < 40.0             # the jam survives the lower demand...
        assert _upstream_speed_kmh(fresh) > 80.0              # ...that never breaks down from free flow
    assert jammed.collisions == 0 and fresh.collisions == 0


def test_smart_car_halves_the_speed_spread_within_five_minutes():
    def run(smart):
        m = load(CONTENT_DIR / "calm-car.toml").build(seed=3)
        m.step(300)                                   # stop-and-go established
        m.set_smart_car(smart)
        m.step(300)
        return _last_samples(m, 60)[:, 2].mean()
    without, with_smart = run(False), run(True)
    assert with_smart <= 0.5 * without

"""IDM formulas and the ballistic update on tiny states with known answers."""
import numpy as np
import pytest

from stations.traffic.idm import (EXHIBIT, HARD_DECEL, REALISTIC, ballistic_step, equilibrium_gap,
                                  fundamental_diagram, idm_acceleration_scalar_params)


def test_free_road_start_accelerates_at_a():
    acc = idm_acceleration_scalar_params([0.0], [1e6], [0.0], REALISTIC)
    assert acc[0] == pytest.approx(REALISTIC.a, rel=1e-6)


def test_equilibrium_gap_gives_zero_acceleration():
    v = np.array([5.0, 15.0, 25.0])
    acc = idm_acceleration_scalar_params(v, equilibrium_gap(v, REALISTIC), np.zeros(3), REALISTIC)
    assert np.allclose(acc, 0.0, atol=1e-9)


def test_desired_speed_gives_zero_free_acceleration():
    acc = idm_acceleration_scalar_params([REALISTIC.v0], [1e9], [0.0], REALISTIC)
    assert acc[0] == pytest.approx(0.0, abs=1e-6)


def test_ballistic_update_stops_exactly_inside_the_step():
    v = np.array([2.0, 10.0])
    acc = np.array([-4.0, -1.0])
    advance, v_new = ballistic_step(np.zeros(2), v, acc, 1.0, np.full(2, 1e9))
    assert v_new[0] == 0.0 and advance[0] == pytest.approx(0.5)      # v²/2b = 4/8
    assert v_new[1] == pytest.approx(9.0) and advance[1] == pytest.approx(9.5)


def test_ballistic_update_never_passes_the_leader():
    advance, _ = ballistic_step(np.zeros(1), np.array([30.0]), np.array([0.0]), 1.0, np.array([3.0]))
    assert advance[0] == pytest.approx(3.0)


def test_fundamental_diagram_realistic_capacity():
    density, flow, _ = fundamental_diagram(REALISTIC)
    assert 1600 < flow.max() < 1900           # veh/h/lane, Treiber & Kesting 2013 fig. 11.x
    assert density[-1] == pytest.approx(1000 / (REALISTIC.s0 + REALISTIC.length), rel=1e-3)


def test_parameter_sets_are_as_published():
    p = REALISTIC
    assert (round(p.v0 * 3.6), p.T, p.s0, p.a, p.b, p.delta, p.length) == (120, 1.6, 2.0, 0.73, 1.67, 4.0, 5.0)
    assert EXHIBIT.b < HARD_DECEL


def test_model_substep_matches_the_reference_formulas():
    """The model's fused hot path computes exactly idm_acceleration + ballistic_step."""
    from stations.traffic.idm import HARD_DECEL, idm_acceleration
    from stations.traffic.model import SAFETY_MARGIN, TrafficModel
    from stations.traffic.roads import Road
    m = TrafficModel(road=Road(length=400), params=REALISTIC, vehicles=12, perturbation=10, seed=3, measure=False)
    m.step(7.3)
    x, v = m.x.copy(), m.v.copy()
    lead = np.roll(np.arange(x.size), -1)
    gap = (x[lead] - x) % 400 - m.length[lead]
    acc = idm_acceleration(v, gap, v - v[lead], m.v0, m.T, m.s0, m.a, m.b)
    acc = np.maximum(acc, -HARD_DECEL)
    advance, v_new = ballistic_step(x, v, acc, 0.2, gap - SAFETY_MARGIN)
    m._substep(0.2)
    assert np.allclose(m.v, v_new, atol=1e-12) and np.allclose((m.x - x) % 400, advance, atol=1e-9)

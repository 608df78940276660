"""Nagel-Schreckenberg: published fundamental-diagram figures (Nagel & Schreckenberg 1992)."""
import numpy as np
import pytest

from stations.traffic.nasch import NaSchModel, fundamental_diagram


def test_deterministic_maximum_flow_is_five_sixths_at_density_one_sixth():
    rows = fundamental_diagram([0.1, 1 / 6, 0.25, 0.4], p=0.0, cells=600, steps=600, warmup=1200)
    best = rows[np.argmax(rows[:, 1])]
    assert best[0] == pytest.approx(1 / 6)
    assert best[1] == pytest.approx(5 / 6, abs=1e-12)


def test_dawdling_half_gives_about_0_32_near_density_0_085():
    flows = [NaSchModel(cells=2000, cars=170, p=0.5, seed=s).flow(2000, warmup=1000) for s in range(3)]
    assert np.mean(flows) == pytest.approx(0.32, abs=0.01)


def test_cars_never_share_a_cell():
    m = NaSchModel(cells=100, cars=60, p=0.3, seed=1)
    for _ in range(200):
        m.step()
        assert np.unique(m.x).size == 60 and (m.v >= 0).all() and (m.v <= 5).all()

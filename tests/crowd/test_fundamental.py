"""Speed against density measured as experimenters do (PedPy's Voronoi method), the headway rule,
and a corridor walked at any angle. All seeds and both models: `python -m tests.crowd.runs`."""
from __future__ import annotations

import numpy as np
import pytest

from stations.crowd.steering import Steering, look_ahead

from tests.crowd import corridors
from tests.crowd.runs import WEIDMANN_BANDS


def test_a_follower_keeps_a_time_gap_and_oncoming_people_are_left_to_the_forces():
    law = Steering()
    pos = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 3.0], [1.0, 3.0]])
    radius = np.full(4, 0.25)
    # 0 follows 1 (same way); 2 faces 3 (walking towards each other)
    heading = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [-1.0, 0.0]])
    v0 = np.full(4, 1.34)
    i, j = np.array([0, 2]), np.array([1, 3])
    target = look_ahead(law, pos, radius, heading, v0, i, j, None)
    free = 1.0 - law.depth * 0.5                     # straight behind: depth x contact width
    assert target[0, 0] == pytest.approx(free / law.time_gap)
    assert target[1, 0] == pytest.approx(1.34)        # nobody ahead of the leader
    assert target[2, 0] == pytest.approx(1.34)        # the oncoming one does not slow anyone
    assert target[3, 0] == pytest.approx(-1.34)
    running = look_ahead(law, pos, radius, heading, np.full(4, 5.0), i, j, None)
    assert running[0, 0] >= 5.0 - law.push_from - 1e-9   # in panic people push


def test_pushing_read_from_the_crowds_hurry_leaves_a_calm_crowds_fast_walkers_their_gap():
    """push_by_hurry: the floor is v0 (1 - push_from / hurry), hurry the crowd's mean desired speed."""
    law = Steering(push_from=1.34, push_by_hurry=True)
    pos = np.array([[0.0, 0.0], [0.6, 0.0]])          # 0 close behind 1: the time gap alone allows ~0.5 m/s
    radius = np.full(2, 0.25)
    heading = np.array([[1.0, 0.0], [1.0, 0.0]])
    i, j = np.array([0]), np.array([1])
    gap_only = (0.6 - law.depth * 0.5) / law.time_gap
    fast = np.full(2, 2.2)                            # a fast walker in a calm crowd: keeps the gap
    assert look_ahead(law, pos, radius, heading, fast, i, j, None, hurry=1.34)[0, 0] == pytest.approx(gap_only)
    assert look_ahead(Steering(), pos, radius, heading, fast, i, j, None)[0, 0] == pytest.approx(2.2 - 1.6)
    hurried = np.full(2, 3.0)                         # the whole crowd hurried to 3 m/s: pushes
    target = look_ahead(law, pos, radius, heading, hurried, i, j, None, hurry=3.0)
    assert target[0, 0] == pytest.approx(3.0 * (1 - 1.34 / 3.0))


def test_someone_partly_in_the_way_is_kept_at_the_shorter_gap():
    law = Steering()
    pos = np.array([[0.0, 0.0], [0.9, 0.4]])          # off the line by 0.4 m, contact width 0.5 m
    radius = np.full(2, 0.25)
    heading = np.array([[1.0, 0.0], [1.0, 0.0]])
    target = look_ahead(law, pos, radius, heading, np.full(2, 1.34), np.array([0]), np.array([1]), None)
    free = 0.9 - law.depth * np.sqrt(0.5 ** 2 - 0.4 ** 2)
    assert target[0, 0] == pytest.approx(min(1.34, free / law.short_gap))


@pytest.mark.slow
@pytest.mark.parametrize("variant, densities", [("headway", (1.0, 2.0, 3.0, 4.0)),
                                                 ("anticipating", (0.5, 1.0, 2.0, 3.0, 4.0))])
def test_fundamental_diagram_within_weidmann_bands(variant, densities):
    """Periodic corridor 30 m x 4 m, PedPy's Voronoi speed in its middle 10 m: within Weidmann's bands
    and falling with density (seed 0 here; more seeds in the runs module and candidate_check). The
    headway rule alone is too slow at 0.5 P/m² (files behind slow walkers); the default passes them."""
    speeds = []
    for density in densities:
        r = corridors.one_way(density, seed=0, variant=variant, warmup=15.0, seconds=15.0)
        lo, hi = WEIDMANN_BANDS[density]
        assert lo <= r["speed"] <= hi, r
        assert abs(r["voronoi_density"] - density) < 0.3 * density, r
        assert r["overlap"] < 0.12 and r["crossings"] == 0, r
        speeds.append(r["speed"])
    assert speeds == sorted(speeds, reverse=True), speeds


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["helbing2000", "headway", "anticipating"])
def test_the_same_corridor_walks_the_same_at_any_angle(variant):
    ref = corridors.rotated(0.0, variant=variant)
    assert ref["last"] is not None and ref["people"] >= 30
    for angle in (30.0, 45.0, 60.0):
        r = corridors.rotated(angle, variant=variant)
        assert r["last"] is not None and r["crossings"] == 0, r
        assert abs(r["mean"] / ref["mean"] - 1) <= 0.05, (angle, r["mean"], ref["mean"])

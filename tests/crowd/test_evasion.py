"""Stepping aside for oncoming people (stations/crowd/evasion.py), the time gap kept to someone
coming the other way, and the random force felt only by people standing still."""
from __future__ import annotations

import numpy as np
import pytest

from stations.crowd.evasion import Evasion, evade, own_bias
from stations.crowd.model import CrowdModel
from stations.crowd.neighbours import cell_list_pairs
from stations.crowd.steering import Steering, look_ahead

from tests.crowd.corridors import corridor

EAST, WEST = [1.0, 0.0], [-1.0, 0.0]


def turned(law, pos, heading, ident=None, v0=1.3):
    pos, heading = np.asarray(pos, float), np.asarray(heading, float)
    n = len(pos)
    i, j = cell_list_pairs(pos, law.reach)
    ident = np.arange(n) if ident is None else np.asarray(ident)
    return evade(law, pos, np.zeros((n, 2)), np.full(n, 0.2), heading, np.full(n, v0), ident, i, j, None)


def test_two_people_walking_into_each_other_step_apart_each_on_the_side_they_already_are():
    out = turned(Evasion(), [[0.0, 2.0], [3.0, 2.1]], [EAST, WEST])
    assert out[0, 1] < -0.05 and out[1, 1] > 0.05       # the lower one goes down, the upper one up
    assert np.allclose(np.hypot(out[:, 0], out[:, 1]), 1.0)
    # the mirror image walks as the mirror image: no side is preferred
    mirrored = turned(Evasion(), [[0.0, -2.0], [3.0, -2.1]], [EAST, WEST])
    assert np.allclose(mirrored * [1, -1], out)


def test_nobody_steps_aside_for_people_walking_their_way_or_far_off():
    law = Evasion()
    same_way = turned(law, [[0.0, 2.0], [1.5, 2.1]], [EAST, EAST])
    assert np.allclose(same_way, [EAST, EAST])
    beside = turned(law, [[0.0, 0.0], [3.0, 1.5]], [EAST, WEST])      # 1.5 m apart sideways: not in the way
    assert np.allclose(beside, [EAST, WEST])
    too_far = turned(law, [[0.0, 2.0], [law.reach + 0.5, 2.0]], [EAST, WEST])
    assert np.allclose(too_far, [EAST, WEST])


def test_a_head_on_tie_is_broken_by_each_persons_own_bias_spread_evenly():
    bias = own_bias(np.arange(10_000), 0.05)
    assert abs(bias.mean()) < 0.001 and bias.min() >= -0.05 and bias.max() < 0.05
    out = turned(Evasion(), [[0.0, 2.0], [3.0, 2.0]], [EAST, WEST])
    assert abs(out[0, 1]) > 0.05 and abs(out[1, 1]) > 0.05


def test_the_side_is_chosen_away_from_the_oncoming_people_on_the_whole():
    # the nearest one in the way is a little to the walker's left, but most of those coming are to
    # the right: the walker goes left (up), where the nearest one alone would send them right
    pos = [[0.0, 2.0], [3.0, 2.1], [3.0, 1.6], [3.2, 1.2]]
    heading = [EAST, WEST, WEST, WEST]
    assert turned(Evasion(), pos, heading)[0, 1] > 0.05
    assert turned(Evasion(side_view=0.2), pos, heading)[0, 1] < -0.05


def test_a_walker_falls_in_behind_the_one_ahead_walking_the_same_way():
    out = turned(Evasion(follow=2.0), [[0.0, 2.0], [1.5, 2.2]], [EAST, EAST])
    assert out[0, 1] > 0.05                               # drifts up towards the leader's line
    assert np.allclose(out[1], EAST)                      # nobody ahead of the leader


def test_someone_coming_the_other_way_in_the_path_is_kept_at_the_oncoming_gap():
    law = Steering(oncoming_gap=0.2)
    pos = np.array([[0.0, 0.0], [1.0, 0.0]])
    radius = np.full(2, 0.2)
    target = look_ahead(law, pos, radius, np.array([EAST, WEST]), np.full(2, 1.34), np.array([0]), np.array([1]), None)
    assert target[0, 0] == pytest.approx(1.34)            # 1 m off: free / 0.2 s is more than v0
    slow = look_ahead(law, np.array([[0.0, 0.0], [0.4, 0.0]]), radius, np.array([EAST, WEST]), np.full(2, 1.34),
                      np.array([0]), np.array([1]), None)
    assert slow[0, 0] == pytest.approx((0.4 - law.depth * 0.4) / 0.2)
    default = look_ahead(Steering(), pos, radius, np.array([EAST, WEST]), np.full(2, 1.34), np.array([0]),
                         np.array([1]), None)
    assert default[0, 0] == pytest.approx(1.34)           # off: left to the forces, as before


def test_a_one_destination_room_never_looks_for_oncoming_people(monkeypatch):
    scenario = corridor(20.0, 4.0, [("E", (0, 0, 20, 4), 30)], True)
    model = scenario.build(overrides={"walking": "headway", "evade_reach": 4.0})
    calls = []
    monkeypatch.setattr("stations.crowd.model.aside_and_along", lambda *a, **k: calls.append(1))
    model.advance(0.5)
    assert calls == []
    monkeypatch.undo()
    two_way = corridor(20.0, 4.0, [("E", (0, 0, 20, 4), 15), ("W", (0, 0, 20, 4), 15)], True).build(
        overrides={"walking": "headway", "evade_reach": 4.0})
    two_way.advance(0.5)
    assert np.isfinite(two_way.pos).all() and two_way.count == 30


def test_the_random_force_is_felt_only_by_people_standing_when_fidget_below_is_set():
    scenario = corridor(20.0, 4.0, [("E", (0, 0, 20, 4), 20)], True)
    model: CrowdModel = scenario.build(overrides={"noise": 100.0, "fidget_below": 0.3})
    model.vel[:10] = [1.0, 0.0]          # walking
    model.vel[10:] = 0.0                 # standing
    force = model._fluctuation()
    assert np.allclose(force[:10], 0.0)
    assert np.abs(force[10:]).max() > 1.0

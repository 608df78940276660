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
    monkeypatch.setattr("stations.crowd.model.evade", lambda *a, **k: calls.append(1))
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


def test_the_stream_candidate_drifts_towards_the_side_where_the_crowd_ahead_walks_ones_way():
    from tests.crowd.candidates import Stream, stream_pull
    # a walker going east at y = 2; ahead, people walking east at y = 2.75 (left), west at y = 1.25 (right)
    ahead = np.arange(1.5, 5.0, 0.5)
    pos = np.vstack([[[0.0, 2.0]], np.c_[ahead, np.full(len(ahead), 2.75)], np.c_[ahead, np.full(len(ahead), 1.25)]])
    heading = np.vstack([[EAST], np.tile(EAST, (len(ahead), 1)), np.tile(WEST, (len(ahead), 1))])
    pull = stream_pull(Stream(), pos, heading * 1.3, heading, (-5.0, 0.0, 15.0, 4.0), None)
    assert pull[0] > 0.3                                   # to the left, where the stream walks east
    # the mirror image pulls to the mirror side; nobody ahead: no pull
    box = (-5.0, 0.0, 15.0, 4.0)
    mirrored = pos * [1, -1] + [0, 4.0]
    assert stream_pull(Stream(), mirrored, heading * 1.3, heading, box, None)[0] == pytest.approx(-pull[0])
    alone = stream_pull(Stream(), pos[:1], heading[:1] * 1.3, heading[:1], box, None)
    assert alone[0] == 0.0


@pytest.mark.parametrize("variant, density", [("stream", 1.0), ("stream-wide", 1.5)])
def test_the_stream_candidates_get_facing_blocks_through_in_lanes(variant, density):
    from tests.crowd.corridors import two_way_blocks
    result = two_way_blocks(2.5, density, seed=0, variant=variant)
    assert result["arrived"] >= 0.95 and result["order"] >= 0.8


def test_people_take_on_the_sideways_drift_of_those_straight_ahead_and_the_opposite_of_oncoming_ones():
    from tests.crowd.candidates import Stream, drift_ahead
    box = (-5.0, 0.0, 15.0, 4.0)
    pos = np.array([[0.0, 2.0], [2.5, 2.0]])
    heading = np.array([EAST, EAST])
    # the one ahead walks east, drifting north (to the walker's left) at 0.3 m/s
    same = drift_ahead(Stream(), pos, np.array([[1.3, 0.0], [1.3, 0.3]]), heading, box, None)
    assert same[0] == pytest.approx(0.3)
    # someone ahead coming west and drifting south (their right, the walker's right): the walker goes left
    facing = np.array([EAST, WEST])
    other = drift_ahead(Stream(), pos, np.array([[1.3, 0.0], [-1.3, -0.3]]), facing, box, None)
    assert other[0] == pytest.approx(0.3)

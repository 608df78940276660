"""Joining one's stream (stations/crowd/streams.py): the drifts read on the coarse grid, and facing
blocks sorting into lanes with them."""
from __future__ import annotations

import numpy as np
import pytest

from stations.crowd.streams import CoarseGrid, Streams, drift_ahead, sideways_shares, stream_pull, towards_own_group

EAST, WEST, NORTH = [1.0, 0.0], [-1.0, 0.0], [0.0, 1.0]
BOX = (-5.0, 0.0, 15.0, 4.0)


def grid(box=BOX, period_x=None):
    return CoarseGrid(Streams().cell, box, period_x)


def test_people_drift_towards_the_side_where_the_crowd_ahead_walks_their_way():
    # a walker going east at y = 2; ahead, people walking east at y = 2.75 (left), west at y = 1.25 (right)
    ahead = np.arange(1.5, 5.0, 0.5)
    pos = np.vstack([[[0.0, 2.0]], np.c_[ahead, np.full(len(ahead), 2.75)], np.c_[ahead, np.full(len(ahead), 1.25)]])
    heading = np.vstack([[EAST], np.tile(EAST, (len(ahead), 1)), np.tile(WEST, (len(ahead), 1))])
    pull = stream_pull(Streams(), grid(), pos, heading * 1.3, heading)
    assert pull[0] > 0.3                                   # to the left, where the stream walks east
    # the mirror image pulls to the mirror side; nobody ahead: no pull
    mirrored = pos * [1, -1] + [0, 4.0]
    assert stream_pull(Streams(), grid(), mirrored, heading * 1.3, heading)[0] == pytest.approx(-pull[0])
    assert stream_pull(Streams(), grid(), pos[:1], heading[:1] * 1.3, heading[:1])[0] == 0.0


def test_looking_over_the_whole_side_a_front_in_a_gap_moves_where_the_oncoming_crowd_is_thinner():
    # a walker going east at y = 2 has walked into a gap of the oncoming block: west-walkers ahead at
    # y = 2.6 (one file, to the left) and at y = 1.4 and 0.6 (two files, to the right)
    ahead = np.arange(1.5, 5.0, 0.5)
    files = [np.c_[ahead, np.full(len(ahead), y)] for y in (2.6, 1.4, 0.6)]
    pos = np.vstack([[[0.0, 2.0]], *files])
    heading = np.vstack([[EAST], np.tile(WEST, (3 * len(ahead), 1))])
    near = stream_pull(Streams(offsets=(0.75,)), grid(), pos, heading * 1.3, heading)[0]
    whole = stream_pull(Streams(offsets=(0.5, 1.0, 1.5)), grid(), pos, heading * 1.3, heading)[0]
    assert abs(near) < 0.05                   # one file each side at 0.75 m: it keeps to the middle
    assert whole > 0.3                        # the whole side: to the left, where one file comes


def test_the_sides_looked_at_are_distances_or_a_clear_error():
    from stations.crowd.streams import side_offsets
    from stations.crowd.walking import WAYS
    assert side_offsets(1) == (1.0,) and side_offsets([0.5, "1.5"]) == (0.5, 1.5)
    assert WAYS["anticipating"]["stream_offsets"] == (0.5, 1.0, 1.5)
    for wrong in ("loin", [], [0.0], None):
        with pytest.raises(ValueError, match="stream_offsets"):
            side_offsets(wrong)


def test_people_take_on_the_sideways_drift_of_those_straight_ahead_and_the_opposite_of_oncoming_ones():
    pos = np.array([[0.0, 2.0], [2.5, 2.0]])
    # the one ahead walks east, drifting north (to the walker's left) at 0.3 m/s
    same = drift_ahead(Streams(), grid(), pos, np.array([[1.3, 0.0], [1.3, 0.3]]), np.array([EAST, EAST]))
    assert same[0] == pytest.approx(0.3)
    # someone ahead coming west and drifting south (their right, the walker's right): the walker goes left
    other = drift_ahead(Streams(), grid(), pos, np.array([[1.3, 0.0], [-1.3, -0.3]]), np.array([EAST, WEST]))
    assert other[0] == pytest.approx(0.3)


def own_group_scene(angle_deg=0.0, shift=(0.0, 0.0)):
    """A walker at (0, 2) going east; 3-8 m ahead its own group at y = 3.2 (1.2 m to its left), the
    other group at y = 0.8; everything turned by angle_deg about the origin and shifted."""
    ahead = np.arange(3.0, 8.5, 0.5)
    pos = np.vstack([[[0.0, 2.0]], np.c_[ahead, np.full(len(ahead), 3.2)], np.c_[ahead, np.full(len(ahead), 0.8)]])
    heading = np.vstack([[EAST], np.tile(EAST, (len(ahead), 1)), np.tile(WEST, (len(ahead), 1))])
    group = np.r_[0, np.zeros(len(ahead), int), np.ones(len(ahead), int)]
    c, s = np.cos(np.radians(angle_deg)), np.sin(np.radians(angle_deg))
    turn = np.array([[c, -s], [s, c]])
    return pos @ turn.T + shift, heading @ turn.T, group


def test_people_see_where_their_own_group_walks_ahead_and_how_dense_it_is():
    pos, heading, group = own_group_scene()
    lateral, density = towards_own_group(Streams(), grid((-10.0, -10.0, 20.0, 10.0)), pos, heading, group)
    assert lateral[0] == pytest.approx(1.2, abs=1e-9)      # the other group, to the right, does not count
    assert 0.1 < density[0] < 1.0                           # 11 people over the 9 x 7 m looked at
    # the same scene at any angle: the same offset (the grid's axes do not matter)
    for angle in (30.0, 90.0, 135.0):
        pos, heading, group = own_group_scene(angle)
        turned, _ = towards_own_group(Streams(), grid((-10.0, -10.0, 20.0, 10.0)), pos, heading, group)
        assert turned[0] == pytest.approx(1.2, abs=1e-9)
    # nobody of one's group ahead: no offset
    alone, _ = towards_own_group(Streams(), grid(), pos[:1], heading[:1], group[:1])
    assert alone[0] == 0.0


def test_a_periodic_room_sees_its_own_group_across_the_seam():
    # the walker just before the seam at x = 15; its group just after it (x = 16-21, wrapped to -4..1)
    pos, heading, group = own_group_scene(shift=(13.0, 0.0))
    box = (-5.0, 0.0, 15.0, 4.0)
    pos[:, 0] = box[0] + np.mod(pos[:, 0] - box[0], 20.0)
    lateral, _ = towards_own_group(Streams(), CoarseGrid(1.0, box, 20.0), pos, heading, group)
    assert lateral[0] == pytest.approx(1.2, abs=1e-9)


def test_the_drift_towards_ones_group_is_full_only_where_the_group_is_dense():
    pos, heading, group = own_group_scene()
    law = Streams(join=2.0, dense=2.0)
    v0 = np.full(len(pos), 1.2)
    box = (-10.0, -10.0, 20.0, 10.0)
    stream, join = sideways_shares(law, box, None, pos, np.zeros_like(pos), heading, v0, group)
    sparse = join[0]
    _, density = towards_own_group(law, grid(box), pos, heading, group)
    assert sparse == pytest.approx(2.0 * density[0] / 2.0 * 1.2 / 1.2)
    # everything off: nothing
    assert not Streams().active
    assert np.all(np.r_[sideways_shares(Streams(), box, None, pos, np.zeros_like(pos), heading, v0, group)] == 0.0)


def test_the_habits_need_stepping_aside_and_are_the_default_ways():
    from stations.crowd.model import CrowdModel
    from tests.crowd.corridors import corridor
    room = corridor(10.0, 2.5, [("E", (0, 0, 2, 2.5), 2), ("W", (8, 0, 10, 2.5), 2)], False)
    assert room.build().streams.active
    assert not room.build(overrides={"walking": "helbing2000"}).streams.active
    with pytest.raises(ValueError, match="evade_reach"):
        room.build(overrides={"walking": "helbing2000", "stream_join": 2.0}, model_class=CrowdModel)
    with pytest.raises(ValueError, match="evade_reach"):
        room.build(overrides={"evade_reach": 0.0}, model_class=CrowdModel)


@pytest.mark.parametrize("variant, width, density", [
    ("stream", 2.5, 1.0), ("stream-join", 4.0, 2.0),
    pytest.param("anticipating", 2.5, 2.0, marks=pytest.mark.slow),      # the default, where it is hardest
    pytest.param("anticipating", 4.0, 0.5, marks=pytest.mark.slow)])
def test_facing_blocks_get_through_each_other_in_lanes(variant, width, density):
    from tests.crowd.corridors import two_way_blocks
    result = two_way_blocks(width, density, seed=0, variant=variant)
    assert result["arrived"] >= 0.95 and result["order"] >= 0.8


@pytest.mark.slow
def test_the_default_sorts_the_seed_whose_front_walked_into_a_gap():
    """Seed 5 of the narrow dense corridor: the east front walks into a gap of the west block. Looking
    at 0.75 m to either side only, it kept to the middle between two west files (three lanes, then
    a jam along a diagonal: order 0.70); looking over the whole side, it moves to the thinner one."""
    from tests.crowd.corridors import two_way_blocks
    result = two_way_blocks(2.5, 2.0, seed=5, variant="anticipating")
    assert result["arrived"] >= 0.95 and result["order"] >= 0.8


def test_dense_blocks_in_the_narrow_corridor_form_lanes_over_three_seeds():
    from tests.crowd.corridors import two_way_blocks
    results = [two_way_blocks(2.5, 2.0, seed=seed, variant="stream-join") for seed in range(3)]
    assert all(r["arrived"] >= 0.95 for r in results)
    assert np.median([r["order"] for r in results]) >= 0.8

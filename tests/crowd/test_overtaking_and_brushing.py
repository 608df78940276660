"""Two habits of the `anticipating` way: passing a slower walker where there is room
(overtaking.py), and brushing the walls of a door or a narrow passage while keeping one's distance
from a corridor's walls (forces.passage_widths, brush_A / brush_B)."""
from __future__ import annotations

import numpy as np
import pytest

from stations.crowd.forces import ForceLaw, passage_widths, wall_forces
from stations.crowd.geometry import Exit, Geometry
from stations.crowd.model import CrowdModel
from stations.crowd.neighbours import cell_list_pairs, near_segment_pairs
from stations.crowd.overtaking import Overtaking, overtake


def corridor(width: float = 4.0, length: float = 40.0) -> Geometry:
    return Geometry(walls=[[(0, 0), (length, 0)], [(0, width), (length, width)]],
                    exits=[Exit("east", (length, 0), (length, width))])


def quick_behind_slow(overtake_reach: float) -> CrowdModel:
    """A quick walker (1.6 m/s) 1.2 m behind a slow one (0.7 m/s) on the middle line of a corridor."""
    model = CrowdModel(corridor(), walking="anticipating", overtake_reach=overtake_reach, noise=0.0, seed=1)
    model.add_agents(np.array([[5.0, 2.0]]), v0=np.array([0.7]))
    model.add_agents(np.array([[3.8, 2.0]]), v0=np.array([1.6]))
    model.advance(12.0)
    return model


def test_a_quick_walker_passes_a_slow_one_where_there_is_room():
    slow, quick = quick_behind_slow(1.5).pos
    assert quick[0] > slow[0] + 3.0                    # well past them
    assert abs(quick[1] - 2.0) > 0.2 or quick[0] > slow[0] + 5.0


def test_without_overtaking_the_quick_walker_stays_behind():
    slow, quick = quick_behind_slow(0.0).pos
    assert quick[0] < slow[0]


def _looks(pos: np.ndarray, v0: np.ndarray, law: Overtaking) -> np.ndarray:
    heading = np.tile([1.0, 0.0], (len(pos), 1))
    vel = heading * np.minimum(v0, 0.6)[:, None]
    i, j = cell_list_pairs(pos, law.reach, None)
    seg = np.array([[0.0, 0.0, 40.0, 0.0], [0.0, 4.0, 40.0, 4.0]])
    wa, ws = near_segment_pairs(pos, seg, 1.5)
    return overtake(law, pos, vel, np.full(len(pos), 0.2), heading, v0, np.arange(len(pos)), i, j, None,
                    (wa, ws, seg))


def test_someone_steps_aside_only_to_a_free_side():
    law = Overtaking()
    # the slow one a little to the left: the quick one goes right
    turned = _looks(np.array([[5.0, 2.05], [4.0, 2.0]]), np.array([0.6, 1.5]), law)
    assert turned[1, 1] < -0.1 and turned[0, 1] == 0.0
    # someone walking beside on the right: the quick one goes left instead
    turned = _looks(np.array([[5.0, 2.05], [4.0, 2.0], [4.2, 1.55]]), np.array([0.6, 1.5, 0.6]), law)
    assert turned[1, 1] > 0.1
    # a wall on the right and someone on the left: nowhere to go
    turned = _looks(np.array([[5.0, 0.45], [4.0, 0.4], [4.2, 0.85]]), np.array([0.6, 1.5, 0.6]), law)
    assert turned[1, 1] == 0.0


def test_nobody_passes_in_a_crowd():
    # the quick walker at the head of a crowd (people 0.5 m apart behind them), the lines beside free
    xs, ys = np.meshgrid([2.6, 3.1, 3.6], np.arange(0.4, 3.7, 0.5))
    crowd = np.column_stack([xs.ravel(), ys.ravel()])
    assert (np.hypot(crowd[:, 0] - 4.0, crowd[:, 1] - 2.0) < 1.5).sum() > np.pi * 1.5 ** 2
    pos = np.vstack([[[5.0, 2.05], [4.0, 2.0]], crowd])
    v0 = np.concatenate([[0.6, 1.5], np.full(len(crowd), 0.6)])
    assert _looks(pos, v0, Overtaking(crowded=1.0))[1, 1] == 0.0
    assert _looks(pos, v0, Overtaking(crowded=10.0))[1, 1] != 0.0      # the crowd rule is what holds them


# A waiting room's wall at y = 0 with a door 0.8 m wide between x = 3.6 and 4.4, a bottleneck 4 m long.
DOOR = np.array([[3.6, 4.0, 3.6, 0.0], [3.6, 0.0, 0.0, 0.0], [4.4, 0.0, 8.0, 0.0], [4.4, 0.0, 4.4, 4.0]])


def widths(points) -> np.ndarray:
    pos = np.asarray(points, float)
    a, s = near_segment_pairs(pos, DOOR, 1.5)
    return passage_widths(pos, DOOR, a, s)


def test_the_passage_width_is_the_door_inside_it_and_just_before_it():
    inside, mouth, waiting, far = widths([[4.0, 2.0], [4.0, -0.3], [1.5, -0.4], [4.0, -3.0]])
    assert inside == pytest.approx(0.8)
    assert mouth == pytest.approx(2 * np.hypot(0.4, 0.3))     # the two jambs' corners
    assert np.isinf(waiting) and np.isinf(far)                  # along the room's wall, and in the room


def test_a_corridors_walls_are_no_narrow_passage():
    seg = np.array([[0.0, 0.0, 40.0, 0.0], [0.0, 2.5, 40.0, 2.5]])
    pos = np.array([[10.0, 1.25], [10.0, 0.3]])
    a, s = near_segment_pairs(pos, seg, 1.5)
    middle, beside = passage_widths(pos, seg, a, s)
    assert middle == pytest.approx(2.5) and np.isinf(beside)   # the far wall is beyond 1.5 m from the side


def test_in_a_narrow_passage_the_walls_are_brushed():
    law = ForceLaw(A=1000.0, B=0.08, wall_A=1000.0, wall_B=0.08, brush_A=250.0, brush_B=0.02)
    pos = np.array([[3.6 + 0.225, 2.0]])                         # 2.5 cm from the jamb, radius 0.2
    a, s = near_segment_pairs(pos, DOOR, 1.5)
    kept, _ = wall_forces(law, pos, np.zeros((1, 2)), np.array([0.2]), DOOR, a, s, np.array([0.0]))
    brushed, _ = wall_forces(law, pos, np.zeros((1, 2)), np.array([0.2]), DOOR, a, s, np.array([1.0]))
    assert kept[0, 0] > 500.0 and 0 < brushed[0, 0] < 0.2 * kept[0, 0]


def test_the_model_brushes_in_the_bottleneck_and_not_in_the_waiting_room():
    from stations.crowd.scenario import load_scenario

    model = load_scenario("bottleneck", {"width": 0.8}).build(seed=0, overrides={"walking": "anticipating"})
    model.advance(15.0)
    inside = (model.pos[:, 1] > 0.3) & (model.pos[:, 1] < 3.7)
    # in the room, away from its walls (its corners are brushed too: two walls meet there)
    room = (model.pos[:, 1] < -1.5) & (model.pos[:, 1] > -6.5) & (model.pos[:, 0] > 1.5) & (model.pos[:, 0] < 6.5)
    assert inside.any() and room.any() and np.all(model._brushing[inside] == 1.0)
    assert np.all(model._brushing[room] == 0.0)


def test_a_pillar_frames_no_passage():
    """People keep clear of a column they walk round (brushing it undid the pillar's help at a
    panicking crowd's door: README, Validation): only walls and closed exits frame passages."""
    from stations.crowd.geometry import CIRCLE_SIDES, Pillar

    geo = Geometry(walls=[[(0, 0), (10, 0)], [(0, 1.0), (10, 1.0)]], pillars=[Pillar((5.0, 0.5), 0.1)],
                   exits=[Exit("east", (10, 0), (10, 1.0)), Exit("west", (0, 0), (0, 1.0), is_open=False)])
    frames = geo.frames()
    assert len(frames) == len(geo.segments()) == 2 + CIRCLE_SIDES + 1
    assert frames[:2].all() and not frames[2:2 + CIRCLE_SIDES].any() and frames[-1]
    model = CrowdModel(geo, walking="anticipating", seed=0)
    model.add_agents(np.array([[5.0, 0.82], [2.0, 0.5]]))
    model.step()
    assert model._brushing[1] == 1.0                 # in the 1 m corridor
    assert model._brushing[0] == 1.0                 # beside the pillar: the corridor's walls still
    geo.walls[1] = [(0, 3.0), (10, 3.0)]             # a wide room: only the pillar is near
    geo.changed()
    model.geometry_changed()
    model.step()
    assert np.all(model._brushing == 0.0)


def test_who_sees_someone_coming_passes_nobody():
    from stations.crowd.evasion import Evasion, evade_and_see

    law = Evasion(reach=4.0)
    # 0 walks east and sees 2 coming west 3 m ahead; 1, 2 m to the side of 0, sees nobody ahead in view
    pos = np.array([[0.0, 2.0], [0.0, 0.2], [3.0, 2.0], [6.0, 3.9]])
    heading = np.array([[1.0, 0.0], [1.0, 0.0], [-1.0, 0.0], [-1.0, 0.0]])
    i, j = cell_list_pairs(pos, law.reach, None)
    _, sees = evade_and_see(law, pos, np.zeros_like(pos), np.full(4, 0.2), heading, np.full(4, 1.3),
                            np.arange(4), i, j, None)
    assert sees.tolist() == [True, False, True, False]

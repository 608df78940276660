"""The opt-in wall repulsion (wall_A, wall_B) and the zipper's share of the contact width
(headway_core), and the candidate built on them, `walk-b` (README, "Candidates")."""
from __future__ import annotations

import numpy as np
import pytest

from stations.crowd.forces import ForceLaw, pair_forces, wall_forces
from stations.crowd.geometry import Exit, Geometry
from stations.crowd.model import CrowdModel
from stations.crowd.scenario import load_scenario
from stations.crowd.steering import Steering, look_ahead

from tests.crowd.candidates import EVASION, WALK_B
from tests.crowd.runs import seyfried

WALL = np.array([[0.0, 0.0, 10.0, 0.0]])        # along the x axis, people above it


def push_from_wall(law: ForceLaw, distance: float, radius: float = 0.2) -> float:
    """The wall force's y component on one standing person whose centre is `distance` above the wall."""
    pos = np.array([[5.0, distance]])
    force, _ = wall_forces(law, pos, np.zeros((1, 2)), np.array([radius]), WALL, np.array([0]), np.array([0]))
    assert force[0, 0] == pytest.approx(0.0)
    return force[0, 1]


def test_walls_repel_with_the_pair_values_unless_told_otherwise():
    law = ForceLaw(A=1000.0, B=0.08)
    expected = 1000.0 * (np.exp((0.2 - 0.225) / 0.08) - np.exp((0.2 - law.cutoff) / 0.08))
    assert push_from_wall(law, 0.225) == pytest.approx(expected)       # ~730 N 2.5 cm from the wall
    assert push_from_wall(ForceLaw(A=1000.0, B=0.08, wall_A=None, wall_B=None), 0.225) == pytest.approx(expected)


def test_wall_A_and_wall_B_set_the_wall_force_alone():
    law = ForceLaw(A=1000.0, B=0.08, wall_A=250.0, wall_B=0.02)
    expected = 250.0 * (np.exp((0.2 - 0.225) / 0.02) - np.exp((0.2 - law.cutoff) / 0.02))
    assert push_from_wall(law, 0.225) == pytest.approx(expected)       # ~72 N: a wall one brushes
    assert push_from_wall(law, 0.225) < 0.1 * push_from_wall(ForceLaw(A=1000.0, B=0.08), 0.225)
    # touching the wall, the body's compression k acts as before
    touching = push_from_wall(law, 0.15)
    assert touching == pytest.approx(250.0 * (np.exp(0.05 / 0.02) - np.exp((0.2 - law.cutoff) / 0.02)) + law.k * 0.05)
    # between people nothing changes
    pos, radius = np.array([[0.0, 0.0], [0.45, 0.0]]), np.full(2, 0.2)
    pair = [pair_forces(x, pos, np.zeros((2, 2)), radius, np.zeros((2, 2)), np.array([0]), np.array([1]), None)[0]
            for x in (law, ForceLaw(A=1000.0, B=0.08))]
    assert np.allclose(pair[0], pair[1])


def test_the_model_passes_the_wall_force_and_the_core_through_and_keeps_todays_by_default():
    room = Geometry(walls=[[(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]], exits=[Exit("e", (10, 4), (10, 6))])
    default = CrowdModel(room, walking="headway")
    assert default.law.wall_A is None and default.law.wall_B is None and default.steering.core == 0.5
    tuned = CrowdModel(room, walking="headway", wall_A=250.0, wall_B=0.02, headway_core=0.65)
    assert (tuned.law.wall_A, tuned.law.wall_B, tuned.steering.core) == (250.0, 0.02, 0.65)
    assert tuned.law.A == default.law.A and tuned.law.B == default.law.B


def test_the_core_decides_who_is_straight_ahead_and_who_only_partly_in_the_way():
    # someone 1 m ahead, 0.2 m to the side, contact 0.4 m: off the line by half the contact width
    pos, radius = np.array([[0.0, 0.0], [1.0, 0.2]]), np.full(2, 0.2)
    heading, v0 = np.array([[1.0, 0.0], [1.0, 0.0]]), np.full(2, 2.0)

    def speed(core):
        law = Steering(time_gap=1.0, short_gap=0.1, depth=0.5, core=core)
        return look_ahead(law, pos, radius, heading, v0, np.array([0]), np.array([1]), None)[0, 0]

    free = 1.0 - 0.5 * np.sqrt(0.4 ** 2 - 0.2 ** 2)
    assert speed(0.45) == pytest.approx(min(2.0, free / 0.1))      # partly in the way: the short gap
    assert speed(0.65) == pytest.approx(free / 1.0)                # straight ahead: the time gap


def door_spread(overrides: dict) -> tuple[float, float]:
    """Seyfried's 0.8 m bottleneck, seed 0: the specific flow and the spread of people across it."""
    model = load_scenario("bottleneck", {"width": 0.8}).build(seed=0, overrides=overrides)
    across = []
    while model.count > 30 and model.time < 120:
        model.step()
        if model.steps % 12 == 0:
            inside = (model.pos[:, 1] > 0.5) & (model.pos[:, 1] < 3.5)
            across.extend(model.pos[inside, 0] - 4.0)
    return float(np.std(across))


def test_walk_b_walks_a_narrow_door_two_abreast_at_seyfrieds_flow():
    """With the walls of people's faces a 0.8 m door is walked in single file on its centre line;
    with walls one brushes it is walked as a zipper, at Seyfried's specific flow (1.6-2.1)."""
    assert door_spread(EVASION) < 0.05
    assert door_spread(WALK_B) > 0.12
    r = seyfried(0.8, 0, WALK_B)
    assert 1.6 <= r["specific"] <= 2.1 and r["left"] == 0 and r["crossings"] == 0 and r["overlap"] < 0.1

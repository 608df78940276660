"""Unit tests of the crowd model's parts: tiny states with known answers and invariants."""
from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pytest

from stations.crowd.forces import ForceLaw, pair_forces
from stations.crowd.geometry import Exit, Geometry, point_segment_distance, segments_cross
from stations.crowd.model import CrowdModel
from stations.crowd.navigation import build_field
from stations.crowd.neighbours import cell_list_pairs, near_segment_pairs


def square_room(side: float = 10.0, door: float = 1.0) -> Geometry:
    lo, hi = side / 2 - door / 2, side / 2 + door / 2
    return Geometry(walls=[[(side, lo), (side, 0), (0, 0), (0, side), (side, side), (side, hi)]],
                    exits=[Exit("door", (side, lo), (side, hi))])


def brute_pairs(pos, reach, period=None):
    d = pos[:, None, :] - pos[None, :, :]
    if period is not None:
        d[..., 0] -= period * np.round(d[..., 0] / period)
    i, j = np.nonzero(np.triu((d ** 2).sum(-1) < reach ** 2, k=1))
    return set(zip(i.tolist(), j.tolist()))


@pytest.mark.parametrize("period", [None, 12.0])
def test_cell_list_finds_every_pair_exactly_once(period):
    rng = np.random.default_rng(3)
    pos = rng.uniform(0, 12, (400, 2))
    i, j = cell_list_pairs(pos, 1.5, period)
    found = list(zip(np.minimum(i, j).tolist(), np.maximum(i, j).tolist()))
    assert len(found) == len(set(found))
    assert set(found) == brute_pairs(pos, 1.5, period)


def test_near_segment_pairs_match_brute_force():
    rng = np.random.default_rng(4)
    pos = rng.uniform(-1, 11, (300, 2))
    seg = square_room().segments()
    a, s = near_segment_pairs(pos, seg, 1.0)
    got = set(zip(a.tolist(), s.tolist()))
    want = {(p, q) for p, q in zip(*np.nonzero(point_segment_distance(pos, seg) < 1.0))}
    assert got == {(int(p), int(q)) for p, q in want}


def test_segments_cross():
    seg = np.array([[0.0, 0.0, 0.0, 2.0]] * 2)
    p0 = np.array([[-0.1, 1.0], [-0.1, 3.0]])
    p1 = np.array([[0.1, 1.0], [0.1, 3.0]])
    assert segments_cross(p0, p1, seg).tolist() == [True, False]


def test_pair_forces_obey_newtons_third_law():
    rng = np.random.default_rng(5)
    pos = rng.uniform(0, 4, (60, 2))
    vel = rng.normal(0, 1, (60, 2))
    radius = rng.uniform(0.2, 0.3, 60)
    i, j = cell_list_pairs(pos, 1.5)
    force, overlap = pair_forces(ForceLaw(), pos, vel, radius, np.zeros((60, 2)), i, j, None)
    assert np.allclose(force.sum(axis=0), 0.0, atol=1e-6 * np.abs(force).max())
    assert overlap > 0


def test_two_agents_repel_with_helbing_strength():
    pos = np.array([[0.0, 0.0], [0.8, 0.0]])
    radius = np.array([0.3, 0.3])
    law = ForceLaw()
    force, _ = pair_forces(law, pos, np.zeros((2, 2)), radius, np.zeros((2, 2)),
                           np.array([0]), np.array([1]), None)
    expected = law.A * (np.exp((0.6 - 0.8) / law.B) - np.exp((0.6 - law.cutoff) / law.B))
    assert force[0, 0] == pytest.approx(-expected) and force[1, 0] == pytest.approx(expected)


def test_side_preference_makes_oncoming_walkers_step_to_their_right():
    pos = np.array([[0.0, 0.0], [0.9, 0.0]])
    heading = np.array([[1.0, 0.0], [-1.0, 0.0]])   # face to face
    radius = np.array([0.25, 0.25])
    i, j = np.array([0]), np.array([1])
    plain, _ = pair_forces(ForceLaw(), pos, np.zeros((2, 2)), radius, heading, i, j, None)
    biased, _ = pair_forces(ForceLaw(side_preference=200.0), pos, np.zeros((2, 2)), radius, heading, i, j, None)
    side = biased - plain
    assert side[0, 1] < -1.0 and side[1, 1] > 1.0       # east walker goes south, west walker north
    assert np.allclose(side[:, 0], 0.0)
    same_way = np.array([[1.0, 0.0], [1.0, 0.0]])       # someone ahead walking the same way: no sidestep
    follow, _ = pair_forces(ForceLaw(side_preference=200.0), pos, np.zeros((2, 2)), radius, same_way, i, j, None)
    ref, _ = pair_forces(ForceLaw(), pos, np.zeros((2, 2)), radius, same_way, i, j, None)
    assert np.allclose(follow, ref)


def test_navigation_distance_is_geodesic_within_three_percent():
    field = build_field(square_room(20, 1), [["door"]])
    xs = np.array([2.0, 10.0, 15.0])
    ys = np.array([2.0, 18.0, 10.0])
    _, dist, _ = field.lookup(np.zeros(3, int), xs, ys)
    exact = point_segment_distance(np.c_[xs, ys], np.array([[20, 9.5, 20, 10.5]]))[:, 0]
    assert np.all(np.abs(dist - exact) / exact < 0.03)


def test_navigation_goes_round_a_wall():
    geo = square_room(10, 1)
    geo.visitor_walls.append([(7.0, 2.0), (7.0, 8.0)])
    field = build_field(geo, [["door"]])
    heading, dist, _ = field.lookup(np.zeros(1, int), np.array([5.0]), np.array([5.0]))
    assert dist[0] > 5.0 + 1.0                   # the straight 5 m are blocked
    assert abs(heading[0, 1]) > 0.5              # it walks up or down first, not into the wall


def make_model(**kw) -> CrowdModel:
    model = CrowdModel(square_room(), seed=7, **kw)
    rng = np.random.default_rng(1)
    xs, ys = np.meshgrid(np.arange(0.8, 9.5, 0.8), np.arange(0.8, 9.5, 0.8))
    pts = np.c_[xs.ravel(), ys.ravel()]
    model.add_agents(pts[rng.choice(len(pts), 80, replace=False)])
    return model


def test_reset_restores_the_initial_state():
    a = make_model()
    a.advance(2.0)
    a.reset()
    assert a.count == 0 and a.time == 0.0 and a.passages == [] and a.max_overlap == 0.0


def test_same_seed_same_run():
    a, b = make_model(), make_model()
    a.advance(2.0)
    b.advance(2.0)
    assert np.array_equal(a.pos, b.pos)


def test_speed_never_exceeds_its_cap_and_nobody_crosses_a_wall_in_panic():
    model = make_model(desired_speed=5.0)
    for _ in range(600):
        model.step()
        assert np.all(model.speeds() <= model.speed_cap * model.desired_speeds() + 1e-9)
    assert model.wall_crossings == 0
    seg = model.geometry.segments()
    gap = point_segment_distance(model.pos, seg).min(axis=1)
    assert np.all(gap >= model.wall_clearance * model.radius - 1e-9)


def test_a_pillar_placed_on_people_pushes_them_out():
    model = make_model()
    centre = tuple(model.pos[0])
    model.geometry.add_pillar(centre, 0.5)
    model.step()
    d = np.hypot(model.pos[:, 0] - centre[0], model.pos[:, 1] - centre[1])
    assert np.all(d > 0.5)


def test_removing_agents_keeps_the_neighbour_list_right():
    model = make_model()
    model.advance(0.5)
    model.remove(np.arange(model.count) % 3 == 0)
    i, j = model.verlet.i, model.verlet.j
    kept = set(zip(np.minimum(i, j).tolist(), np.maximum(i, j).tolist()))
    assert brute_pairs(model.pos, model.verlet.cutoff) <= kept


def test_closing_the_only_door_stops_the_evacuation_and_reopening_resumes():
    model = make_model()
    model.geometry.set_exit_open("door", False)
    model.advance(20.0)
    assert model.count == 80 and model.wall_crossings == 0
    model.geometry.set_exit_open("door", True)
    model.advance(60.0)
    assert model.count < 80


def wait_for_field(model, version: int, limit_s: float = 20.0) -> None:
    deadline = time.monotonic() + limit_s   # the worker's pace depends on the machine's load
    while (model.navigation is None or model.navigation.version < version) and time.monotonic() < deadline:
        model.step()
        time.sleep(0.001)


def test_asynchronous_navigation_delivers_the_first_field_then_the_new_one():
    model = CrowdModel(square_room(), async_navigation=True, seed=1)
    assert not model.ready                      # nothing computed on the caller's thread
    model.add_agents(np.array([[5.0, 5.0]]))
    wait_for_field(model, 0)
    assert model.ready
    model.geometry.add_wall((7.0, 2.0), (7.0, 8.0))
    wait_for_field(model, model.geometry.version)
    assert model.navigation.version == model.geometry.version
    model.close()


def test_a_room_waiting_for_its_first_field_stands_still():
    from concurrent.futures import Future

    model = CrowdModel(square_room(), async_navigation=True, seed=1)
    model.add_agents(np.array([[5.0, 5.0], [3.0, 3.0]]))
    model.navigator.close()
    model.navigator._pending = late = Future()  # a field that takes its time
    start = model.pos.copy()
    for _ in range(120):
        model.step()
    assert model.time == 0.0 and model.steps == 0 and np.array_equal(model.pos, start)
    late.set_result(build_field(model.geometry, model.destinations, pad=0.0))
    model.advance(1.0)
    assert model.time > 0.9 and float(model.pos[:, 0].mean()) > float(start[:, 0].mean())


def test_the_model_never_imports_pygame():
    code = ("import sys, stations.crowd.model, stations.crowd.cli, stations.crowd.scenario; "
            "sys.exit(1 if 'pygame' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_bodies_never_overlap_more_than_the_limit_after_a_step():
    model = CrowdModel(square_room(), seed=2, noise=0.0, max_body_overlap=0.06)
    model.add_agents(np.array([[5.0, 5.0], [5.3, 5.0]]))
    model.radius[:] = 0.3                       # 0.3 m overlap at the start
    model.step()
    gap = np.hypot(*(model.pos[0] - model.pos[1]))
    assert 0.6 - gap <= model.max_body_overlap + 1e-9


def sub_step_lengths(speed: float) -> list[float]:
    model = CrowdModel(square_room(), seed=0, noise=0.0, max_substeps=4, substep_speed=2.0)
    model.add_agents(np.array([[5.0, 5.0]]))
    model.vel[:] = [[speed, 0.0]]
    lengths = []
    integrate = model._integrate
    model._integrate = lambda dt: (lengths.append(dt), integrate(dt))
    model.step()
    return lengths


def test_steps_are_split_only_while_someone_runs_fast():
    assert sub_step_lengths(1.3) == [pytest.approx(1 / 120)]
    assert sub_step_lengths(5.0) == [pytest.approx(1 / 360)] * 3    # ceil(5 / 2) parts
    assert sub_step_lengths(9.0) == [pytest.approx(1 / 480)] * 4    # at most max_substeps

def test_nobody_sinks_deeper_into_a_wall_than_the_limit():
    model = CrowdModel(square_room(), seed=0, noise=0.0, wall_overlap_limit=0.09)
    model.add_agents(np.array([[0.3, 5.0]]))
    model.radius[:] = 0.35
    model.vel[:] = [[-8.0, 0.0]]                 # thrown against the wall at x = 0
    model.step()
    assert model.pos[0, 0] >= 0.35 - 0.09 - 1e-9


def test_a_killed_navigation_worker_is_replaced(monkeypatch):
    import os
    import signal

    from stations.crowd import fieldbuilder as navigation

    monkeypatch.setattr(navigation, "_POOL", None)      # a pool and fields of this test's own
    monkeypatch.setattr(navigation, "_FAILURES", 0)
    monkeypatch.setattr(navigation, "_CACHE", type(navigation._CACHE)())
    model = CrowdModel(square_room(), async_navigation=True, seed=1)
    wait_for_field(model, 0)
    assert model.ready
    for pid in list(navigation._POOL._processes):       # the worker this test started
        os.kill(pid, signal.SIGKILL)
    model.geometry.add_wall((7.0, 2.0), (7.0, 8.0))
    wait_for_field(model, model.geometry.version)
    assert model.navigation.version == model.geometry.version
    assert navigation._FAILURES == 1 and isinstance(navigation._POOL, navigation.ProcessPoolExecutor)
    model.close()
    navigation._POOL.shutdown(wait=True)


def test_a_room_built_before_gets_its_field_without_a_new_build(monkeypatch):
    from stations.crowd import fieldbuilder as navigation

    monkeypatch.setattr(navigation, "_CACHE", type(navigation._CACHE)())
    first = CrowdModel(square_room(door=1.2), async_navigation=True, seed=1)
    wait_for_field(first, 0)
    submitted = []
    monkeypatch.setattr(navigation, "_submit", lambda *a, **k: submitted.append(a) or navigation.Future())
    again = CrowdModel(square_room(door=1.2), async_navigation=True, seed=2)
    again.step()
    assert again.ready and submitted == []
    again.geometry.changed()                      # same content, a newer version number
    again.step()
    again.step()
    assert again.navigation.version == again.geometry.version == 1 and submitted == []
    again.geometry.add_wall((7.0, 2.0), (7.0, 8.0))
    again.step()                                  # new content: a new build
    assert len(submitted) == 1
    first.close()
    again.close()

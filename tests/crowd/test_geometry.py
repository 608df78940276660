"""The one closest-point-on-segment: pairs, matrices and single points agree with a dense sampling."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stations.crowd.geometry import closest_on_segments, point_segment_distance, segment_distance

coords = st.floats(-50, 50, allow_nan=False)


def _sampled(p, seg, n=20001):
    """The nearest of n points spread along the segment: the answer within (length / n)."""
    t = np.linspace(0.0, 1.0, n)
    xs, ys = seg[0] + t * (seg[2] - seg[0]), seg[1] + t * (seg[3] - seg[1])
    return float(np.hypot(xs - p[0], ys - p[1]).min())


@settings(max_examples=200, deadline=None)
@given(st.tuples(coords, coords), st.tuples(coords, coords, coords, coords))
def test_distance_is_the_nearest_point_of_the_segment(p, seg):
    length = np.hypot(seg[2] - seg[0], seg[3] - seg[1])
    expected = _sampled(p, seg)
    # closest_on_segments floors the squared length at 1e-12 m²: a segment under a micrometre is as good
    # as a point, within its length (hypothesis found a 6e-8 m one)
    assert abs(segment_distance(p, seg[:2], seg[2:]) - expected) <= length / 20000 + min(length, 1e-6) + 1e-9
    matrix = point_segment_distance(np.array([p]), np.array([seg]))
    assert matrix.shape == (1, 1) and abs(matrix[0, 0] - segment_distance(p, seg[:2], seg[2:])) < 1e-9


def test_pairs_matrix_and_single_point_are_the_same_function():
    rng = np.random.default_rng(4)
    points, seg = rng.uniform(-5, 5, (7, 2)), rng.uniform(-5, 5, (3, 4))
    matrix = point_segment_distance(points, seg)
    assert matrix.shape == (7, 3)
    for i, p in enumerate(points):
        for j, s in enumerate(seg):
            cx, cy = closest_on_segments(p[0], p[1], s)   # one point, one segment
            assert abs(np.hypot(p[0] - cx, p[1] - cy) - matrix[i, j]) < 1e-12
    # One row per (point, segment) pair, as the wall forces use it.
    cx, cy = closest_on_segments(points[:3, 0], points[:3, 1], seg)
    assert np.allclose(np.hypot(points[:3, 0] - cx, points[:3, 1] - cy), matrix[np.arange(3), np.arange(3)])


def test_ends_and_a_zero_length_segment():
    assert segment_distance((-3.0, 4.0), (0.0, 0.0), (10.0, 0.0)) == 5.0     # beyond an end: that end
    assert segment_distance((4.0, 2.0), (0.0, 0.0), (10.0, 0.0)) == 2.0      # beside it: the perpendicular
    assert segment_distance((3.0, 4.0), (0.0, 0.0), (0.0, 0.0)) == 5.0       # a point-segment: its point

"""Colour scales a colour-blind visitor can still read (neighbouring classes ΔE00 >= 10, the ends >= 30,
under typical vision, deuteranopia, protanopia and tritanopia), and a second channel beside each colour."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from stations.crowd.view import FLOOR, HEAT, RING, SPEED_COLOURS, CrowdView, heat_class, heat_legend, speed_class
from stations.traffic.view import SPEED_CLASS_COLOURS, STOP_MARK, speed_colors
from tests.access.colour import worst_distances

SCALES = {
    "crowd speeds": SPEED_COLOURS,
    "crowd densities over the floor": heat_legend(),
    "traffic speeds": list(SPEED_CLASS_COLOURS),
}


@pytest.mark.parametrize("name", SCALES)
def test_scales_stay_apart_for_colour_blind_visitors(name):
    neighbours, ends = worst_distances(SCALES[name])
    assert neighbours >= 10 and ends >= 30, f"{name}: neighbours {neighbours:.1f}, ends {ends:.1f}"


def test_the_lowest_density_class_stands_out_from_the_floor():
    neighbours, _ends = worst_distances([FLOOR, heat_legend()[0]])
    assert neighbours >= 10


def test_one_meaning_per_colour_across_the_crowd_and_the_road():
    # the speed classes are the same colours on people and on cars; stopped is the first of them
    assert list(SPEED_CLASS_COLOURS) == SPEED_COLOURS
    v = np.array([0.0, 20.0, 40.0, 70.0, 110.0])
    assert [tuple(c) for c in speed_colors(v, 110.0)] == [SPEED_COLOURS[k] for k in (0, 1, 2, 3, 4)]
    # no density colour is also a speed colour (the map and the people's speeds never show the same colour)
    assert not {tuple(int(x) for x in c) for c in HEAT} & set(SPEED_COLOURS)


def test_speed_and_density_classes():
    assert speed_class(np.array([0.0, 0.19, 0.3, 0.7, 1.0, 2.0])).tolist() == [0, 0, 1, 2, 3, 4]
    assert heat_class(np.array([0.2, 0.9, 2.4, 5.0, 7.0])).tolist() == [-1, 0, 1, 4, 4]


def _pixels(surface: pygame.Surface) -> set[tuple[int, int, int]]:
    key = surface.get_colorkey()
    arr = pygame.surfarray.array3d(surface).reshape(-1, 3)
    return {tuple(int(x) for x in p) for p in arr} - ({tuple(key[:3])} if key else set())


def test_a_person_s_speed_is_told_by_more_than_colour():
    view = CrowdView.__new__(CrowdView)
    view._sprites = {}
    stopped = view._sprite(10, SPEED_COLOURS[0], 0, 0)
    slow, fast = view._sprite(10, SPEED_COLOURS[1], 1, 0), view._sprite(10, SPEED_COLOURS[4], 4, 0)
    assert RING in _pixels(stopped) and RING not in _pixels(slow)          # a stopped person wears a white ring
    tick = (12, 16, 26)
    # a moving person carries a tick towards where they walk, longer when faster
    length = [int((pygame.surfarray.array3d(s) == tick).all(axis=2).sum()) for s in (slow, fast)]
    assert 0 < length[0] < length[1]


def test_a_stopped_car_carries_a_white_mark(tmp_path):
    from stations.traffic.view import draw_stop_mark
    surface = pygame.Surface((40, 40))
    surface.fill(SPEED_CLASS_COLOURS[0])
    draw_stop_mark(surface, (20, 20), 10)
    assert STOP_MARK in _pixels(surface)

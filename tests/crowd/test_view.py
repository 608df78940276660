"""What a visitor sees: pillars that no one takes for a walker, place names over the crowd, a
density map that says what its colours mean."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from stations.crowd.editing import PILLAR_RADIUS
from stations.crowd.geometry import Exit, Geometry
from stations.crowd.model import CrowdModel
from stations.crowd.view import GROUP_COLOURS, SPEED_COLOURS, CrowdView, heat_colour, heat_legend, local_density


def room_view(agents=()):
    geo = Geometry(walls=[[(10, 4), (10, 0), (0, 0), (0, 10), (10, 10), (10, 6)]], exits=[Exit("door", (10, 4), (10, 6))])
    model = CrowdModel(geo, seed=0)
    if len(agents):
        model.add_agents(np.asarray(agents, float))
    view = CrowdView(pygame.Rect(0, 0, 800, 800))
    view.fit(model)
    return model, view


def test_a_pillar_is_grey_and_wider_than_anyone():
    model, view = room_view()
    model.geometry.add_pillar((5.0, 5.0), PILLAR_RADIUS)
    surface = pygame.Surface((800, 800))
    view.draw(surface, model, "speed")
    cx, cy = view.transform.point((5.0, 5.0))
    r, g, b = surface.get_at((cx + 3, cy + 3))[:3]            # the shaft, off its light top
    assert max(r, g, b) - min(r, g, b) < 25 and 100 < (r + g + b) / 3 < 200   # mid grey: no walker's colour
    assert (r, g, b) not in SPEED_COLOURS + GROUP_COLOURS
    assert PILLAR_RADIUS > model.radius_range[1] and PILLAR_RADIUS > 0.35   # wider than any body, Helbing's too


def test_place_names_are_drawn_over_the_people_standing_on_them():
    model, view = room_view([(3.0, 3.0)])
    model.radius[:] = 0.3
    label = pygame.Surface((60, 20))                          # stands for a rendered name
    label.fill((255, 255, 255))
    plain, named = pygame.Surface((800, 800)), pygame.Surface((800, 800))
    view.draw(plain, model, "speed")
    view.labels = [(label, (3.0, 3.0))]
    view.draw(named, model, "speed")
    cx, cy = view.transform.point((3.0, 3.0))
    r = int(0.25 * view.transform.scale)
    disc = [(cx + dx, cy + dy) for dx in range(-r, r + 1) for dy in range(-r, r + 1) if dx * dx + dy * dy < r * r]
    assert any(plain.get_at(p) != named.get_at(p) for p in disc)   # the name shows on top of the person


def test_density_counts_people_around_each_cell_not_in_it():
    alone = local_density(np.array([[1.25, 1.25]]), (0, 5), (0, 5), 10, 10, 0.5)
    assert alone.max() == pytest.approx(1 / 2.25)             # one person: 0.44 /m², not 4 in their 0.5 m cell
    rng = np.random.default_rng(0)
    crowd = rng.uniform(0, 10, (200, 2))                      # 2 persons/m² on average
    inner = local_density(crowd, (0, 10), (0, 10), 20, 20, 0.5)[2:-2, 2:-2]
    assert 1.5 < inner.mean() < 2.5
    _, alpha = heat_colour(np.array([0.0, 0.4, 1.0, 5.0]))
    assert alpha[0] == alpha[1] == 0 and 0 < alpha[2] < alpha[3]   # a lone walker leaves the floor clear


def test_the_legend_shows_the_five_classes_as_they_look_on_the_floor():
    colours = heat_legend()
    from stations.crowd.view import FLOOR
    rgb, alpha = heat_colour(np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert len(set(colours)) == 5 and FLOOR not in colours and (alpha > 0).all()

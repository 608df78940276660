"""The traffic's attract-loop miniature: Sugiyama's ring already carries its jam when shown."""
from __future__ import annotations

import numpy as np
import pygame

from stations.traffic.preview import CARS, TrafficPreview
from stations.traffic.view import STOPPED_COLOR, STOPPED_KMH


def test_the_ring_shows_a_jam_and_free_cars_at_once():
    preview = TrafficPreview(seed=4)
    stopped_seen = free_seen = False
    for _ in range(60 * 10):
        preview.update(1 / 60)
        kmh = preview.model.v * 3.6
        stopped_seen |= bool((kmh < 5).any())
        free_seen |= bool((kmh > 25).any())
    assert preview.model.x.size == CARS and stopped_seen and free_seen
    assert preview.model.collisions == 0
    surface = pygame.Surface((680, 376))
    preview.draw(surface, pygame.Rect(0, 0, 680, 376))
    pixels = pygame.surfarray.array3d(surface).reshape(-1, 3)
    red = (pixels == STOPPED_COLOR).all(axis=1).sum()
    assert (red > 0) == bool((preview.model.v * 3.6 < STOPPED_KMH).any())   # stopped cars are drawn red
    assert len(np.unique(pixels, axis=0)) > 6                               # road, edges, cars of several speeds

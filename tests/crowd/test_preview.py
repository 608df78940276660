"""The crowd's attract-loop miniature: people head for the door, the room empties and starts again."""
from __future__ import annotations

import time

import pygame

from stations.crowd.preview import PAUSE_EMPTY_S, PREVIEW_AGENTS, CrowdPreview


def test_the_room_empties_through_the_door_then_fills_again():
    preview = CrowdPreview(seed=3)
    model = preview.model
    deadline = time.monotonic() + 10
    while model.navigation_pending and time.monotonic() < deadline:   # the field is computed off the frame loop
        time.sleep(0.01)
    assert model.count == PREVIEW_AGENTS
    start_x = float(model.pos[:, 0].mean())
    for _ in range(60 * 20):
        preview.update(1 / 60)
    assert model.count < PREVIEW_AGENTS and float(model.pos[:, 0].mean()) > start_x   # towards the door
    while model.count:
        model.step()
    for _ in range(int(PAUSE_EMPTY_S * 60) + 2):
        preview.update(1 / 60)
    assert preview.model is not model and preview.model.count == PREVIEW_AGENTS
    preview.close()


def test_a_slow_frame_slows_the_preview_not_the_kiosk():
    preview = CrowdPreview(seed=1)
    before = preview.model.steps
    preview.update(2.0)                     # a 2 s hiccup: at most a few steps, not 240
    assert preview.model.steps - before <= 3
    surface = pygame.Surface((680, 376))
    preview.draw(surface, pygame.Rect(0, 0, 680, 376))
    assert len({tuple(surface.get_at((x, 188)))[:3] for x in range(0, 680, 8)}) > 2   # a room, not a blank
    preview.close()

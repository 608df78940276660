"""Touch and mouse to canvas mapping, letterboxing, and no double count of touch + mouse."""
from __future__ import annotations

import pygame
import pytest

from kiosk.input import DOWN, MOUSE_POINTER, UP, InputTranslator, Letterbox


@pytest.mark.parametrize("canvas,window,win_pt,canvas_pt", [
    ((1920, 1080), (1920, 1080), (960, 540), (960, 540)),
    ((1920, 1080), (1280, 720), (640, 360), (960, 540)),
    ((1920, 1080), (1920, 1200), (0, 60), (0, 0)),            # bars top and bottom (16:10 screen)
    ((1920, 1080), (1920, 1200), (1919, 1139), (1919, 1079)),
    ((1080, 1920), (1080, 1920), (540, 960), (540, 960)),     # portrait canvas on a portrait screen
    ((1080, 1920), (1920, 1080), (960, 540), (540, 960)),     # portrait canvas on a landscape screen: side bars
    ((1080, 1920), (1920, 1080), (656.25, 0), (0, 0)),
])
def test_letterbox_maps_window_to_canvas(canvas, window, win_pt, canvas_pt):
    box = Letterbox(canvas, window)
    x, y = box.to_canvas(*win_pt)
    assert x == pytest.approx(canvas_pt[0], abs=1) and y == pytest.approx(canvas_pt[1], abs=1)


def test_points_in_the_bars_clamp_to_the_canvas_edge():
    box = Letterbox((1080, 1920), (1920, 1080))
    assert box.to_canvas(10, 500)[0] == 0


def test_fingers_keep_their_ids_and_map_from_normalised_coordinates():
    tr = InputTranslator(Letterbox((1920, 1080), (1920, 1080)))
    a = tr.translate(pygame.event.Event(pygame.FINGERDOWN, x=0.25, y=0.5, finger_id=3, touch_id=1, dx=0, dy=0, pressure=1))
    b = tr.translate(pygame.event.Event(pygame.FINGERDOWN, x=0.75, y=0.5, finger_id=4, touch_id=1, dx=0, dy=0, pressure=1))
    assert (a.kind, a.pointer, a.pos) == (DOWN, 3, (480.0, 540.0))
    assert (b.pointer, b.pos) == (4, (1440.0, 540.0))


def test_portrait_touch_mapping():
    tr = InputTranslator(Letterbox((1080, 1920), (1080, 1920)))
    ev = tr.translate(pygame.event.Event(pygame.FINGERUP, x=0.5, y=0.25, finger_id=0, touch_id=1, dx=0, dy=0, pressure=0))
    assert ev.kind == UP and ev.pos == (540.0, 480.0)


def test_mouse_events_synthesised_from_touch_are_dropped():
    tr = InputTranslator(Letterbox((1920, 1080), (1920, 1080)))
    finger = tr.translate(pygame.event.Event(pygame.FINGERDOWN, x=0.5, y=0.5, finger_id=0, touch_id=1, dx=0, dy=0, pressure=1))
    echo = tr.translate(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(960, 540), button=1, touch=True))
    mouse = tr.translate(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(960, 540), button=1, touch=False))
    assert finger is not None and echo is None
    assert mouse.pointer == MOUSE_POINTER and mouse.kind == DOWN


def test_hover_and_right_clicks_are_ignored():
    tr = InputTranslator(Letterbox((1920, 1080), (1920, 1080)))
    assert tr.translate(pygame.event.Event(pygame.MOUSEMOTION, pos=(1, 1), rel=(1, 1), buttons=(0, 0, 0), touch=False)) is None
    assert tr.translate(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(1, 1), button=3, touch=False)) is None

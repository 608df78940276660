"""Every registered station loads, and survives: enter, 120 frames with synthetic touches, reset, exit
(GUIDE.md §7). Runs in landscape and portrait."""
from __future__ import annotations

import dataclasses

import numpy as np
import pygame
import pytest

from kiosk.input import DOWN, MOVE, UP, InputEvent
from kiosk.registry import discover
from kiosk.testing import close_context, default_config, make_context

CLASSES, LOAD_ERRORS = discover()


def test_every_declared_station_loads():
    assert LOAD_ERRORS == {}
    for sid, cls in CLASSES.items():
        assert cls.id == sid
        assert cls.title and cls.teaser and cls.icon


def test_default_config_is_valid():
    from kiosk.config import load_config

    cfg = load_config(None)
    assert set(cfg.stations) <= set(CLASSES)


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
@pytest.mark.parametrize("sid", sorted(CLASSES))
def test_station_smoke(sid, orientation, tmp_path):
    cls = CLASSES[sid]
    kiosk = dataclasses.replace(default_config(), data_dir=tmp_path, orientation=orientation)
    ctx = make_context(sid, tmp_path=tmp_path, kiosk=kiosk, station_cls=cls)
    surface = pygame.Surface(ctx.canvas_size)
    rng = np.random.default_rng(1)
    station = cls(ctx)
    try:
        station.reset()
        station.enter()
        w, h = ctx.canvas_size
        for frame in range(120):
            if frame % 10 == 0:  # a frantic child: taps and drags everywhere, two fingers at once
                for finger in (0, 1):
                    x, y = rng.uniform(0, w), rng.uniform(0, h)
                    station.handle_event(InputEvent(DOWN, (x, y), finger))
                    station.handle_event(InputEvent(MOVE, (min(w - 1, x + 40), y), finger))
                    station.handle_event(InputEvent(UP, (min(w - 1, x + 40), y), finger))
            station.update(1 / 60)
            station.draw(surface)
        station.reset()
        station.update(1 / 60)
        station.draw(surface)
        station.exit()
    finally:
        close_context(ctx)

"""Fixtures for the participatory stations: a real StationContext (recorder + reader in tmp_path)."""
from __future__ import annotations

import time

import pygame
import pytest

from kiosk.input import InputEvent
from kiosk.testing import close_context, make_context


@pytest.fixture
def make_ctx(tmp_path):
    made = []

    def factory(station_id: str, station_cls=None, config=None, **kwargs):
        ctx = make_context(station_id, config, tmp_path=tmp_path, station_cls=station_cls, **kwargs)
        made.append(ctx)
        return ctx

    yield factory
    for ctx in made:
        close_context(ctx)


class Driver:
    """Drives a station (or a mediator page) frame by frame with synthetic touches."""

    def __init__(self, station, zones_of=lambda s: s.view.zones):
        self.station = station
        self.zones_of = zones_of
        self.surface = pygame.Surface(station.ctx.canvas_size)

    def frame(self, dt: float = 1 / 60) -> None:
        self.station.update(dt)
        self.station.draw(self.surface)

    def settle(self, until=lambda: True, timeout: float = 5.0) -> None:
        """Frames until `until()` holds (queries run on the reader thread)."""
        deadline = time.monotonic() + timeout
        while True:
            self.frame()
            if until() or time.monotonic() > deadline:
                return
            time.sleep(0.01)

    def rect(self, key: str):
        self.frame()
        return self.zones_of(self.station).rect(key)

    def tap(self, key: str) -> None:
        rect = self.rect(key)
        assert rect is not None, f"{key!r} not on screen; have {self.zones_of(self.station).keys}"
        self.tap_at(rect.center)

    def tap_at(self, pos) -> None:
        self.station.handle_event(InputEvent("down", pos))
        self.station.handle_event(InputEvent("up", pos))
        self.frame()


def events_of(ctx, kind: str | None = None) -> list:
    import json

    assert ctx.recorder.flush()
    rows = ctx.reader.query(lambda c: c.execute(
        "SELECT uuid, kind, station, payload FROM events ORDER BY seq").fetchall())
    return [(r[0], r[1], r[2], json.loads(r[3])) for r in rows if kind is None or r[1] == kind]


def decode_qr(surface, rect=None) -> list[str]:
    """Decode every QR code in (a part of) a screenshot with zxing-cpp."""
    import zxingcpp

    if rect is not None:
        surface = surface.subsurface(rect.clip(surface.get_rect()))
    pixels = pygame.surfarray.array3d(surface).swapaxes(0, 1).copy()
    return [r.text for r in zxingcpp.read_barcodes(pixels)]

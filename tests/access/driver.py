"""A headless App driven frame by frame, as a visitor with keys (or a finger) would use it."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pygame

from kiosk.access.controls import ON_SCREEN
from kiosk.app import App
from kiosk.config import load_config
from kiosk.input import DOWN, KEY, UP, InputEvent

ROOT = Path(__file__).resolve().parents[2]
VENUES = {"landscape": ROOT / "config/venues/mediatheque-bobigny.toml", "portrait": ROOT / "config/venues/college-evry.toml"}


class Visitor:
    def __init__(self, tmp_path: Path, venue: str | None = None, classes=None, fake_sensors: bool = False,
                 **config_changes):
        config = load_config(VENUES[venue] if venue else None)
        config = dataclasses.replace(config, data_dir=tmp_path / "data", enforce_hours=False, **config_changes)
        self.app = App(config, headless=True, classes=classes, fake_sensors=fake_sensors)
        pygame.init()
        if fake_sensors:          # emulated door counter and air sensors, as `kiosk run --fake-sensors`
            self.app.services.start_sensors(self.app.errors.report)
        self.canvas = pygame.Surface(config.canvas_size)
        self.app.start()
        self.frames(2)

    @property
    def controls(self):
        return ON_SCREEN.published

    @property
    def screen(self) -> str:
        return self.app.nav.screen_name

    def frames(self, n: int = 1) -> None:
        for _ in range(n):
            self.app.virtual.t += 1 / 60
            self.app.tick(1 / 60)
            self.app.draw(self.canvas)

    def seconds(self, s: float) -> None:
        self.frames(round(s * 60))

    def key(self, name: str, frames: int = 2) -> None:
        self.app.dispatch(InputEvent(KEY, key=name))
        self.frames(frames)

    def tap(self, pos, frames: int = 3) -> None:
        self.app.dispatch(InputEvent(DOWN, pos, 0))
        self.app.dispatch(InputEvent(UP, pos, 0))
        self.frames(frames)

    def focused(self):
        return self.app.access.focus.focused

    def close(self) -> None:
        self.app.shutdown(record_stop=False)

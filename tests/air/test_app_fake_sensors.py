"""The whole kiosk, headless, booted into the air station with the emulated sensors (issue 6 "done when")."""
from __future__ import annotations

import dataclasses
import sqlite3

import pygame
import pytest


@pytest.mark.slow
def test_kiosk_headless_with_fake_sensors_shows_live_values(tmp_path):
    from kiosk.app import App
    from kiosk.config import load_config

    cfg = load_config(None, check_content=False, strict_stations=False)
    if "air" not in cfg.stations:
        pytest.skip("air station not enabled in the default config")
    cfg = dataclasses.replace(cfg, data_dir=tmp_path)
    app = App(cfg, headless=True, start_station="air", fake_sensors=True)
    shot = tmp_path / "air.png"
    assert app.run(frames=240, screenshot=shot) in (0, None)
    image = pygame.image.load(str(shot))
    assert image.get_size() == cfg.canvas_size
    conn = sqlite3.connect(tmp_path / "events.sqlite3")
    kinds = {k for (k,) in conn.execute("SELECT DISTINCT kind FROM events")}
    states = {s for (s,) in conn.execute(
        "SELECT json_extract(payload, '$.state') FROM events WHERE kind = 'sensor.status'")}
    conn.close()
    assert "sensor.status" in kinds and "connected" in states

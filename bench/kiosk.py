"""Runtime benchmark: frame time of the attract loop and the home menu at 1920x1080 over 600 frames,
events written per second by the store, resident memory of the running kiosk."""
from __future__ import annotations

import contextlib
import dataclasses
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pygame

from bench.common import median, percentile, rss_mb


def frame_times(app, canvas, frames: int = 600) -> list[float]:
    """One frame as the loop does it: update, draw on the canvas, present (dummy display)."""
    window = pygame.display.get_surface()
    out = []
    for _ in range(frames):
        t0 = time.perf_counter()
        app.virtual.t += 1 / 60
        pygame.event.pump()
        app.tick(1 / 60)
        app.draw(canvas)
        window.blit(canvas, (0, 0))
        pygame.display.flip()
        out.append(time.perf_counter() - t0)
    return out


@contextlib.contextmanager
def headless_app() -> Iterator[tuple[object, pygame.Surface]]:
    """An App on the embedded default config and a fresh data directory, stepped by hand."""
    from kiosk.app import App
    from kiosk.testing import default_config

    with tempfile.TemporaryDirectory() as tmp:
        config = dataclasses.replace(default_config(), data_dir=Path(tmp))
        pygame.init()
        pygame.display.set_mode(config.canvas_size)
        app = App(config, headless=True, reproducible=False)   # what a live kiosk does: workers, budgets
        app.start()
        yield app, pygame.Surface(config.canvas_size)


def main() -> None:
    with headless_app() as (app, canvas):
        print(f"stations loaded: {', '.join(app.stations.menu()) or '(none)'}")
        print("screen      frames  median_ms  p99_ms")
        app.nav.go_to_attract()
        ft = frame_times(app, canvas)
        print(f"attract     {len(ft):6d}  {median(ft)*1e3:9.2f}  {percentile(ft, 99)*1e3:6.2f}")
        app.nav.start_visit()
        ft = frame_times(app, canvas)
        print(f"home        {len(ft):6d}  {median(ft)*1e3:9.2f}  {percentile(ft, 99)*1e3:6.2f}")
        print(f"resident memory of the running kiosk: {rss_mb():.0f} MB")

        n = 50_000
        rates = []
        for _ in range(3):
            before = app.recorder.written
            t0 = time.perf_counter()
            for i in range(n):
                app.recorder.record("traffic.tap", {"scenario": "bench", "i": i}, station="traffic")
            app.recorder.flush(timeout=120)
            rates.append((app.recorder.written - before) / (time.perf_counter() - t0))
        print(f"store: events written per second (median of 3 x {n}): {median(rates):,.0f}")
        app.shutdown()

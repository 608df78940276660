"""One kiosk under the display benchmark (bench/display.py): `python -m bench._display_run SCREEN MODE`.

A real `App.run()` in a real X window, full screen, on the embedded default config; it goes to SCREEN
(attract, home, closed, a station id — the wall and the attract loop with the demo's approved
contributions —, or crowd-2000: the crowd station in a room of 2,000 people;
closed-off: the closed screen once the screen is switched off, with a stand-in for xset since Xvfb has
no DPMS),
prints "ready" once warmed up, runs until SIGTERM and prints the frames it drew and presented since.
MODE "before" is the runtime as it was: every frame drawn at 60 fps (`--full-redraw`) through SDL's default
presentation (an OpenGL texture on X11); "after" is the kiosk as it is."""
from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.crowd import station_in_room
from kiosk.app import App
from kiosk.display_power import PowerControl
from kiosk.navigation import SCREEN_OFF_AFTER_S
from kiosk.testing import default_config
from stations.wall.demo import seed as seed_wall

WARMUP_S = 3.0


class BenchApp(App):
    def __init__(self, *args, screen: str, **kw):
        super().__init__(*args, **kw)
        self.bench_screen = screen
        self.ready_at = 0.0
        self.said_ready = False
        self.frames_drawn = 0
        self.loops = 0
        self.last_rate = 0.0

    def start(self) -> None:
        super().start()
        screen = self.bench_screen
        if screen == "home":
            self.nav.start_visit()
        elif screen == "crowd-2000":
            self.nav.open_station("crowd")
            station_in_room(self.stations.get("crowd"), 2000)
        elif screen in self.stations:
            self.nav.open_station(screen)
        self.ready_at = time.monotonic() + WARMUP_S

    def tick(self, dt: float) -> None:
        self.loops += 1
        super().tick(dt)
        if self.bench_screen == "closed-off" and not self.said_ready:
            self.nav.idle.last_input = self.clock() - SCREEN_OFF_AFTER_S   # past the closed notice
        if not self.said_ready and time.monotonic() >= self.ready_at:
            self.said_ready = True
            self.ready_at, self.frames_drawn, self.loops = time.monotonic(), 0, 0   # count from here
            print("ready", flush=True)

    def draw(self, canvas) -> None:
        self.frames_drawn += 1
        self.last_rate = self.frame_rate()
        super().draw(canvas)


def main(screen: str, mode: str) -> int:
    config = default_config()
    closed = screen.startswith("closed")
    config = dataclasses.replace(config, data_dir=Path(tempfile.mkdtemp(prefix="bench-display-")),
                                 idle_timeout_s=3600.0, enforce_hours=closed, fullscreen=True)
    now = None
    if closed:
        night = datetime(2026, 3, 1, 23, 0, tzinfo=config.tz)     # a Sunday night: closed
        now = lambda: night  # noqa: E731
    if screen in ("wall", "attract"):
        seed_wall(config.data_dir)      # the demo's approved contributions: the wall's mosaic drifts
    app = BenchApp(config, screen=screen, full_redraw=mode == "before", reproducible=False, now=now)
    if screen == "closed-off":
        app.power_control = PowerControl("stand-in", off=["true"], on=[["true"]])
    code = app.run()
    took = time.monotonic() - app.ready_at
    pace = 60.0 if mode == "before" else app.last_rate
    print(f"drawn {app.frames_drawn} loops {app.loops} seconds {took:.2f} pace {pace:.1f}", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))

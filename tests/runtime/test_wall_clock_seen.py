"""A wall clock the kiosk distrusts is said: in the kiosk.health report (the hub's health page reads it) and
on the mediator menu, a framed line with a warning sign, what the clock reads, the probable time and what to
do, in the mediator's language; nothing while the clock is trusted."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path

import pygame

from eventlog.kinds import validate_payload
from kiosk.app import App
from kiosk.config import load_config
from kiosk.screens.clock_warning import clock_warning
from kiosk.store.wall_clock import ClockWatch
from kiosk.ui import THEME
from tests.runtime.test_health import Fake, monitor
from tests.runtime.test_language import hold_corner, type_pin

NOON = datetime(2026, 12, 8, 12, 0, tzinfo=timezone.utc).timestamp()


class LyingClock:
    """A wall clock the test sets and a monotonic clock that follows it until the test makes it lie."""

    def __init__(self) -> None:
        self.wall, self.mono = NOON, 100.0

    def watch(self) -> ClockWatch:
        return ClockWatch(None, run_id="r", wall=lambda: self.wall, mono=lambda: self.mono, synchronised=lambda: False)

    def jump_to_1970(self) -> None:
        self.mono += 60
        self.wall = 600.0


def test_the_health_report_says_whether_the_clock_is_believed(config):
    fake, recorded, clock = Fake(), [], LyingClock()
    watch = clock.watch()
    m = monitor(config, fake, recorded, interval_s=0, wall_clock=watch.state)
    m.poll()
    assert m.poll()["clock"] == {"state": "ok"}
    clock.jump_to_1970()
    payload = m.poll()
    assert payload["clock"] == {"state": "jump", "reads": "1970-01-01T00:10:00.000Z",
                                "estimated": "2026-12-08T12:01:00.000Z", "correction_s": round(NOON + 60 - 600),
                                "since": "2026-12-08T12:01:00.000Z"}
    assert validate_payload("kiosk.health", payload) is None


def mediator_menu(tmp_path: Path, clock: LyingClock, name: str = "mediator.png") -> tuple[App, Path]:
    """The default kiosk (its real stations) headless, the mediator menu open after the PIN, a screenshot."""
    config = dataclasses.replace(load_config(None), data_dir=tmp_path / "data", languages=("fr", "en"))
    app = App(config, headless=True)
    app.recorder.clock = clock.watch()
    app.headless_fps_cap = 0
    shot = tmp_path / name
    app.run(frames=60 * 8, script=hold_corner(1.0) + type_pin(5.0), screenshot=shot)
    return app, shot


def warn_pixels(shot: Path) -> int:
    """Pixels of the warning colour in the band at the bottom of the screen."""
    image = pygame.image.load(str(shot))
    band = image.subsurface(pygame.Rect(0, image.get_height() - 250, image.get_width(), 250))
    return sum(1 for x in range(0, band.get_width(), 4) for y in range(0, band.get_height(), 2)
               if tuple(band.get_at((x, y)))[:3] == THEME.warn)


def test_the_mediator_menu_says_the_clock_is_wrong_and_what_to_do(tmp_path):
    clock = LyingClock()
    app, trusted_shot = mediator_menu(tmp_path, clock, name="trusted.png")
    assert app.nav.screen_name == "mediator"
    assert warn_pixels(trusted_shot) == 0

    clock = LyingClock()
    clock.jump_to_1970()      # before the run: the watch starts there, so 1970 is "behind" from the start
    app, shot = mediator_menu(tmp_path, clock, name="clock-wrong.png")
    assert app.nav.screen_name == "mediator"
    assert warn_pixels(shot) > 200                # the frame and the sign
    lines = clock_warning(app.ctx, app.recorder.clock.state())
    assert lines[0].startswith("L’horloge de la borne semble fausse\u202f: elle indique le 1er janvier 1970")
    assert "nous sommes au moins le" in lines[0] and "INSTALL.md" in lines[1]
    assert app.nav.screen.describe() == "Espace médiation. " + " ".join(lines)      # heard, not only seen


def test_the_line_is_in_english_for_an_english_mediator(tmp_path):
    clock = LyingClock()
    app, _shot = mediator_menu(tmp_path, clock)
    clock.jump_to_1970()
    app.ctx.i18n.set_language("en")
    lines = clock_warning(app.ctx, app.recorder.clock.state())
    assert lines[0].startswith("The kiosk’s clock seems wrong: it reads 1 January 1970")
    assert "more likely 8 December 2026" in lines[0] and "Troubleshooting" in lines[1]

"""The App driven headless: sessions, inactivity, crash isolation, mediator corner."""
from __future__ import annotations

import dataclasses
import json

from eventlog.sqlite import connect
from eventlog.wire import db_path
from kiosk.app import App
from kiosk.headless import ScriptedInput
from tests.runtime.fakes import CLASSES


def tap(t: float, x: float, y: float) -> list[ScriptedInput]:
    f = round(t * 60)
    return [ScriptedInput(f, "down", [x, y]), ScriptedInput(f + 2, "up", [x, y])]


def events(config) -> list[tuple[str, str | None, dict, str | None]]:
    conn = connect(db_path(config.data_dir))
    rows = conn.execute("SELECT kind, station, payload, session_id FROM events ORDER BY seq").fetchall()
    conn.close()
    return [(r[0], r[1], json.loads(r[2]), r[3]) for r in rows]


def run_app(config, seconds: float, script: list[ScriptedInput], **kw) -> App:
    app = App(config, headless=True, classes=CLASSES, **kw)
    app.headless_fps_cap = 0
    app.run(frames=round(seconds * 60), script=script)
    return app


def first_tile_center(config) -> tuple[int, int]:
    from kiosk.screens.home import tile_rects
    return tile_rects(len(config.stations), config.canvas_size, bottom_reserve=0)[0].center


def test_visit_is_recorded_from_first_touch_to_idle_reset(config):
    x, y = first_tile_center(config)
    script = tap(1.0, 960, 540) + tap(2.0, x, y) + tap(4.0, 900, 500)
    app = run_app(config, 4.0 + 20 + 5 + 3, script)  # timeout 20 s + 5 s countdown, then back to attract
    log = events(config)
    kinds = [k for k, *_ in log]
    assert kinds[0] == "kiosk.start"
    assert kinds.count("session.start") == 1 and kinds.count("session.end") == 1
    end = next(p for k, _, p, _ in log if k == "session.end")
    assert end["reason"] == "timeout"
    # last touch at 4 s: the visit lasted about 3 s (first touch at 1 s), the idle time is not counted
    assert 2.5 <= end["duration_s"] <= 3.5
    assert end["stations"][0]["id"] == "calm" and 1.5 <= end["stations"][0]["seconds"] <= 2.5
    session_ids = {sid for k, _, _, sid in log if k in ("session.start", "station.enter", "traffic.tap", "session.end")}
    assert len(session_ids) == 1 and None not in session_ids
    assert app.nav.screen_name == "attract"


def test_warning_countdown_cancelled_by_a_touch(config):
    x, y = first_tile_center(config)
    # touch during the countdown (20 s..25 s after the last touch at 2 s): the session goes on
    script = tap(1.0, 960, 540) + tap(2.0, x, y) + tap(24.0, 10, 1000)
    app = run_app(config, 30.0, script)
    ends = [p for k, _, p, _ in events(config) if k == "session.end"]
    assert [e["reason"] for e in ends] == ["shutdown"]  # only the end of the test run ended it
    assert app.nav.screen_name == "calm"
    assert app.stations["calm"].touches == 0  # the cancelling touch did nothing else


def test_a_station_that_raises_is_isolated(config):
    from kiosk.screens.home import tile_rects
    rects = tile_rects(2, config.canvas_size, bottom_reserve=0)
    script = tap(1.0, 960, 540) + tap(2.0, *rects[1].center) + tap(4.0, *rects[1].center)
    app = run_app(config, 5.0, script)
    log = events(config)
    errors = [p for k, _, p, _ in log if k == "error"]
    assert errors and "simulated bug" in errors[0]["message"] and errors[0]["where"] == "broken.update"
    assert app.stations.is_disabled("broken")          # paused for 10 minutes
    assert app.nav.screen_name == "home"          # the visitor is back home, the kiosk still runs
    assert sum(1 for k, *_ in log if k == "station.enter") == 1  # tapping the paused tile again does nothing


def test_hold_top_left_corner_opens_pin_pad(config):
    f = 60
    script = [ScriptedInput(f, "down", [20, 20]), ScriptedInput(f + 200, "up", [20, 20])]
    app = run_app(config, 5.0, script)
    assert app.nav.screen_name == "pin"


def test_short_press_in_corner_does_not(config):
    script = [ScriptedInput(60, "down", [20, 20]), ScriptedInput(90, "up", [20, 20])]
    app = run_app(config, 5.0, script)
    assert app.nav.screen_name != "pin"


def test_boot_into_station(config):
    app = run_app(config, 1.0, [], start_station="calm")
    assert app.nav.screen_name == "calm" and app.stations["calm"].frames > 50


def test_closed_outside_opening_hours(config):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    cfg = dataclasses.replace(config, enforce_hours=True)
    monday_night = datetime(2026, 11, 23, 22, 0, tzinfo=ZoneInfo("Europe/Paris"))
    app = run_app(cfg, 1.0, tap(0.5, 960, 540), now=lambda: monday_night)
    assert app.nav.screen_name == "closed"
    assert "Réouverture" in app.ctx.hours.next_opening_text()

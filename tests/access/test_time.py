"""Time to watch: a station running something a visitor watches does not time out; the idle time
counts from the end of the run, the countdown is seen and heard, and the visit's time counts watching."""
from __future__ import annotations

import json

import pytest

from eventlog.sqlite import connect
from eventlog.wire import db_path
from kiosk.station import Station
from tests.access.driver import Visitor


class Show(Station):
    """A station whose run lasts `run_s` seconds after it opens: watched, not touched."""
    id = "show"
    title = "Spectacle"
    teaser = "Une activité qu’on regarde"
    icon = "movie"
    run_s = 60.0

    def reset(self):
        self.t = 0.0

    def update(self, dt):
        self.t += dt

    def busy(self):
        return self.t < self.run_s


def test_no_countdown_while_the_run_goes_on_then_the_usual_idle_from_its_end(tmp_path):
    v = Visitor(tmp_path, classes={"show": Show}, stations=("show",), idle_timeout_s=20.0, idle_warning_s=10.0)
    try:
        v.tap((960, 540))
        v.app.nav.open_station("show")
        v.frames(2)
        v.seconds(58)                       # the timeout (20 s) passed three times over: still running
        assert v.screen == "show" and not v.app.chrome.warning
        v.seconds(2 + 19)                   # the run ended 19 s ago
        assert not v.app.chrome.warning
        v.seconds(2)                        # 21 s after the end: "Encore là ?", heard
        assert v.app.chrome.warning and "warning" in v.app.access.sound.played
        v.seconds(5)
        assert "tick" in v.app.access.sound.played
        v.seconds(6)
        assert v.screen == "attract"
        v.app.recorder.flush()
        conn = connect(db_path(v.app.config.data_dir))
        end = [json.loads(p) for k, p in conn.execute("SELECT kind, payload FROM events") if k == "session.end"][0]
        conn.close()
        # the minute of watching counts as the visit's, not the idle time after it
        assert end["reason"] == "timeout" and end["stations"][0]["seconds"] == pytest.approx(60, abs=1.5)
    finally:
        v.close()


def test_a_key_answers_the_countdown(tmp_path):
    v = Visitor(tmp_path, classes={"show": Show}, stations=("show",), idle_timeout_s=10.0, idle_warning_s=10.0)
    try:
        v.tap((960, 540))
        v.seconds(12)
        assert v.app.chrome.warning
        v.key("a")
        assert not v.app.chrome.warning and v.screen == "home"
    finally:
        v.close()


def test_the_crowd_is_watched_until_everyone_has_left(visitor):
    v = visitor()
    v.tap((960, 540))
    v.app.nav.open_station("crowd")
    v.frames(3)
    crowd = v.app.nav.screen
    assert crowd.model.count > 0 and crowd.busy()
    crowd.attempt.finished_at = crowd.model.time       # everyone out: the idle time starts now
    assert not crowd.busy()
    from stations.crowd.station import RESTART_AFTER_S
    crowd.finished_since = RESTART_AFTER_S               # the empty room starts again by itself...
    v.frames(2)
    assert crowd.model.count > 0 and crowd.attempt.finished_at is None
    assert not crowd.busy()                              # ...unwatched: an unattended kiosk still times out
    v.tap(crowd.restart_button.rect.center)
    assert crowd.busy()                                  # a visitor's own run is watched again
    crowd.load("corridor")                             # a corridor never empties: it is not a run
    v.frames(2)
    assert not crowd.busy()

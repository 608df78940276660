"""Stopping the kiosk: SIGTERM/SIGINT (systemctl stop, a nightly shutdown) and the end of a --frames run
record kiosk.stop and exit 0, so the next start is not counted as a crash; a QUIT event (window close,
Alt+F4 from a visitor) does not stop a kiosk that is not a development window."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pygame
import pytest

from eventlog.wire import db_path
from kiosk.app import App
from kiosk.store.stats_quality import restart_counts
from tests.runtime.fakes import CLASSES
from tests.runtime.test_app import events, run_app

ROOT = Path(__file__).resolve().parents[2]


def _kiosk_events(data_dir: Path) -> list[tuple[str, dict]]:
    if not db_path(data_dir).exists():
        return []
    conn = sqlite3.connect(db_path(data_dir))
    try:
        rows = conn.execute("SELECT kind, payload FROM events WHERE kind IN ('kiosk.start', 'kiosk.stop') "
                            "ORDER BY seq").fetchall()
    except sqlite3.OperationalError:  # the schema is not there yet
        rows = []
    finally:
        conn.close()
    return [(kind, json.loads(payload)) for kind, payload in rows]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_kiosk_cleanly(tmp_path, sig):
    data = tmp_path / "data"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-m", "kiosk", "run", "--headless", "--frames", "10000000",
                              "--data-dir", str(data)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             env=env, text=True)
    try:
        deadline = time.monotonic() + 90
        while not _kiosk_events(data) and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert child.poll() is None, "the kiosk ended before the signal: " + child.stderr.read()
        assert _kiosk_events(data) == [("kiosk.start", _kiosk_events(data)[0][1])], "the kiosk never started"
        child.send_signal(sig)
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err
    assert "Traceback" not in err
    kinds = _kiosk_events(data)
    assert [k for k, _ in kinds] == ["kiosk.start", "kiosk.stop"]
    assert kinds[1][1] == {"reason": sig.name}
    conn = sqlite3.connect(db_path(data))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_end_of_frames_records_stop_and_the_next_start_is_clean(config):
    run_app(config, 0.5, [])
    run_app(config, 0.5, [])
    kinds = [(kind, payload) for kind, _s, payload, _sid in events(config) if kind.startswith("kiosk.")]
    assert [k for k, _ in kinds] == ["kiosk.start", "kiosk.stop", "kiosk.start", "kiosk.stop"]
    assert kinds[1][1] == {"reason": "frames"}
    conn = sqlite3.connect(db_path(config.data_dir))
    assert restart_counts(conn, "0", "9") == (2, 0)
    conn.close()


class QuitPostingApp(App):
    """Posts the QUIT event SDL sends for a window close or Alt+F4, as a visitor could cause it."""

    posted = False

    def tick(self, dt: float) -> None:
        if round(self.clock() * 60) == 10:
            pygame.event.post(pygame.event.Event(pygame.QUIT))
            self.posted = True
        super().tick(dt)


def test_quit_event_from_the_window_does_not_stop_the_kiosk(config):
    app = QuitPostingApp(config, headless=True, classes=CLASSES)
    app.headless_fps_cap = 0
    app.run(frames=60)
    assert app.posted and app.stop_reason == "frames"
    stops = [payload for kind, _s, payload, _sid in events(config) if kind == "kiosk.stop"]
    assert stops == [{"reason": "frames"}]


def test_a_crash_out_of_the_loop_records_no_stop(config):
    class Crashing(App):
        def draw(self, canvas):
            raise MemoryError("simulated")

    app = Crashing(config, headless=True, classes=CLASSES)
    app.headless_fps_cap = 0
    with pytest.raises(MemoryError):
        app.run(frames=30)
    kinds = [kind for kind, *_ in events(config) if kind.startswith("kiosk.")]
    assert kinds == ["kiosk.start"]

"""Supervision by systemd through the notify protocol, against a real unix datagram socket: READY=1 after
the first frame, WATCHDOG=1 from the frame loop at the watchdog's pace (counted on the virtual clock),
none while the loop is blocked, STOPPING=1 on a clean stop; and a kiosk stopped with SIGSTOP restarted
by a supervisor that plays systemd's part."""
from __future__ import annotations

import os
import signal
import sqlite3
import sys
import threading
from pathlib import Path

import pytest

from eventlog.wire import db_path
from kiosk.app import App
from kiosk.store.stats_quality import restart_counts
from kiosk.supervision import Notifier, notify_address
from tests.runtime.fakes import CLASSES, CalmStation
from tests.runtime.notify_supervisor import NotifySocket, WatchdogSupervisor

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def notify(tmp_path):
    sock = NotifySocket(tmp_path / "notify.sock")
    yield sock
    sock.close()


def lines(messages: list[str]) -> list[str]:
    return [line for text in messages for line in text.split("\n")]


def test_pings_keep_the_pace_of_a_quarter_period_on_a_fake_clock(notify):
    now = [0.0]
    notifier = Notifier(str(notify.path), watchdog_s=4.0, clock=lambda: now[0])
    notifier.ready()
    sent_at = []
    received = lines(notify.drain())
    for _ in range(200):                       # 20 s of a loop turning every 0.1 s
        now[0] += 0.1
        before = notifier.pings
        notifier.alive()
        if notifier.pings > before:
            sent_at.append(now[0])
        received += lines(notify.drain())
    assert received[0] == "READY=1"
    assert received.count("WATCHDOG=1") == len(sent_at) == notifier.pings
    gaps = [b - a for a, b in zip([0.0] + sent_at, sent_at)]
    assert max(gaps) <= 4.0 / 2                # "at least every WATCHDOG_USEC/2"
    assert 18 <= len(sent_at) <= 21            # and not much more often: one each second


def test_the_environment_names_the_socket_and_the_watched_process():
    clock = lambda: 0.0  # noqa: E731
    assert notify_address("@qsec") == b"\0qsec"
    own = Notifier.from_environment({"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "30000000"}, clock=clock)
    assert own.watchdog_s == 30.0 and own.ping_interval == 7.5
    # under cage, systemd watches cage (the unit's main process), the kiosk's parent: the kiosk pings
    child = Notifier.from_environment({"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "30000000",
                                       "WATCHDOG_PID": str(os.getppid())}, clock=clock)
    assert child.watchdog_s == 30.0
    other = Notifier.from_environment({"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "30000000",
                                       "WATCHDOG_PID": "1"}, clock=clock)
    assert other.watchdog_s is None and other.enabled
    assert not Notifier.from_environment({}, clock=clock).enabled


def test_a_manager_that_does_not_read_never_stalls_the_loop(notify):
    now = [0.0]
    notifier = Notifier(str(notify.path), watchdog_s=0.4, clock=lambda: now[0])
    notifier.ready()
    for _ in range(100):                       # nobody reads: the socket's queue fills, sends are dropped
        now[0] += 0.1
        notifier.alive()
    queued = lines(notify.drain())
    assert queued[0] == "READY=1" and 0 < queued.count("WATCHDOG=1") == notifier.pings < 100
    now[0] += 0.01                             # read again: the very next turn pings (it was due)
    notifier.alive()
    assert lines(notify.drain()) == ["WATCHDOG=1"]


def test_the_app_says_ready_after_its_first_frame_pings_from_the_loop_and_says_stopping(config, notify):
    class Counting(App):
        frames_drawn = 0

        def draw(self, canvas):
            super().draw(canvas)
            self.frames_drawn += 1

    holder: dict = {}
    notifier = Notifier(str(notify.path), watchdog_s=0.4, clock=lambda: holder["app"].clock())
    app = Counting(config, headless=True, classes=CLASSES, notifier=notifier)
    holder["app"] = app
    app.headless_fps_cap = 0
    collector = notify.collect()
    app.run(frames=120)                          # 2 s on the virtual clock
    received = lines(collector.stop())
    assert received.count("READY=1") == 1
    assert received.index("READY=1") < received.index("STOPPING=1") == len(received) - 2
    assert received[-1] == "STATUS=stopping (frames)"
    # a ping at the first frame 0.1 virtual s (a quarter of 0.4 s) after the last: every 7th frame at 60 fps,
    # 17 in 2 s, plus the one before the stations were built; at least one per half period (10 in 2 s)
    assert received.count("WATCHDOG=1") == notifier.pings + 0
    assert 2.0 / (0.4 / 2) <= notifier.pings <= 2.0 / 0.1 + 2


class BlockingStation(CalmStation):
    """Its update blocks the frame loop (a driver or a deadlock) until the test lets it go."""

    id = "calm"
    block = threading.Event()
    blocked = threading.Event()
    release = threading.Event()

    def update(self, dt):
        super().update(dt)
        if self.block.is_set():
            self.block.clear()
            self.blocked.set()
            self.release.wait(60)


def test_no_ping_while_the_frame_loop_is_blocked(config, notify):
    BlockingStation.block.clear(), BlockingStation.blocked.clear(), BlockingStation.release.clear()
    notifier = Notifier(str(notify.path), watchdog_s=0.2, clock=__import__("time").monotonic)
    app = App(config, headless=True, classes={**CLASSES, "calm": BlockingStation}, start_station="calm",
              notifier=notifier)
    app.headless_fps_cap = 120
    seen: dict = {}

    def watch() -> None:
        try:
            seen["ready"] = notify.wait_for("READY=1", 60)
            seen["before"] = notify.wait_for("WATCHDOG=1", 60)
            BlockingStation.block.set()
            BlockingStation.blocked.wait(60)
            notify.drain()                             # pings sent before the block took hold
            # a ping is due every 0.05 s while the loop turns; none may come in a whole second of block
            seen["during"] = notify.receive(1.0)
            BlockingStation.release.set()
            seen["after"] = notify.wait_for("WATCHDOG=1", 60)
        finally:
            BlockingStation.release.set()
            app.quit("test over")

    watcher = threading.Thread(target=watch)
    watcher.start()
    app.run(frames=10**9)
    watcher.join(60)
    assert seen == {"ready": True, "before": True, "during": None, "after": True}


def test_a_stopped_kiosk_is_restarted_by_the_watchdog_and_the_restart_is_counted(tmp_path, notify):
    data = tmp_path / "data"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "kiosk", "run", "--headless", "--frames", "100000000", "--data-dir", str(data)]
    supervisor = WatchdogSupervisor(command, env, notify, watchdog_s=3.0)
    try:
        first = supervisor.start()
        assert supervisor.run_until(lambda m: "READY=1" in m.split("\n"), 120), supervisor.log
        assert supervisor.run_until(lambda m: "WATCHDOG=1" in m.split("\n"), 30), "no ping after READY"
        os.kill(first.pid, signal.SIGSTOP)         # a hung frame loop, as a driver or a deadlock would hang it
        assert supervisor.run_until(lambda m: supervisor.restarts == 1 and "READY=1" in m.split("\n"), 180), \
            supervisor.log
        assert first.poll() is not None and supervisor.process.pid != first.pid
        supervisor.process.send_signal(signal.SIGTERM)      # systemctl stop
        assert supervisor.run_until(lambda m: "STOPPING=1" in m.split("\n"), 60)
        assert supervisor.process.wait(60) == 0
    finally:
        supervisor.close()
    conn = sqlite3.connect(db_path(data))
    kinds = [k for (k,) in conn.execute("SELECT kind FROM events WHERE kind LIKE 'kiosk.st%' ORDER BY seq")]
    assert kinds == ["kiosk.start", "kiosk.start", "kiosk.stop"]
    assert restart_counts(conn, "0", "9") == (2, 1)     # the watchdog's kill counted as an unclean stop
    conn.close()

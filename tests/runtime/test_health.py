"""The kiosk.health report: what it measures over five minutes of opening time, on a clock the test moves
by hand; recorded from the monitor's own thread; fed by the frame loop with frame times only."""
from __future__ import annotations

import dataclasses
import itertools
import logging
import threading
from collections import namedtuple
from datetime import time as clock_time

from eventlog.kinds import validate_payload
from kiosk.app import App
from kiosk.health import HealthMonitor, percentile, resident_bytes
from tests.runtime.fakes import CLASSES

Usage = namedtuple("Usage", "total used free")
Device = namedtuple("Device", "name kind state")
Snapshot = namedtuple("Snapshot", "devices")


class Fake:
    """The clock, the process's CPU seconds and whether the venue is open, moved by the test."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.cpu = 50.0
        self.open = True

    def advance(self, seconds: float, cpu: float = 0.0) -> None:
        self.t += seconds
        self.cpu += cpu


def monitor(config, fake: Fake, recorded: list, **kw) -> HealthMonitor:
    sensors = Snapshot((Device("porte", "footfall", "connected"), Device("co2", "mhz19", "offline")))
    probes = dict(sensors=lambda: sensors, clock=lambda: fake.t, cpu_seconds=lambda: fake.cpu,
                  resident=lambda: 150 * 2**20, disk=lambda path: Usage(100 * 2**30, 92 * 2**30, 8 * 2**30),
                  backlog=lambda path: (42, 95.0))
    return HealthMonitor(record=lambda kind, payload: recorded.append((kind, payload)), config=config,
                         version="1.2.3", is_open=lambda: fake.open, **(probes | kw))


def test_every_five_minutes_of_opening_a_report_of_the_interval(config):
    fake, recorded = Fake(), []
    m = monitor(config, fake, recorded)
    assert m.poll() is None                      # the interval starts now
    for ms in range(1, 101):                     # 100 frames of 1..100 ms
        m.frames.add(ms / 1000)
    errors = logging.getLogger("kiosk.test_health")
    errors.addHandler(m.errors)
    errors.error("a station raised")
    errors.warning("not an error")
    errors.removeHandler(m.errors)
    fake.advance(299, cpu=20)
    assert m.poll() is None and recorded == []
    fake.advance(1, cpu=10)
    payload = m.poll()
    assert recorded == [("kiosk.health", payload)]
    assert validate_payload("kiosk.health", payload) is None
    assert payload["version"] == "1.2.3" and payload["interval_s"] == 300 and payload["uptime_s"] == 300
    assert payload["frames"] == 100 and payload["frame_ms_p50"] == 50 and payload["frame_ms_p99"] == 99
    assert payload["cpu_share"] == 0.1                       # 30 CPU seconds in 300 s: a tenth of a core
    assert payload["rss_mb"] == 150 and payload["disk_free_share"] == 0.08 and payload["disk_free_mb"] == 8192
    assert payload["upload_backlog"] == 42 and payload["oldest_unsent_age_s"] == 95
    assert payload["sensors"] == {"porte": "connected", "co2": "offline"}
    assert payload["errors"] == 1
    assert payload["timezone"] == config.timezone
    # the next interval starts afresh: no frames, no CPU, no error
    fake.advance(300)
    second = m.poll()
    assert second["frames"] == 0 and second["frame_ms_p50"] is None and second["cpu_share"] == 0
    assert second["errors"] == 0 and second["uptime_s"] == 600
    assert validate_payload("kiosk.health", second) is None


def test_nothing_while_closed_and_the_first_report_five_open_minutes_after_opening(config):
    fake, recorded = Fake(), []
    m = monitor(config, fake, recorded)
    fake.open = False
    for _ in range(30):                           # a closed evening: frames and polls, no report
        m.frames.add(0.5)
        fake.advance(60, cpu=1)
        assert m.poll() is None
    fake.open = True
    assert m.poll() is None                       # opening: the interval starts
    m.frames.add(0.004)
    fake.advance(300, cpu=3)
    payload = m.poll()
    assert [kind for kind, _ in recorded] == ["kiosk.health"]
    assert payload["frames"] == 1 and payload["frame_ms_p99"] == 4 and payload["cpu_share"] == 0.01


def test_hours_travel_in_the_report_so_the_hub_knows_when_silence_matters(config):
    fake, recorded = Fake(), []
    hours = {day: None for day in config.hours} | {"tuesday": (clock_time(10), clock_time(18, 30))}
    enforced = dataclasses.replace(config, enforce_hours=True, hours=hours)
    m = monitor(enforced, fake, recorded, interval_s=0)
    m.poll()
    payload = m.poll()
    assert payload["hours"]["tuesday"] == "10:00-18:30" and payload["hours"]["monday"] == "closed"
    assert validate_payload("kiosk.health", payload) is None
    m = monitor(dataclasses.replace(config, enforce_hours=False), fake, recorded, interval_s=0)
    m.poll()
    assert m.poll()["hours"] is None             # not following hours: meant to run all the time


def test_the_report_is_made_and_recorded_on_the_monitor_s_thread(config):
    fake, recorded, threads = Fake(), [], []
    done = threading.Event()

    def record(kind, payload):
        threads.append(threading.current_thread())
        recorded.append(payload)
        done.set()

    config.data_dir.mkdir(parents=True)       # as the App makes it
    ticks = itertools.count(0, 150)          # each look at the clock: 150 s later
    m = HealthMonitor(record=record, config=config, version="1", is_open=lambda: True, clock=lambda: next(ticks),
                      interval_s=300, poll_s=0.01).start()
    try:
        assert done.wait(30)
    finally:
        m.close()
    assert threads[0] is not threading.main_thread() and threads[0].name == "health"
    assert validate_payload("kiosk.health", recorded[0]) is None     # real disk, memory and log readings
    assert recorded[0]["disk_free_share"] is not None and recorded[0]["upload_backlog"] is not None
    assert recorded[0]["cpu_share"] is not None and recorded[0]["rss_mb"] > 10


def test_a_failing_probe_is_logged_and_the_monitor_goes_on(config, caplog):
    fake, calls = Fake(), []

    def backlog(path):
        calls.append(path)
        if len(calls) == 1:
            raise RuntimeError("log locked")
        return 0, None

    done = threading.Event()
    fake.t = 0
    ticks = itertools.count(0, 150)
    m = monitor(config, fake, [], interval_s=300, poll_s=0.01, backlog=backlog, clock=lambda: next(ticks))
    m.record = lambda kind, payload: done.set()
    m.start()
    try:
        assert done.wait(30)
    finally:
        m.close()
    assert "the health report could not be made" in caplog.text


def test_the_frame_loop_hands_over_its_drawn_frames_times(config):
    app = App(config, headless=True, classes=CLASSES)
    app.headless_fps_cap = 0
    fake, recorded = Fake(), []
    app.services.health = monitor(config, fake, recorded)     # a headless run starts none itself (virtual clock)
    app.run(frames=120)
    times = app.services.health.frames.take()
    assert 1 <= len(times) <= 120 and all(0 < t < 60 for t in times)
    assert recorded == []                          # recording is the monitor thread's business


def test_percentile_and_resident_memory():
    assert percentile([], 0.5) is None
    assert percentile([3.0], 0.99) == 3.0
    assert percentile(list(range(1, 11)), 0.5) == 5 and percentile(list(range(1, 11)), 0.99) == 10
    assert resident_bytes() > 10 * 2**20


class HeldRecorder:
    """The recorder as a refused disk leaves it: events waiting in memory, and why."""

    def __init__(self, held: int = 0, failure: str | None = None, held_errors: int = 0):
        self.held, self.failure, self.held_errors = held, failure, held_errors


def test_the_report_carries_the_storage_watch_s_verdict(config, tmp_path):
    from kiosk.storage import DiskState, StorageWatch, storage_status

    fake, recorded = Fake(), []
    watch = StorageWatch(tmp_path)
    recorder = HeldRecorder()
    m = monitor(config, fake, recorded, interval_s=0, storage=lambda: storage_status(watch, recorder))
    m.poll()
    watch.state = DiskState(free_bytes=50 * 2**30, total_bytes=100 * 2**30)
    ok = m.poll()
    assert (ok["storage"], ok["events_held"], ok["disk_free_share"], ok["disk_free_mb"]) == ("ok", 0, 0.5, 51200)
    watch.state = DiskState(free_bytes=150 * 2**20, total_bytes=100 * 2**30)       # under the 200 MB reserve
    assert (m.poll()["storage"], m.poll()["disk_free_mb"]) == ("low", 150)
    recorder.held, recorder.failure = 37, "full"
    full = m.poll()
    assert (full["storage"], full["events_held"]) == ("full", 37)
    watch.state = DiskState(free_bytes=50 * 2**30, total_bytes=100 * 2**30, writable=False)
    assert m.poll()["storage"] == "read-only"
    for kind, payload in recorded:
        assert validate_payload(kind, payload) is None
    assert validate_payload("kiosk.health", full | {"storage": "on fire"}) is not None

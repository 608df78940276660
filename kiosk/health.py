"""Health seen from the website: every five minutes while the venue is open, a `kiosk.health` event says
how the kiosk is doing (eventlog/kinds.py lists its fields), and the hub shows operators one line per kiosk.

The frame loop's only part is to hand over each drawn frame's working time (`FrameTimes.add`, a deque
append); everything that reads a file, the disk or the log — resident memory, free space, the upload
backlog — runs on the monitor's own thread, which also records the event.
"""
from __future__ import annotations

import logging
import math
import os
import shutil
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any, Callable, Mapping

from eventlog.wire import db_path
from kiosk.config import WEEKDAYS, KioskConfig
from kiosk.storage import StorageStatus
from kiosk.sync.status import sync_status

log = logging.getLogger(__name__)
HEALTH_INTERVAL_S = 300.0
MAX_FRAMES_HELD = 60 * 600      # ten minutes at 60 frames a second: the hand-over never grows without bound
POLL_S = 15.0                   # the monitor's thread looks at the hours and the clock this often at most


class FrameTimes:
    """Working seconds of each drawn frame, from the frame loop to the monitor: one append per frame,
    no lock (deque appends and pops are atomic)."""

    def __init__(self, maxlen: int = MAX_FRAMES_HELD) -> None:
        self._times: deque[float] = deque(maxlen=maxlen)

    def add(self, seconds: float) -> None:
        self._times.append(seconds)

    def take(self) -> list[float]:
        out = []
        while True:
            try:
                out.append(self._times.popleft())
            except IndexError:
                return out


class ErrorCount(logging.Handler):
    """Errors logged anywhere in the kiosk (a station that raised, an upload that failed to start...)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (share 0.5: the median, 0.99: the 99th); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def resident_bytes() -> int | None:
    """The process's resident memory now (Linux: /proc/self/statm), None where unknown."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def weekly_hours(config: KioskConfig) -> dict[str, str] | None:
    """The opening hours as the hub reads them ("10:00-18:00" or "closed" per weekday); None when the kiosk
    does not follow hours (it is meant to run all the time)."""
    if not config.enforce_hours:
        return None
    return {day: "closed" if config.hours[day] is None else
            f"{config.hours[day][0]:%H:%M}-{config.hours[day][1]:%H:%M}" for day in WEEKDAYS}


def upload_backlog(data_dir: Path) -> tuple[int | None, float | None]:
    """(events not yet acknowledged by the hub, age in seconds of the oldest), read from the log."""
    try:
        status = sync_status(db_path(data_dir))
    except Exception:       # no log yet, or locked for a moment: unknown this time
        return None, None
    return status["backlog_events"], status["oldest_unsent_age_s"]


class HealthMonitor:
    """Records `kiosk.health` every `interval_s` of opening time, from its own thread (or from `poll()`,
    which tests call with a fake clock). Outside opening hours nothing is recorded and the interval
    starts again at opening: the first report of a day covers its first five open minutes."""

    def __init__(self, *, record: Callable[..., Any], config: KioskConfig, version: str,
                 is_open: Callable[[], bool], sensors: Callable[[], Any] = lambda: None,
                 clock: Callable[[], float] = time.monotonic, cpu_seconds: Callable[[], float] = time.process_time,
                 resident: Callable[[], int | None] = resident_bytes,
                 disk: Callable[[Path], Any] = shutil.disk_usage,
                 backlog: Callable[[Path], tuple[int | None, float | None]] = upload_backlog,
                 storage: Callable[[], StorageStatus] | None = None,
                 interval_s: float = HEALTH_INTERVAL_S, poll_s: float = POLL_S,
                 wall_clock: Callable[[], Any] | None = None) -> None:
        """`storage`: the data disk as the StorageWatch and the recorder know it (kiosk.storage.storage_status);
        without it, free space is measured here and the storage state is not reported. `wall_clock` gives the
        wall clock's state (the recorder's ClockWatch.state)."""
        self.record, self.config, self.version, self.is_open = record, config, version, is_open
        self.wall_clock = wall_clock
        self.sensors, self.clock, self.cpu_seconds = sensors, clock, cpu_seconds
        self.resident, self.disk, self.backlog, self.storage = resident, disk, backlog, storage
        self.interval_s, self.poll_s = interval_s, poll_s
        self.frames = FrameTimes()
        self.errors = ErrorCount()
        self.started = clock()
        self._window: tuple[float, float, int] | None = None    # (clock, cpu seconds, errors) at its start
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- one look ------------------------------------------------------------------------------
    def poll(self) -> dict[str, Any] | None:
        """Record the health event if an interval of opening time has passed; returns what was recorded."""
        if not self.is_open():
            self._window = None
            self.frames.take()
            return None
        now = self.clock()
        if self._window is None:
            self._window = (now, self.cpu_seconds(), self.errors.count)
            self.frames.take()              # frames of the closed hours are not the open ones
            return None
        if now - self._window[0] < self.interval_s:
            return None
        payload = self.payload(now)
        self._window = (now, self.cpu_seconds(), self.errors.count)
        self.record("kiosk.health", payload)
        return payload

    def payload(self, now: float) -> dict[str, Any]:
        start, cpu_start, errors_start = self._window or (self.started, 0.0, 0)
        interval = now - start
        frames = self.frames.take()
        p50, p99 = percentile(frames, 0.5), percentile(frames, 0.99)
        rss = self.resident()
        free_share = free_mb = None
        storage = self.storage() if self.storage is not None else None
        if storage is not None and storage.free_bytes is not None:
            free_share, free_mb = storage.free_share, storage.free_bytes / 2**20
        else:
            try:
                usage = self.disk(self.config.data_dir)
                free_share, free_mb = usage.free / usage.total, usage.free / 2**20
            except OSError:
                pass
        backlog, oldest_age = self.backlog(self.config.data_dir)
        return {
            "version": self.version,
            "uptime_s": round(now - self.started, 1),
            "interval_s": round(interval, 1),
            "frames": len(frames),
            "frame_ms_p50": None if p50 is None else round(p50 * 1000, 2),
            "frame_ms_p99": None if p99 is None else round(p99 * 1000, 2),
            # under a second (a test's interval) the share says nothing: none rather than a huge one
            "cpu_share": round(max(0.0, self.cpu_seconds() - cpu_start) / interval, 4) if interval >= 1 else None,
            "rss_mb": None if rss is None else round(rss / 2**20, 1),
            "disk_free_share": None if free_share is None else round(free_share, 4),
            "disk_free_mb": None if free_mb is None else round(free_mb, 1),
            # the watch's verdict: "low" (under the reserve), "full" (events held in memory), "read-only"
            **({} if storage is None else {"storage": storage.alarm or "ok", "events_held": storage.held}),
            "upload_backlog": backlog,
            "oldest_unsent_age_s": None if oldest_age is None else round(oldest_age, 1),
            "sensors": sensor_states(self.sensors()),
            "errors": self.errors.count - errors_start,
            "timezone": self.config.timezone,
            "hours": weekly_hours(self.config),
            **({} if self.wall_clock is None else {"clock": self.wall_clock().health()}),
        }

    # -- the thread ----------------------------------------------------------------------------
    def start(self) -> "HealthMonitor":
        logging.getLogger().addHandler(self.errors)
        self._thread = threading.Thread(target=self._run, name="health", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while True:
            try:
                self.poll()
            except Exception:       # health is a report about the kiosk, never a reason for it to stop
                log.exception("the health report could not be made")
            if self._stop.wait(self.poll_s):
                return

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        logging.getLogger().removeHandler(self.errors)


def sensor_states(snapshot: Any) -> dict[str, str]:
    """Each configured sensor's state by name (connected, warming_up, offline); {} without sensors."""
    devices: Mapping | tuple = getattr(snapshot, "devices", ()) if snapshot is not None else ()
    return {d.name: d.state for d in devices}

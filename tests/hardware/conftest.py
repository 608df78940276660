"""Fixtures for the hardware tests: clocks, a recorder on a temp event log, fast timings."""
from __future__ import annotations

import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from hardware.reader import Timing

PARIS = ZoneInfo("Europe/Paris")
FAST = Timing(read_timeout_s=0.02, backoff_min_s=0.01, backoff_max_s=0.05, footfall_heartbeat_s=0.05,
              air_confirm_s=0.5)


class ManualClock:
    def __init__(self, start: float):
        self.t = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.t

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.t += seconds


class FastClock:
    """Wall time that runs `scale` times faster than real time from `start`."""

    def __init__(self, start: float, scale: float):
        self.start, self.scale, self.m0 = start, scale, time.monotonic()

    def __call__(self) -> float:
        return self.start + (time.monotonic() - self.m0) * self.scale


def paris(y, mo, d, h, mi=0) -> float:
    return datetime(y, mo, d, h, mi, tzinfo=PARIS).timestamp()


def wait_for(predicate, timeout: float = 20.0, step: float = 0.01) -> bool:
    """Poll until predicate() holds; the timeout only bounds a failing test (CI machines are slow)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


@pytest.fixture
def recorder(tmp_path):
    from kiosk.store.recorder import Recorder

    rec = Recorder(tmp_path, "test-kiosk", flush_interval=0.05)
    yield rec
    rec.close()


def events(db_path, kind: str) -> list[dict]:
    import json
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return [json.loads(p) for (p,) in conn.execute("SELECT payload FROM events WHERE kind = ? ORDER BY seq", (kind,))]
    finally:
        conn.close()

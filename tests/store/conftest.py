from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

import pytest

from kiosk.store.periods import WEEKDAYS
from kiosk.store.reader import StoreReader
from kiosk.store.recorder import Recorder
from kiosk.store.stats import StatsSettings

PARIS = ZoneInfo("Europe/Paris")


def settings(**kw) -> StatsSettings:
    hours = {d: (time(10), time(18)) for d in WEEKDAYS}
    base = dict(tz=PARIS, hours=hours, opened_on=None, counters=(), upload_configured=False)
    base.update(kw)
    return StatsSettings(**base)


class Log:
    """A prepared event log: record with explicit UTC timestamps, then query."""

    def __init__(self, path):
        self.path = path
        self.rec = Recorder(path, "test-kiosk", flush_interval=60)
        self._reader = None

    def add(self, kind, ts, payload=None, *, station=None, session=None):
        if len(ts) == 17:      # '2026-10-25T01:10Z'
            ts = ts[:-1] + ":00.000Z"
        elif len(ts) == 20:    # '2026-10-25T01:10:05Z'
            ts = ts[:-1] + ".000Z"
        return self.rec.record(kind, payload or {}, station=station, session_id=session, ts=ts)

    def minute(self, minute, n_in, n_out=0, sensor="door"):
        return self.add("footfall.minute", minute, {"sensor": sensor, "minute": minute, "in": n_in, "out": n_out})

    def status(self, ts, state, sensor="door"):
        return self.add("sensor.status", ts, {"sensor": sensor, "state": state})

    def query(self, fn):
        self.rec.flush()
        if self._reader is None:
            self._reader = StoreReader(self.path)
        return self._reader.query(fn)

    def close(self):
        self.rec.close()
        if self._reader is not None:
            self._reader.close()


@pytest.fixture
def log(tmp_path):
    lg = Log(tmp_path)
    yield lg
    lg.close()

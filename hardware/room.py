"""The room's occupancy from every door counter: in minus out, never below zero, back to zero at the
daily opening_reset time (local). Restored at start from today's footfall.minute events."""
from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, time as dtime, timedelta, tzinfo
from pathlib import Path


class RoomOccupancy:
    def __init__(self, reset_at: str = "06:00", tz: tzinfo | None = None):
        hh, mm = reset_at.split(":")
        self.reset_at = dtime(int(hh), int(mm))
        self.tz = tz
        self._lock = threading.Lock()
        self._value = 0
        self._period: datetime | None = None
        self._restored = False

    def period_start(self, t: float) -> datetime:
        """The last opening_reset moment at or before t (local, naive when no tz is given)."""
        now = datetime.fromtimestamp(t, self.tz)
        start = now.replace(hour=self.reset_at.hour, minute=self.reset_at.minute, second=0, microsecond=0)
        return start if start <= now else start - timedelta(days=1)

    def _roll(self, t: float) -> None:
        period = self.period_start(t)
        if period != self._period:
            self._period = period
            self._value = 0

    def add(self, passages_in: int, passages_out: int, t: float) -> int:
        with self._lock:
            self._roll(t)
            # Entries first: with both in one reading, someone came and went.
            self._value = max(0, self._value + passages_in - passages_out)
            return self._value

    def value(self, t: float) -> int:
        with self._lock:
            self._roll(t)
            return self._value

    def restore_once(self, db_path: Path | str | None, t: float | None = None) -> None:
        """Replay today's footfall.minute events (all door counters), once per service."""
        import time as _time

        with self._lock:
            if self._restored or db_path is None or not Path(db_path).exists():
                self._restored = True
                return
            self._restored = True
            now = _time.time() if t is None else t
            self._roll(now)
            since = self._period.strftime("%Y-%m-%dT%H:%M")
            conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5.0)
            try:
                rows = conn.execute(
                    "SELECT payload FROM events WHERE kind = 'footfall.minute' "
                    "AND json_extract(payload, '$.minute') >= ? ORDER BY json_extract(payload, '$.minute'), seq",
                    (since,)).fetchall()
            except sqlite3.OperationalError:
                rows = []
            finally:
                conn.close()
            for (payload,) in rows:
                p = json.loads(payload)
                self._value = max(0, self._value + int(p["in"]) - int(p["out"]))

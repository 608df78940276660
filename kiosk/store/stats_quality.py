"""Data-quality figures: sensor gaps, kiosk restarts, station errors, upload backlog.

A funder reading "312 visits" must also read "the door counter was offline 6 opening hours", or the
figure misleads: these are shown next to the others, on the page and in the report.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

from kiosk.store.periods import WEEKDAYS, Period, local_slot, open_hours, utc_bounds

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.store.stats import StatsSettings

SENSOR_KINDS = ("footfall.minute", "sensor.air")
# The sync uploader keeps its cursor (last acknowledged seq) in sync_state under this key.
UPLOAD_CURSOR_KEY = "upload_cursor"


@dataclass
class QualityStats:
    offline_hours: dict[str, float] = field(default_factory=dict)      # sensor -> opening hours without data
    offline_slots: dict[str, dict[tuple, int]] = field(default_factory=dict)  # sensor -> {(date, hour): minutes}
    kiosk_starts: int = 0
    unclean_restarts: int = 0          # a start not preceded by a kiosk.stop: crash or power cut
    errors: list[tuple[str, int]] = field(default_factory=list)       # (station or place, count)
    upload_configured: bool = False
    upload_backlog: int | None = None  # events not yet acknowledged by the hub

    @property
    def error_count(self) -> int:
        return sum(n for _, n in self.errors)


def sensor_offline_minutes(conn: sqlite3.Connection, settings: "StatsSettings", period: Period,
                           now: datetime) -> dict[str, dict[tuple, int]]:
    """sensor -> {(local date, hour): opening minutes of that hour without a reading}.

    Counters and air sensors report every minute, so a minute without a row is a minute offline.
    Only opening minutes count, before `now` and after the sensor's first reading ever (a sensor
    installed mid-stay was not "offline" before)."""
    from kiosk.store.stats import minute_buckets

    tz = settings.tz
    lo, hi = utc_bounds(period, tz)
    firsts = dict(conn.execute(
        "SELECT json_extract(payload, '$.sensor'), min(ts) FROM events WHERE kind IN (?, ?) AND ts < ? "
        "GROUP BY 1", (*SENSOR_KINDS, hi)).fetchall())
    got: dict[str, dict[datetime, int]] = {sensor: {} for sensor in firsts if sensor is not None}
    for kind in SENSOR_KINDS:
        for row in minute_buckets(conn, kind, lo, hi):
            if row["sensor"] in got:
                quarter = datetime.fromisoformat(row["q"]).replace(tzinfo=timezone.utc)
                got[row["sensor"]][quarter] = got[row["sensor"]].get(quarter, 0) + row["n"]
    missing: dict[str, dict[tuple, int]] = {}
    for sensor, readings in sorted(got.items()):
        since = datetime.fromisoformat(firsts[sensor][:16] + ":00+00:00")  # the minute of the first reading
        gaps = {}
        for day in period.days():
            span = settings.hours.get(WEEKDAYS[day.weekday()])
            if span is None:
                continue
            opening = datetime.combine(day, span[0], tzinfo=tz).astimezone(timezone.utc)
            closing = datetime.combine(day, span[1], tzinfo=tz).astimezone(timezone.utc)
            for hour in open_hours(day, settings.hours):
                start = datetime.combine(day, time(hour), tzinfo=tz).astimezone(timezone.utc)
                begin, end = max(start, opening, since), min(start + timedelta(hours=1), closing, now)
                if end <= begin:
                    continue
                expected = int((end - begin).total_seconds() // 60)
                first_quarter = begin.replace(minute=begin.minute - begin.minute % 15, second=0, microsecond=0)
                seen = sum(n for q, n in _quarters(readings, first_quarter, end))
                lost = expected - min(expected, seen)
                if lost > 0:
                    gaps[(day, hour)] = lost
        missing[sensor] = gaps
    return missing


def _quarters(readings: dict[datetime, int], first: datetime, end: datetime):
    q = first
    while q < end:
        if q in readings:
            yield q, readings[q]
        q += timedelta(minutes=15)


def restart_counts(conn: sqlite3.Connection, lo: str, hi: str) -> tuple[int, int]:
    """(starts in [lo, hi), starts among them not preceded by a kiosk.stop since the previous start)."""
    starts = unclean = 0
    previous = None
    for ts, kind in conn.execute(
            "SELECT ts, kind FROM events WHERE kind IN ('kiosk.start', 'kiosk.stop') AND ts < ? ORDER BY ts, seq", (hi,)):
        if kind == "kiosk.start" and ts >= lo:
            starts += 1
            unclean += previous == "kiosk.start"
        previous = kind
    return starts, unclean


def upload_backlog(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (UPLOAD_CURSOR_KEY,)).fetchone()
    cursor = int(row[0]) if row and str(row[0]).lstrip("-").isdigit() else 0
    return conn.execute("SELECT COUNT(*) FROM events WHERE seq > ?", (cursor,)).fetchone()[0]


def quality_stats(conn: sqlite3.Connection, settings: "StatsSettings", period: Period, now: datetime) -> QualityStats:
    lo, hi = utc_bounds(period, settings.tz)
    slots = sensor_offline_minutes(conn, settings, period, now)
    starts, unclean = restart_counts(conn, lo, hi)
    errors = [(str(place), n) for place, n in conn.execute(
        "SELECT COALESCE(station, json_extract(payload, '$.where'), '?') AS place, COUNT(*) FROM events "
        "WHERE kind = 'error' AND ts >= ? AND ts < ? GROUP BY place ORDER BY 2 DESC, 1", (lo, hi))]
    return QualityStats(
        offline_hours={s: round(sum(v.values()) / 60, 2) for s, v in slots.items()}, offline_slots=slots, kiosk_starts=starts,
        unclean_restarts=unclean, errors=errors, upload_configured=settings.upload_configured,
        upload_backlog=upload_backlog(conn) if settings.upload_configured else None,
    )

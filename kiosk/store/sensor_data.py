"""What the sensors said, and when they could say it.

Two sources in the log (hardware/):
- per-minute rows: `footfall.minute` {sensor, minute, in, out} only for minutes with passages, and
  `sensor.air` {sensor, minute, ...} every minute; `minute` is the venue's local minute
  '2026-11-25T18:42' (a UTC form '...Z' is accepted; any other form falls back to the row's ts);
- `sensor.status` {sensor, state: connected | warming_up | offline} on every change of state.

A minute without a door-counter row is therefore zero passages *if the counter was connected*, and
"no data" otherwise. The state timeline below makes that distinction: a status holds until the next
one, and a kiosk.start / kiosk.stop resets every sensor to "unknown" (the kiosk was not reading it).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterator, Mapping
from zoneinfo import ZoneInfo

from eventlog.stamps import parse_ts, utc_iso
from kiosk.store.wall_clock import PLACED

ONLINE = ("connected", "warming_up")
_LOCAL = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]"
_UTC = _LOCAL + "*Z"


@dataclass(frozen=True)
class Bucket:
    """A quarter hour of one sensor's per-minute rows."""

    sensor: str
    day: date            # local
    hour: int            # local
    start: datetime      # UTC start of the quarter hour
    n_in: int
    n_out: int
    rows: int


def shift(ts: str, hours: float) -> str:
    return utc_iso(parse_ts(ts) + timedelta(hours=hours))


def minute_buckets(conn: sqlite3.Connection, kind: str, lo: str, hi: str, tz: ZoneInfo) -> list[Bucket]:
    """Rows of a per-minute kind whose minute falls in [lo, hi) (UTC bounds), per quarter hour.

    Quarter hours, not hours, so that any UTC offset (all are multiples of 15 min) maps exactly."""
    rows = conn.execute(
        f"""SELECT sensor, utc, substr(m, 1, 14) || printf('%02d', (CAST(substr(m, 15, 2) AS INTEGER) / 15) * 15) AS q,
                   SUM(n_in), SUM(n_out), COUNT(*)
            FROM (SELECT sensor, n_in, n_out, raw GLOB '{_LOCAL}' = 0 AS utc,
                         CASE WHEN raw GLOB '{_LOCAL}' THEN raw WHEN raw GLOB '{_UTC}' THEN substr(raw, 1, 16)
                              ELSE substr(ts, 1, 16) END AS m
                  FROM (SELECT json_extract(payload, '$.sensor') AS sensor, json_extract(payload, '$.minute') AS raw,
                               json_extract(payload, '$.in') AS n_in, json_extract(payload, '$.out') AS n_out,
                               {PLACED} AS ts
                        FROM events WHERE kind = ? AND {PLACED} >= ? AND {PLACED} < ?))
            GROUP BY sensor, utc, q""",
        (kind, shift(lo, -1), shift(hi, +1)),
    ).fetchall()
    start, end = parse_ts(lo), parse_ts(hi)
    out = []
    for sensor, utc, q, n_in, n_out, n in rows:
        naive = datetime.fromisoformat(q)
        if utc:
            moment = naive.replace(tzinfo=timezone.utc)
            local = moment.astimezone(tz)
        else:
            local = naive.replace(tzinfo=tz)
            moment = local.astimezone(timezone.utc)
        if start <= moment < end:
            out.append(Bucket(sensor, local.date(), local.hour, moment, int(n_in or 0), int(n_out or 0), n))
    return out


Interval = tuple[datetime, datetime, str]  # UTC start, end, state (connected | warming_up | offline | unknown)


def sensor_timelines(conn: sqlite3.Connection, lo: str, hi: str, now: datetime) -> dict[str, list[Interval]]:
    """Each sensor's states over [lo, min(hi, now)), from sensor.status and kiosk starts/stops."""
    end = min(parse_ts(hi), now)
    begin = parse_ts(lo)
    state: dict[str, tuple[datetime, str]] = {}
    lines: dict[str, list[Interval]] = {}

    def close(sensor: str, at: datetime) -> None:
        since, s = state[sensor]
        a, b = max(since, begin), min(at, end)
        if b > a:
            lines.setdefault(sensor, []).append((a, b, s))

    for ts, kind, sensor, new in conn.execute(
            f"SELECT {PLACED}, kind, json_extract(payload, '$.sensor'), json_extract(payload, '$.state') FROM events "
            f"WHERE kind IN ('sensor.status', 'kiosk.start', 'kiosk.stop') AND {PLACED} < ? ORDER BY {PLACED}, seq",
            (hi,)):
        at = parse_ts(ts)
        if kind == "sensor.status":
            if sensor is None:
                continue
            if sensor in state:
                close(sensor, at)
            state[sensor] = (at, str(new))
        else:
            for name in list(state):
                close(name, at)
                state[name] = (at, "unknown")
    for name, (since, s) in state.items():
        if s == "unknown":  # no word since the last (re)start: the sensor was removed, or the kiosk is off
            state[name] = (since, "unmonitored")
        close(name, end)
    return lines


def hours_touched(a: datetime, b: datetime, tz: ZoneInfo) -> Iterator[tuple[date, int]]:
    """Local (date, hour) slots that [a, b) overlaps."""
    t = a.astimezone(tz).replace(minute=0, second=0, microsecond=0)
    while t.astimezone(timezone.utc) < b:
        yield t.date(), t.hour
        t = (t.astimezone(timezone.utc) + timedelta(hours=1)).astimezone(tz).replace(minute=0, second=0, microsecond=0)


def online_slots(timelines: Mapping[str, list[Interval]], sensors: set[str], tz: ZoneInfo) -> set[tuple[date, int]]:
    """Local hour slots in which at least one of `sensors` was connected for a while."""
    slots: set[tuple[date, int]] = set()
    for sensor in sensors:
        for a, b, s in timelines.get(sensor, []):
            if s in ONLINE:
                slots.update(hours_touched(a, b, tz))
    return slots


def overlap_minutes(intervals: list[Interval], a: datetime, b: datetime, states: tuple[str, ...]) -> float:
    return sum(max(0.0, (min(b, y) - max(a, x)).total_seconds()) for x, y, s in intervals if s in states) / 60


def opening_slots(day: date, span: tuple[time, time] | None, tz: ZoneInfo) -> list[tuple[int, datetime, datetime]]:
    """(local hour, UTC start, UTC end) of the opening hours of `day`, cut at opening and closing."""
    if span is None:
        return []
    opening = datetime.combine(day, span[0], tzinfo=tz).astimezone(timezone.utc)
    closing = datetime.combine(day, span[1], tzinfo=tz).astimezone(timezone.utc)
    out = []
    for d, hour in hours_touched(opening, closing, tz):
        start = datetime.combine(d, time(hour), tzinfo=tz).astimezone(timezone.utc)
        out.append((hour, max(start, opening), min(start + timedelta(hours=1), closing)))
    return out

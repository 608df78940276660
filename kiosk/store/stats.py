"""Statistics for mediators and funders: every figure is a query over the event log.

    settings = StatsSettings.from_config(cfg)
    stats = reader.query(lambda conn: compute_stats(conn, settings, period))   # off the frame loop

Counting rules (also written out for funders in kiosk/report/definitions.py):
- footfall: `footfall.minute` rows (only minutes with passages), bucketed by their `minute` field
  (the venue's local minute) into local days and hours; several counters add up. An hour without
  rows counts zero if a counter was connected during it (sensor.status), else it is "no data" (None).
- sessions: `session.start` events, counted at their local start time; dwell: `station.exit`
  seconds (one value per visit of a station); visits: `station.enter` events.
- use rate: sessions / footfall in, both over the days on which the door counter reported.
"""
from __future__ import annotations

import sqlite3
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import Any, Mapping
from zoneinfo import ZoneInfo

import numpy as np

from kiosk.store.sensor_data import minute_buckets, online_slots, sensor_timelines
from kiosk.store.periods import WEEKDAYS, Period, local_slot, utc_bounds, whole_stay
from kiosk.store.stats_quality import QualityStats, quality_stats
from kiosk.store.stats_settings import StatsSettings
from kiosk.store.wall_clock import PLACED

Slot = tuple[date, int]  # local date, local hour


@dataclass(frozen=True)
class StationStats:
    station: str
    visits: int
    dwell_median_s: float | None
    dwell_p75_s: float | None
    dwell_count: int


@dataclass
class Stats:
    period: Period
    generated_at: datetime                      # local time
    footfall_source: str                        # ok | no_counter | no_data
    footfall_in: int | None                     # passages inward over the period
    footfall_by_day: list[tuple[date, int | None, int | None]]   # (day, in, out); None = no data
    footfall_by_hour: dict[Slot, tuple[int, int]]                # slots with data only
    heatmap: list[list[float | None]]           # [weekday][hour] mean inward passages
    occupancy_now: int | None
    sessions: int
    sessions_by_day: list[tuple[date, int]]
    sessions_by_hour: dict[Slot, int]
    use_rate: float | None
    stations: list[StationStats]
    contributions: dict[str, int]
    groups: list[tuple[str, int, int, int]]     # level, groups, pupils, adults
    quality: QualityStats
    closed_days: set[date] = field(default_factory=set)           # the venue's hours say closed
    counter_gap_days: set[date] = field(default_factory=set)      # a door counter was offline part of the day
    not_open_yet: set[date] = field(default_factory=set)          # days whose opening time has not come
    log_first_day: date | None = None                             # the first local day of the event log

    def recorded(self, day: date) -> bool:
        """The kiosk's log covers `day`: not before its first event, not after today. Outside, a count
        of sessions or offline minutes is "no data", not zero."""
        return (self.log_first_day is not None and self.log_first_day <= day
                and day <= self.generated_at.date())

    def opening_days(self) -> list[date]:
        """Days of the period the venue opened (or has opened today), in order."""
        return [d for d in self.period.days() if d not in self.closed_days and d not in self.not_open_yet]

    def hours_of(self, day: date, what: str = "footfall") -> list[int | None]:
        """24 values for one local day: footfall in (None = no data) or sessions (0 when none)."""
        if what == "sessions":
            return [self.sessions_by_hour.get((day, h), 0) for h in range(24)]
        return [self.footfall_by_hour[(day, h)][0] if (day, h) in self.footfall_by_hour else None
                for h in range(24)]


# -- queries ----------------------------------------------------------------------------------------
def _local_dates(conn: sqlite3.Connection, kind: str, lo: str, hi: str, tz: ZoneInfo) -> list[Slot]:
    return [local_slot(ts, tz) for (ts,) in conn.execute(
        f"SELECT {PLACED} FROM events WHERE kind = ? AND {PLACED} >= ? AND {PLACED} < ?", (kind, lo, hi))]


def first_event_day(conn: sqlite3.Connection, tz: ZoneInfo) -> date | None:
    row = conn.execute(f"SELECT min({PLACED}) FROM events").fetchone()
    return local_slot(row[0], tz)[0] if row and row[0] else None


def counters_seen(conn: sqlite3.Connection) -> set[str]:
    return {name for (name,) in conn.execute(
        "SELECT DISTINCT json_extract(payload, '$.sensor') FROM events "
        "WHERE kind IN ('footfall.minute', 'footfall.state')") if name is not None}


def sessions_started_since(conn: sqlite3.Connection, since: datetime) -> int:
    """Visitor sessions started at or after `since` (an aware time): today's count on the mediator menu."""
    iso = since.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    row = conn.execute(f"SELECT COUNT(*) FROM events WHERE kind = 'session.start' AND {PLACED} >= ?", (iso,)).fetchone()
    return int(row[0])


def stay_period(conn: sqlite3.Connection, settings: StatsSettings, now: datetime | None = None) -> Period:
    now = datetime.now(timezone.utc) if now is None else now
    return whole_stay(now, settings.tz, settings.opened_on, first_event_day(conn, settings.tz))


def _percentile(values: list[float], q: float) -> float | None:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else None


def station_stats(conn: sqlite3.Connection, lo: str, hi: str) -> list[StationStats]:
    visits = dict(conn.execute(
        f"SELECT station, COUNT(*) FROM events WHERE kind = 'station.enter' AND {PLACED} >= ? AND {PLACED} < ? "
        "AND station IS NOT NULL GROUP BY station", (lo, hi)).fetchall())
    dwell: dict[str, list[float]] = {}
    for station, seconds in conn.execute(
            "SELECT station, json_extract(payload, '$.seconds') FROM events WHERE kind = 'station.exit' "
            f"AND {PLACED} >= ? AND {PLACED} < ? AND station IS NOT NULL", (lo, hi)):
        if isinstance(seconds, (int, float)):
            dwell.setdefault(station, []).append(float(seconds))
    names = sorted(set(visits) | set(dwell), key=lambda s: (-visits.get(s, 0), s))
    return [StationStats(s, visits.get(s, 0), _percentile(dwell.get(s, []), 50), _percentile(dwell.get(s, []), 75),
                         len(dwell.get(s, []))) for s in names]


def contribution_stats(conn: sqlite3.Connection, lo: str, hi: str) -> dict[str, int]:
    """Wall messages submitted in the period and their moderation state now (the latest decision)."""
    decided = dict(conn.execute(
        "SELECT target, kind FROM (SELECT json_extract(payload, '$.target') AS target, kind, ROW_NUMBER() OVER ("
        f" PARTITION BY json_extract(payload, '$.target') ORDER BY {PLACED} DESC, seq DESC) AS latest"
        " FROM events WHERE kind IN ('moderation.approved', 'moderation.rejected')) WHERE latest = 1").fetchall())
    counts = {"submitted": 0, "approved": 0, "rejected": 0, "waiting": 0}
    for (uuid,) in conn.execute(f"SELECT uuid FROM events WHERE kind = 'wall.message' AND {PLACED} >= ? AND {PLACED} < ?",
                                (lo, hi)):
        counts["submitted"] += 1
        state = decided.get(uuid)
        counts["approved" if state == "moderation.approved" else "rejected" if state == "moderation.rejected" else "waiting"] += 1
    for key, kind in (("survey_answers", "survey.answer"), ("surveys_completed", "survey.complete")):
        counts[key] = conn.execute(f"SELECT COUNT(*) FROM events WHERE kind = ? AND {PLACED} >= ? AND {PLACED} < ?",
                                   (kind, lo, hi)).fetchone()[0]
    return counts


# School levels in school order, with their French names (the group page records the keys, older logs and
# simulated ones the names: both count under the same level).
SCHOOL_LEVELS: dict[str, str] = {"maternelle": "maternelle", "elementaire": "élémentaire", "college": "collège",
                                 "lycee": "lycée", "autre": "autre"}


def _level_key(level: Any) -> str:
    text = str(level or "autre").strip().lower()
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain if plain in SCHOOL_LEVELS else text


def group_stats(conn: sqlite3.Connection, lo: str, hi: str) -> list[tuple[str, int, int, int]]:
    """(level, groups, pupils, adults) in school order (maternelle first), the level in French."""
    acc: dict[str, list[int]] = {}
    for level, n, pupils, adults in conn.execute(
            "SELECT json_extract(payload, '$.level'), COUNT(*), SUM(json_extract(payload, '$.pupils')), "
            "SUM(json_extract(payload, '$.adults')) FROM events "
            f"WHERE kind = 'group.start' AND {PLACED} >= ? AND {PLACED} < ? GROUP BY 1", (lo, hi)):
        row = acc.setdefault(_level_key(level), [0, 0, 0])
        row[0] += n
        row[1] += int(pupils or 0)
        row[2] += int(adults or 0)
    order = list(SCHOOL_LEVELS)
    keys = sorted(acc, key=lambda k: (order.index(k) if k in order else len(order), k))
    return [(SCHOOL_LEVELS.get(k, k), *acc[k]) for k in keys]


# -- the whole page / report ------------------------------------------------------------------------
def compute_stats(conn: sqlite3.Connection, settings: StatsSettings, period: Period,
                  now: datetime | None = None) -> Stats:
    tz = settings.tz
    now = datetime.now(timezone.utc) if now is None else now
    lo, hi = utc_bounds(period, tz)
    days = list(period.days())

    # Footfall: rows where there were passages, zero where a counter was connected without any,
    # nothing (no data) where no counter was listening.
    counted: dict[Slot, list[int]] = {}
    for b in minute_buckets(conn, "footfall.minute", lo, hi, tz):
        acc = counted.setdefault((b.day, b.hour), [0, 0])
        acc[0] += b.n_in
        acc[1] += b.n_out
    counters = set(settings.counters) | counters_seen(conn)
    listening = online_slots(sensor_timelines(conn, lo, hi, now), counters, tz)
    in_period = set(days)
    footfall_by_hour = {slot: tuple(counted.get(slot, (0, 0))) for slot in set(counted) | listening
                        if slot[0] in in_period}
    per_day: dict[date, list[int]] = {}
    for (day, _), (n_in, n_out) in footfall_by_hour.items():
        acc = per_day.setdefault(day, [0, 0])
        acc[0] += n_in
        acc[1] += n_out
    footfall_by_day = [(d, per_day[d][0], per_day[d][1]) if d in per_day else (d, None, None) for d in days]
    source = "ok" if per_day else ("no_data" if counters else "no_counter")

    session_slots = _local_dates(conn, "session.start", lo, hi, tz)
    sessions_by_hour: dict[Slot, int] = {}
    for slot in session_slots:
        sessions_by_hour[slot] = sessions_by_hour.get(slot, 0) + 1
    sessions_per_day = {d: 0 for d in days}
    for (day, _), n in sessions_by_hour.items():
        sessions_per_day[day] = sessions_per_day.get(day, 0) + n

    counted_in = sum(v[0] for v in per_day.values())
    sessions_on_counted_days = sum(n for d, n in sessions_per_day.items() if d in per_day)
    use_rate = sessions_on_counted_days / counted_in if counted_in > 0 else None

    today_local = now.astimezone(tz).date()
    occupancy = None
    if today_local in per_day:
        occupancy = max(0, per_day[today_local][0] - per_day[today_local][1])

    quality = quality_stats(conn, settings, period, now)
    gap_days = {d for sensor, slots in quality.offline_slots.items() if sensor in counters for (d, _h) in slots}
    closed = {d for d in days if settings.hours.get(WEEKDAYS[d.weekday()]) is None}
    local_now = now.astimezone(tz)
    not_open_yet = {d for d in days if d > local_now.date() or (
        d == local_now.date() and d not in closed and local_now.time() < settings.hours[WEEKDAYS[d.weekday()]][0])}
    return Stats(
        period=period, generated_at=now.astimezone(tz), footfall_source=source,
        footfall_in=counted_in if per_day else None, footfall_by_day=footfall_by_day,
        footfall_by_hour=footfall_by_hour, heatmap=heatmap(footfall_by_hour), occupancy_now=occupancy,
        sessions=len(session_slots), sessions_by_day=sorted(sessions_per_day.items()),
        sessions_by_hour=sessions_by_hour, use_rate=use_rate, stations=station_stats(conn, lo, hi),
        contributions=contribution_stats(conn, lo, hi), groups=group_stats(conn, lo, hi),
        quality=quality, closed_days=closed, counter_gap_days=gap_days, not_open_yet=not_open_yet,
        log_first_day=first_event_day(conn, tz),
    )


def heatmap(footfall_by_hour: Mapping[Slot, tuple[int, int]]) -> list[list[float | None]]:
    """Mean inward passages per weekday and local hour, over the days when that hour has data."""
    sums = np.zeros((7, 24))
    counts = np.zeros((7, 24))
    for (day, hour), (n_in, _) in footfall_by_hour.items():
        sums[day.weekday(), hour] += n_in
        counts[day.weekday(), hour] += 1
    return [[float(sums[w, h] / counts[w, h]) if counts[w, h] else None for h in range(24)] for w in range(7)]


__all__ = ["Period", "Stats", "StatsSettings", "StationStats", "compute_stats", "stay_period"]

"""Data-quality figures: sensor gaps, kiosk restarts, station errors, upload backlog, events whose time
the kiosk estimated.

A funder reading "312 visits" must also read "the door counter was offline 6 opening hours", or the
figure misleads: these are shown next to the others, on the page and in the report.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from eventlog.kinds import count_restarts
from kiosk.store.periods import WEEKDAYS, Period, utc_bounds
from kiosk.store.sensor_data import opening_slots, overlap_minutes, sensor_timelines
from kiosk.store.stats_settings import StatsSettings
from kiosk.store.wall_clock import PLACED


# The sync uploader keeps its cursor (last acknowledged seq) in sync_state under this key.
UPLOAD_CURSOR_KEY = "upload_cursor"

# An error event's `where` is "<place>.<method>" (kiosk/errors.py). Places of the runtime itself, not of a
# station, and the part of the kiosk they belong to; any other place is a station id.
RUNTIME_PLACES: dict[str, str] = {
    "app": "kiosk", "kiosk": "kiosk", "attract": "kiosk", "home": "kiosk", "closed": "kiosk", "chrome": "kiosk",
    "pin": "mediator", "mediator": "mediator",
    "group": "groups", "groups": "groups",
    "sensors": "sensors", "hardware": "sensors",
    "uploader": "upload", "sync": "upload",
    "storage": "storage",
}
# Readable names of those parts (French; translated on screen through the catalog).
RUNTIME_LABELS: dict[str, str] = {
    "kiosk": "fonctionnement général",
    "mediator": "espace médiation",
    "groups": "groupes scolaires",
    "sensors": "capteurs",
    "upload": "envoi vers le site",
    "storage": "disque de données",
}


def error_place(station: str | None, where: str | None) -> tuple[str, str]:
    """("station", id) or ("runtime", part) for one error event."""
    if station:
        return "station", station
    head = (where or "").split(".", 1)[0].strip()
    if not head or head in RUNTIME_PLACES:
        return "runtime", RUNTIME_PLACES.get(head, "kiosk")
    return "station", head


@dataclass
class QualityStats:
    offline_hours: dict[str, float] = field(default_factory=dict)      # sensor -> opening hours without data
    offline_slots: dict[str, dict[tuple, int]] = field(default_factory=dict)  # sensor -> {(date, hour): minutes}
    kiosk_starts: int = 0
    unclean_restarts: int = 0          # a start not preceded by a kiosk.stop: crash or power cut
    errors: list[tuple[str, int]] = field(default_factory=list)       # (station id, count), most first
    runtime_errors: list[tuple[str, int]] = field(default_factory=list)  # (part of the kiosk, count): RUNTIME_LABELS
    upload_configured: bool = False
    upload_backlog: int | None = None  # events not yet acknowledged by the hub
    estimated_events: int = 0          # placed at the recorder's estimate: the wall clock was distrusted

    @property
    def error_count(self) -> int:
        """Errors of the stations (activities)."""
        return sum(n for _, n in self.errors)

    @property
    def runtime_error_count(self) -> int:
        """Errors of the kiosk itself: screens, frame loop, mediator pages, groups, sensors, upload."""
        return sum(n for _, n in self.runtime_errors)


def sensor_offline_minutes(conn: sqlite3.Connection, settings: StatsSettings, period: Period,
                           now: datetime) -> dict[str, dict[tuple, int]]:
    """sensor -> {(local date, hour): opening minutes of that hour the sensor was offline}.

    Offline = its last sensor.status said "offline", or the kiosk restarted and the sensor has not
    answered since. Only opening minutes before `now` count; a sensor is known from its first status."""
    tz = settings.tz
    lo, hi = utc_bounds(period, tz)
    lines = sensor_timelines(conn, lo, hi, now)
    missing: dict[str, dict[tuple, int]] = {}
    for sensor, intervals in sorted(lines.items()):
        gaps = {}
        for day in period.days():
            for hour, a, b in opening_slots(day, settings.hours.get(WEEKDAYS[day.weekday()]), tz):
                lost = round(overlap_minutes(intervals, a, b, ("offline", "unknown")))
                if lost > 0:
                    gaps[(day, hour)] = lost
        missing[sensor] = gaps
    return missing


def restart_counts(conn: sqlite3.Connection, lo: str, hi: str) -> tuple[int, int]:
    """(starts in [lo, hi), starts among them not preceded by a kiosk.stop since the previous start)."""
    return count_restarts(conn.execute(
        f"SELECT {PLACED}, kind FROM events WHERE kind IN ('kiosk.start', 'kiosk.stop') AND {PLACED} < ? "
        f"ORDER BY {PLACED}, seq", (hi,)),
        lo, hi)


def estimated_count(conn: sqlite3.Connection, lo: str, hi: str) -> int:
    """Events of [lo, hi) recorded while the wall clock was distrusted (1970 after a power cut, days
    ahead): counted at the recorder's estimate of their time, which a funder should know of."""
    return conn.execute("SELECT COUNT(*) FROM events WHERE estimated_ts >= ? AND estimated_ts < ?",
                        (lo, hi)).fetchone()[0]


def upload_backlog(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (UPLOAD_CURSOR_KEY,)).fetchone()
    cursor = int(row[0]) if row and str(row[0]).lstrip("-").isdigit() else 0
    return conn.execute("SELECT COUNT(*) FROM events WHERE seq > ?", (cursor,)).fetchone()[0]


def quality_stats(conn: sqlite3.Connection, settings: StatsSettings, period: Period, now: datetime) -> QualityStats:
    lo, hi = utc_bounds(period, settings.tz)
    slots = sensor_offline_minutes(conn, settings, period, now)
    starts, unclean = restart_counts(conn, lo, hi)
    counts: dict[tuple[str, str], int] = {}
    for station, where, n in conn.execute(
            "SELECT station, json_extract(payload, '$.where'), COUNT(*) FROM events "
            f"WHERE kind = 'error' AND {PLACED} >= ? AND {PLACED} < ? GROUP BY 1, 2", (lo, hi)):
        key = error_place(station, where if isinstance(where, str) else None)
        counts[key] = counts.get(key, 0) + n

    def most_first(group: str) -> list[tuple[str, int]]:
        return sorted(((name, n) for (g, name), n in counts.items() if g == group), key=lambda e: (-e[1], e[0]))

    return QualityStats(
        offline_hours={s: round(sum(v.values()) / 60, 2) for s, v in slots.items()}, offline_slots=slots, kiosk_starts=starts,
        unclean_restarts=unclean, errors=most_first("station"), runtime_errors=most_first("runtime"),
        upload_configured=settings.upload_configured,
        upload_backlog=upload_backlog(conn) if settings.upload_configured else None,
        estimated_events=estimated_count(conn, lo, hi),
    )

"""The kiosk.health reports of a simulated month (kiosk.demo_data), read from the month's own events: every
five minutes of opening time, the sensors' states as the sensor.status events left them, the errors of
the last five minutes, the uptime since the last kiosk.start, a busier machine while visitors play, and
a disk that slowly fills with the drawings. What kiosk/health.py measures on a real kiosk."""
from __future__ import annotations

from bisect import bisect_right
from datetime import datetime, timedelta
from typing import Iterable, Mapping
from zoneinfo import ZoneInfo

import numpy as np

from eventlog.stamps import parse_ts, utc_iso

INTERVAL = timedelta(minutes=5)
DISK_BYTES = 64 * 2**30          # the mini PC's data disk
DRAWING_BYTES = 120 * 2**10


def health_reports(events: list[tuple], days: Iterable, end: datetime, *, hours: Mapping, tz: ZoneInfo,
                   version: str, rng: np.random.Generator) -> list[tuple[datetime, dict]]:
    """(moment, payload) of each report; `events` are the simulator's (ts, kind, payload, ...) rows and
    `days` its plans (opening, closing)."""
    ordered = sorted(events, key=lambda e: e[0])
    stamps = [e[0] for e in ordered]
    weekly = {day: "closed" if span is None else f"{span[0]:%H:%M}-{span[1]:%H:%M}" for day, span in hours.items()}
    out: list[tuple[datetime, dict]] = []
    states: dict[str, str] = {}
    started = None
    drawings = 0
    seen = 0
    for plan in days:
        t = plan.opening + INTERVAL
        while t <= min(plan.closing, end):
            upto = bisect_right(stamps, utc_iso(t))
            window_start = utc_iso(t - INTERVAL)
            errors = visitors = 0
            for ts, kind, payload, *_rest in ordered[seen:upto]:
                if kind == "sensor.status":
                    states[payload["sensor"]] = payload["state"]
                elif kind == "kiosk.start":
                    started = parse_ts(ts)
                elif kind == "error" and ts > window_start:
                    errors += 1
                elif kind == "session.start" and ts > window_start:
                    visitors += 1
                elif kind == "wall.message" and payload.get("drawing_sha256"):
                    drawings += 1
            seen = upto
            busy = visitors > 0
            free = DISK_BYTES * 0.74 - drawings * DRAWING_BYTES
            out.append((t, {
                "version": version,
                "uptime_s": round((t - started).total_seconds(), 1) if started else 0.0,
                "interval_s": INTERVAL.total_seconds(),
                "frames": int(rng.integers(9000, 18000)) if busy else int(rng.integers(300, 900)),
                "frame_ms_p50": round(float(rng.normal(4.5 if busy else 2.2, 0.3)), 2),
                "frame_ms_p99": round(float(rng.normal(14 if busy else 6, 1.5)), 2),
                "cpu_share": round(float(rng.uniform(0.25, 0.45) if busy else rng.uniform(0.03, 0.08)), 4),
                "rss_mb": round(float(rng.normal(210, 6)), 1),
                "disk_free_share": round(free / DISK_BYTES, 4),
                "disk_free_mb": round(free / 2**20, 1),
                "upload_backlog": int(rng.integers(0, 40)),
                "oldest_unsent_age_s": round(float(rng.uniform(0, 60)), 1),
                "sensors": dict(states),
                "errors": errors,
                "timezone": tz.key,
                "hours": weekly,
            }))
            t += INTERVAL
    return out

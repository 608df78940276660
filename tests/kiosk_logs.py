"""Kiosk event logs for tests and benchmarks, written by the demo month's simulator (kiosk.demo_data):
the same visits, with the same payloads the stations write, and the door counter's minutes, but back to
back and cut at an exact number of events.

    fill_kiosk_log(data_dir, "k1", 5000, seed=1, drawings=20)
    assert kiosk_counts_by_kind(data_dir)["session.start"] > 0
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from eventlog.sqlite import connect
from eventlog.wire import db_path
from kiosk.demo_data import MonthSimulator
from kiosk.store.migrations import migrate

FAR = datetime(9999, 1, 1, tzinfo=timezone.utc)     # no closing time, no end: visitors keep coming


def fill_kiosk_log(data_dir: Path | str, kiosk_id: str, n_events: int, *, seed: int = 0, drawings: int = 0,
                   start: datetime | None = None) -> list[str]:
    """Append exactly n_events events to the kiosk's log in `data_dir`: visitor sessions one after the
    other from `start` (default 30 days ago), each followed by a minute of the door counter, about
    `drawings` of them leaving a drawing on the wall (PNG in attachments/), no other drawing. Returns
    their uuids."""
    sim = MonthSimulator(data_dir, seed=seed)
    when = start or datetime.now(timezone.utc) - timedelta(days=30)
    made = 0
    while len(sim.events) < n_events:
        # a drawing whenever they fall behind an even spread over the log
        draw = made < drawings and made * n_events <= len(sim.events) * drawings
        free = sim.visit(when, FAR, FAR, stations=["wall"] if draw else None, drawing=draw)
        made += draw
        minute = when.astimezone(sim.tz).strftime("%Y-%m-%dT%H:%M")
        sim.add(when + timedelta(seconds=61), "footfall.minute", sim.door.minute(minute, 1, int(sim.rng.integers(0, 3))))
        when = max(free, when + timedelta(seconds=62)) + timedelta(seconds=float(sim.rng.uniform(5, 60)))
    if n_events == 0:
        conn = connect(db_path(data_dir))
        migrate(conn)
        conn.close()
        return []
    return sim.write(data_dir, kiosk_id, first=n_events)


def kiosk_uuids(data_dir: Path | str) -> list[str]:
    conn = connect(db_path(data_dir), readonly=True)
    try:
        return sorted(r[0] for r in conn.execute("SELECT uuid FROM events"))
    finally:
        conn.close()


def kiosk_counts_by_kind(data_dir: Path | str) -> dict[str, int]:
    conn = connect(db_path(data_dir), readonly=True)
    try:
        return dict(conn.execute("SELECT kind, count(*) FROM events GROUP BY kind").fetchall())
    finally:
        conn.close()

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
from eventlog.stamps import parse_ts, utc_iso
from eventlog.wire import db_path
from kiosk.demo_data import MonthSimulator
from kiosk.store.migrations import migrate

FAR = datetime(9999, 1, 1, tzinfo=timezone.utc)     # no closing time, no end: visitors keep coming
MINUTE = "%Y-%m-%dT%H:%M"                           # the door counter's local minute


def fill_kiosk_log(data_dir: Path | str, kiosk_id: str, n_events: int, *, seed: int = 0,
                   drawings: int = 0) -> list[str]:
    """Append exactly n_events events to the kiosk's log in `data_dir`: visitor sessions one after the
    other, each followed by a minute of the door counter, ending a minute ago (a hub refuses times in
    the future), about `drawings` of them leaving a drawing on the wall (PNG in attachments/), no other
    drawing. Returns their uuids."""
    now = datetime.now(timezone.utc)
    sim = MonthSimulator(data_dir, seed=seed)
    when = now - timedelta(days=30)
    made = 0
    while len(sim.events) < n_events:
        # a drawing whenever they fall behind an even spread over the log
        draw = made < drawings and made * n_events <= len(sim.events) * drawings
        free = sim.visit(when, FAR, FAR, stations=["wall"] if draw else None, drawing=draw)
        made += draw
        minute = when.astimezone(sim.tz).strftime(MINUTE)
        sim.add(when + timedelta(seconds=61), "footfall.minute", sim.door.minute(minute, 1, int(sim.rng.integers(0, 3))))
        when = max(free, when + timedelta(seconds=62)) + timedelta(seconds=float(sim.rng.uniform(5, 60)))
    if n_events == 0:
        conn = connect(db_path(data_dir))
        migrate(conn)
        conn.close()
        return []
    sim.events = sorted(sim.events, key=lambda e: e[0])[:n_events]
    _end_before(sim, now - timedelta(minutes=1))
    return sim.write(data_dir, kiosk_id)


def _end_before(sim: MonthSimulator, limit: datetime) -> None:
    """Move the whole log back in time (whole minutes) so that its last event is before `limit`."""
    late = parse_ts(sim.events[-1][0]) - limit
    if late <= timedelta(0):
        return
    back = timedelta(minutes=late // timedelta(minutes=1) + 1)
    moved = []
    for ts, kind, payload, station, session, key in sim.events:
        if kind == "footfall.minute":
            local = datetime.strptime(payload["minute"], MINUTE).replace(tzinfo=sim.tz)
            payload = dict(payload, minute=(local - back).strftime(MINUTE))
        moved.append((utc_iso(parse_ts(ts) - back), kind, payload, station, session, key))
    sim.events = moved


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

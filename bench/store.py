"""Event store and statistics: recorder throughput against its peers, and query time on a simulated month.

Figures (median of several runs, peers measured in the same run on the same disk):
- Recorder: events/s from the first record() to flush() done, and the caller's cost per record()
  (what the frame loop pays);
- peers: one executemany transaction (the ceiling), and one commit per event with synchronous=FULL
  (what a naive durable logger does);
- statistics: compute_stats for today / this week / the whole stay of a simulated month.
"""
from __future__ import annotations

import tempfile
import time
from datetime import datetime, timezone
from datetime import time as dtime
from zoneinfo import ZoneInfo
from pathlib import Path

from bench.common import median
from eventlog.sqlite import connect
from eventlog.stamps import new_uuid, utc_iso
from eventlog.wire import db_path
from kiosk.demo_data import simulate_month
from kiosk.store.migrations import migrate
from kiosk.store.periods import WEEKDAYS, this_week, today
from kiosk.store.reader import StoreReader
from kiosk.store.recorder import Recorder
from kiosk.store.stats import StatsSettings, compute_stats, stay_period

N_EVENTS = 20_000
N_NAIVE = 300
RUNS = 3


def recorder_run(n: int) -> tuple[float, float]:
    """(events per second to durable, microseconds per record() call on the caller's thread)."""
    with tempfile.TemporaryDirectory() as tmp:
        rec = Recorder(tmp, "bench")
        t0 = time.perf_counter()
        for i in range(n):
            rec.record("traffic.tap", {"scenario": "rocade", "i": i}, station="traffic")
        t_queued = time.perf_counter()
        rec.flush(timeout=120)
        t_done = time.perf_counter()
        rec.close()
        return n / (t_done - t0), (t_queued - t0) / n * 1e6


def executemany_run(n: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(db_path(tmp))
        migrate(conn)
        rows = [(new_uuid(), utc_iso(), "bench", None, "traffic", "traffic.tap", '{"i":%d}' % i) for i in range(n)]
        t0 = time.perf_counter()
        with conn:
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO events (uuid, ts, kiosk_id, session_id, station, kind, payload) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        rate = n / (time.perf_counter() - t0)
        conn.close()
        return rate


def naive_run(n: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(db_path(tmp))
        migrate(conn)
        t0 = time.perf_counter()
        for i in range(n):
            conn.execute("INSERT INTO events (uuid, ts, kiosk_id, session_id, station, kind, payload) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (new_uuid(), utc_iso(), "bench", None, "traffic", "traffic.tap", '{"i":%d}' % i))
        rate = n / (time.perf_counter() - t0)  # autocommit: one fsync'd transaction per event
        conn.close()
        return rate


def stats_timings(tmp: Path, runs: int = 5) -> dict[str, float]:
    end = datetime(2026, 11, 25, 16, 30, tzinfo=timezone.utc)
    t0 = time.perf_counter()
    counts = simulate_month(tmp, end=end, days=30, seed=7)
    write_s = time.perf_counter() - t0
    hours = {d: (dtime(10), dtime(18)) for d in WEEKDAYS[1:6]} | {"monday": None, "sunday": None}
    settings = StatsSettings(tz=ZoneInfo("Europe/Paris"), hours=hours, counters=("porte",))
    reader = StoreReader(tmp)
    out = {"events": float(sum(counts.values())), "simulate_s": write_s}
    try:
        stay = reader.query(lambda c: stay_period(c, settings, end))
        for name, period in (("today", today(end, settings.tz)), ("week", this_week(end, settings.tz)), ("stay", stay)):
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                reader.query(lambda c: compute_stats(c, settings, period, end))
                times.append(time.perf_counter() - t)
            out[name] = median(times)
    finally:
        reader.close()
    return out


def main() -> None:
    rates, costs = zip(*(recorder_run(N_EVENTS) for _ in range(RUNS)))
    ceiling = median([executemany_run(N_EVENTS) for _ in range(RUNS)])
    naive = median([naive_run(N_NAIVE) for _ in range(RUNS)])
    rec = median(list(rates))
    print(f"store: Recorder, events written per second to disk (median of {RUNS} x {N_EVENTS}): {rec:,.0f}")
    print(f"store: record() cost on the caller's thread: {median(list(costs)):.1f} us per event")
    print(f"store: peer, one executemany transaction (ceiling): {ceiling:,.0f} events/s "
          f"-> Recorder at {rec / ceiling:.0%} of it")
    print(f"store: peer, one fsync'd commit per event (naive durable logger): {naive:,.0f} events/s "
          f"-> Recorder x{rec / naive:,.0f}")
    with tempfile.TemporaryDirectory() as tmp:
        t = stats_timings(Path(tmp))
    print(f"stats: simulated month: {t['events']:,.0f} events written in {t['simulate_s']:.1f} s")
    print(f"stats: compute_stats median of 5: today {t['today'] * 1000:.0f} ms, this week {t['week'] * 1000:.0f} ms, "
          f"whole stay (30 days) {t['stay'] * 1000:.0f} ms")


if __name__ == "__main__":
    main()

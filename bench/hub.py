"""Hub ingest and kiosk upload figures, against a real `python -m hub serve` on 127.0.0.1.

- events ingested per second: batches of 500 (gzip JSON), one kiosk, then eight kiosks at once;
  peer in the same run: the same rows inserted straight into SQLite (executemany, one
  transaction per 500), i.e. what HTTP + validation + dedup cost on top of the disk;
- time for `kiosk sync --once` to upload a backlog (100,000 events by default, extrapolated
  linearly to a season's 1,000,000; `python -m bench.hub --full` measures the full million);
- resident memory: the hub's peak (VmHWM) and the upload process's peak (ru_maxrss).
"""
from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench.common import median, rss_mb
from eventlog.sqlite import connect
from eventlog.wire import db_path
from eventlog.wire import iter_rows, wire_event
from kiosk.paths import PROJECT_ROOT
from tests.kiosk_logs import fill_kiosk_log
from tests.live_hub import LiveHub

BATCH = 500
RUNS = 3


def _batches(data_dir: Path) -> list[bytes]:
    conn = connect(db_path(data_dir), readonly=True)
    events = [wire_event(row) for row in iter_rows(conn)]
    conn.close()
    return [gzip.compress(json.dumps({"events": events[i:i + BATCH]}).encode(), 6)
            for i in range(0, len(events), BATCH)]


def _post_all(url: str, token: str, bodies: list[bytes]) -> None:
    for body in bodies:
        request = urllib.request.Request(url + "/api/v1/events", data=body, method="POST", headers={
            "Authorization": f"Bearer {token}", "Content-Encoding": "gzip", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            counts = json.loads(answer.read())["counts"]
            assert counts["created"] == BATCH, counts


def _peak_rss_mb(pid: int) -> float:
    return rss_mb(pid, "VmHWM")


def ingest_rates(root: Path, kiosks: int, events_per_kiosk: int) -> list[float]:
    """Events/s for `kiosks` uploading at once, RUNS runs on fresh hubs (pre-built bodies)."""
    rates = []
    for run in range(RUNS):
        with LiveHub(root / f"ingest-{kiosks}-{run}", limits={"rate_per_s": 0.0}) as hub:
            work = []
            for k in range(kiosks):
                name = f"bench-{k}"
                fill_kiosk_log(root / f"log-{kiosks}-{run}-{k}", name, events_per_kiosk, seed=run * 100 + k)
                work.append((hub.add_kiosk(name), _batches(root / f"log-{kiosks}-{run}-{k}")))
            threads = [threading.Thread(target=_post_all, args=(hub.url, token, bodies)) for token, bodies in work]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            rates.append(kiosks * events_per_kiosk / (time.perf_counter() - start))
    return rates


def sqlite_peer_rate(root: Path, events: int) -> list[float]:
    """The floor under the hub: the same rows into SQLite directly, FULL sync, 500 per transaction."""
    data = root / "peer-log"
    fill_kiosk_log(data, "peer", events, seed=7)
    conn = connect(db_path(data), readonly=True)
    rows = [tuple(r)[1:] for r in iter_rows(conn)]
    conn.close()
    rates = []
    for run in range(RUNS):
        target = sqlite3.connect(root / f"peer-{run}.sqlite3", isolation_level=None)
        target.execute("PRAGMA journal_mode = WAL")
        target.execute("PRAGMA synchronous = FULL")
        target.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, uuid TEXT UNIQUE, ts, kiosk_id, session_id, "
                       "station, kind, payload)")
        start = time.perf_counter()
        for i in range(0, len(rows), BATCH):
            target.execute("BEGIN")
            target.executemany("INSERT INTO events (uuid, ts, kiosk_id, session_id, station, kind, payload) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)", rows[i:i + BATCH])
            target.execute("COMMIT")
        rates.append(len(rows) / (time.perf_counter() - start))
        target.close()
    return rates


def backlog_upload(root: Path, events: int) -> tuple[float, float, float]:
    """(seconds for `kiosk sync --once`, hub peak RSS MB, upload process peak RSS MB)."""
    data = root / "backlog"
    fill_kiosk_log(data, "season", events, seed=2026, drawings=200)
    with LiveHub(root / "backlog-hub") as hub:  # default limits: the rate limit is part of the real figure
        venue = root / "venue.toml"
        venue.write_text(f'[kiosk]\nid = "season"\ndata_dir = "{data}"\n[sync]\nhub_url = "{hub.url}"\n'
                         f'token = "{hub.add_kiosk("season")}"\nbatch_size = {BATCH}\n')
        code = "import sys; from kiosk.sync.cli import sync_main; sys.exit(sync_main(sys.argv[1:]))"
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", code, "--config", str(venue), "--once"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env=dict(os.environ, PYTHONPATH=str(PROJECT_ROOT)))
        kiosk_rss = 0.0
        while proc.poll() is None:  # the peak as last seen before exit (VmHWM only grows)
            kiosk_rss = max(kiosk_rss, _peak_rss_mb(proc.pid) if proc.poll() is None else 0.0)
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr.read().decode()[-2000:])
        hub_rss = _peak_rss_mb(hub.proc.pid)
        stored = hub.query("SELECT count(*) FROM events")[0][0]
        assert stored == events, (stored, events)
    return seconds, hub_rss, kiosk_rss


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    full = "--full" in argv
    with tempfile.TemporaryDirectory(prefix="bench-hub-") as tmp:
        root = Path(tmp)
        per_kiosk = 20_000
        one = ingest_rates(root, 1, per_kiosk)
        eight = ingest_rates(root, 8, per_kiosk // 4)
        peer = sqlite_peer_rate(root, per_kiosk)
        print(f"hub ingest, batches of {BATCH}, 1 kiosk:   {median(one):9,.0f} events/s "
              f"(median of {RUNS}; runs {', '.join(f'{r:,.0f}' for r in one)})")
        print(f"hub ingest, batches of {BATCH}, 8 kiosks:  {median(eight):9,.0f} events/s "
              f"(median of {RUNS}; {per_kiosk // 4:,} events per kiosk at once)")
        print(f"peer: raw SQLite executemany, same rows: {median(peer):9,.0f} events/s "
              f"-> the hub reaches {median(one) / median(peer):.0%} (1 kiosk) and "
              f"{median(eight) / median(peer):.0%} (8 kiosks) of the bare disk")
        backlog = 1_000_000 if full else 100_000
        seconds, hub_rss, kiosk_rss = backlog_upload(root, backlog)
        print(f"kiosk sync --once of a {backlog:,}-event backlog (200 drawings, default hub limits): {seconds:.1f} s "
              f"= {backlog / seconds:,.0f} events/s")
        if not full:
            print(f"season backlog of 1,000,000 events: ~{seconds * 10 / 60:.1f} min "
                  "(EXTRAPOLATED linearly from the 100,000 run; `python -m bench.hub --full` measures it)")
        print(f"resident memory, peak: hub {hub_rss:.0f} MB, uploading kiosk process {kiosk_rss:.0f} MB")


if __name__ == "__main__":
    main()

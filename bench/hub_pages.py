"""The public pages on a season-sized hub: latency of /c/{code} and /g/{code}, the index probes
against the full scans they replace, the migration's backfill, and the deduplicated totals.

    python -m bench.hub_pages [--events N]      (default 300,000 events in the hub)
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
import warnings
from pathlib import Path
from statistics import median

from eventlog.shortcode import short_code
from eventlog.sqlite import connect
from eventlog.wire import db_path
from hub import db as hubdb
from hub.config import HubConfig
from hub.ingest import ingest, survey_totals
from tests.kiosk_logs import fill_kiosk_log

RUNS = 5
KIOSK = "bench-kiosk"


def _fill_hub(root: Path, events: int) -> Path:
    """A hub database holding `events` realistic events (survey passes carry run tokens)."""
    kiosk_dir = root / "kiosk"
    fill_kiosk_log(kiosk_dir, KIOSK, events, seed=3)
    hub_db = root / "hub.sqlite3"
    conn = hubdb.open_db(hub_db)
    hubdb.add_kiosk(conn, KIOSK, "Médiathèque du banc d'essai")
    kiosk = connect(db_path(kiosk_dir), readonly=True)
    batch: list[dict] = []
    for uuid, ts, kid, sid, station, kind, payload in kiosk.execute(
            "SELECT uuid, ts, kiosk_id, session_id, station, kind, payload FROM events ORDER BY seq"):
        data = json.loads(payload)
        if kind in ("survey.answer", "survey.complete"):
            data["run"] = sid
        batch.append({"uuid": uuid, "ts": ts, "kiosk_id": kid, "session_id": sid, "station": station,
                      "kind": kind, "payload": data})
        if len(batch) == 1000:
            ingest(conn, batch, kiosk_id=KIOSK)
            batch = []
    ingest(conn, batch, kiosk_id=KIOSK)
    kiosk.close()
    conn.close()
    return hub_db


def _timed(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return median(times)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    events = int(argv[argv.index("--events") + 1]) if "--events" in argv else 300_000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        from starlette.testclient import TestClient
    from hub.app import build_app

    with tempfile.TemporaryDirectory(prefix="bench-hub-pages-") as tmp:
        root = Path(tmp)
        hub_db = _fill_hub(root, events)
        conn = hubdb.open_db(hub_db)
        survey_uuid = conn.execute("SELECT uuid FROM events WHERE kind = 'survey.complete' ORDER BY seq DESC").fetchone()[0]
        wall_uuid = conn.execute("SELECT uuid FROM events WHERE kind = 'wall.message' ORDER BY seq DESC").fetchone()[0]
        conn.execute("INSERT INTO events (uuid, ts, kiosk_id, kind, payload, content_sha, received_at, source) "
                     "VALUES ('approval-x', '2099-01-01T00:00:00.000Z', ?, 'moderation.approved', ?, '', '', 'x')",
                     (KIOSK, json.dumps({"target": wall_uuid})))
        conn.commit()
        code = short_code(survey_uuid)

        config = HubConfig(db_path=hub_db, files_dir=root / "files")   # totals cached 30 s, as served
        with TestClient(build_app(config)) as client:
            survey_s = _timed(lambda: client.get(f"/c/{code}").raise_for_status())
            wall_s = _timed(lambda: client.get(f"/c/{short_code(wall_uuid)}").raise_for_status())
            missing_s = _timed(lambda: client.get("/c/23456789AB"))
        probe_s = _timed(lambda: conn.execute("SELECT seq FROM events WHERE short_code = ? AND kind IN "
                                              "('survey.complete', 'wall.message')", (code,)).fetchall(), 20)
        # the peer: finding the event without the column, computing every candidate's code in Python
        scan_s = _timed(lambda: next(u for (u,) in conn.execute(
            "SELECT uuid FROM events WHERE kind IN ('survey.complete', 'wall.message')") if short_code(u) == code), 3)
        totals_s = _timed(lambda: survey_totals(conn), 3)
        old_totals_s = _timed(lambda: conn.execute(
            "SELECT json_extract(e.payload, '$.question'), c.value, count(*) FROM events AS e, "
            "json_each(e.payload, '$.choices') AS c WHERE e.kind = 'survey.answer' GROUP BY 1, 2").fetchall(), 3)
        # the migration's backfill, on the same rows
        conn.execute("UPDATE events SET short_code = NULL")
        conn.execute("DELETE FROM schema_migrations WHERE name = '006_short_codes'")
        for index in ("events_short_code", "events_survey_run", "events_survey_session", "events_moderation_target",
                      "events_group_id"):
            conn.execute(f"DROP INDEX {index}")
        conn.execute("ALTER TABLE events DROP COLUMN short_code")
        conn.commit()
        start = time.perf_counter()
        hubdb.migrate(conn)
        migrate_s = time.perf_counter() - start
        coded = conn.execute("SELECT count(*) FROM events WHERE short_code IS NOT NULL").fetchone()[0]
        conn.close()

    print(f"hub holding {events:,} events (one kiosk, fill_kiosk_log realistic mix); medians of {RUNS} runs")
    print(f"GET /c/<survey code> (answers, totals cached 30 s, TestClient): {survey_s * 1000:7.2f} ms")
    print(f"GET /c/<approved wall code>:                                {wall_s * 1000:7.2f} ms")
    print(f"GET /c/<unknown code> (404 page):                           {missing_s * 1000:7.2f} ms")
    print(f"code look-up: index probe {probe_s * 1e6:,.0f} us vs scan computing every code {scan_s * 1000:,.1f} ms "
          f"(x{scan_s / probe_s:,.0f})")
    print(f"GET /api/v1/totals query, latest answer per pass: {totals_s * 1000:,.0f} ms "
          f"(peer: the former count of every answer {old_totals_s * 1000:,.0f} ms, x{totals_s / old_totals_s:.1f})")
    print(f"migration 006 (column, backfill of {coded:,} coded events, 5 indexes): {migrate_s:.2f} s")


if __name__ == "__main__":
    main()

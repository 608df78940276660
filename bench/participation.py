"""Participatory stations: short codes, the survey's log queries, the wall's pre-check and moderation
queries, the drawing's PNG. Figures are medians of several runs; peers are measured in the same run
(scalar vs vectorised short codes; the survey query vs a plain count without "latest per run").
Run alone with: python -m bench participation"""
from __future__ import annotations

import json
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from bench.common import median, timings
from eventlog.sqlite import connect
from eventlog.stamps import new_uuid
from kiosk.store.migrations import migrate


def _fill_log(path: Path, answers: int, messages: int, seed: int = 7) -> None:
    from stations.survey.demo import demo_answers
    from stations.survey.model import load_survey

    rng = np.random.default_rng(seed)
    questions = load_survey("survey.toml")
    conn = connect(path)
    migrate(conn)
    start = datetime(2026, 10, 17, 9, tzinfo=timezone.utc)
    rows = []
    runs = 0
    while len(rows) < answers:
        runs += 1
        t = start + timedelta(seconds=float(rng.uniform(0, 40 * 86400)))
        for q, choices in demo_answers(questions, rng):
            rows.append((new_uuid(), t.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "bench", None, "survey", "survey.answer",
                         json.dumps({"question": q, "choices": choices, "run": f"r{runs}"})))
    uuids = []
    for i in range(messages):
        u = new_uuid()
        uuids.append(u)
        rows.append((u, "2026-11-20T10:00:00.000Z", "bench", None, "wall", "wall.message",
                     json.dumps({"question": "others", "text": f"message {i}", "flags": []})))
        if i % 3:
            kind = "moderation.approved" if i % 5 else "moderation.rejected"
            rows.append((new_uuid(), "2026-11-21T10:00:00.000Z", "bench", None, "wall", kind, json.dumps({"target": u})))
    with conn:
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO events (uuid, ts, kiosk_id, session_id, station, kind, payload) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.close()


NAIVE_SQL = """SELECT json_extract(e.payload, '$.question'), c.value, COUNT(*)
FROM events e, json_each(e.payload, '$.choices') c WHERE e.kind = 'survey.answer' AND e.ts >= ? GROUP BY 1, 2"""



def bench_short_codes() -> None:
    from eventlog.shortcode import short_code
    from tests.participation.many_codes import short_codes

    uuids = [new_uuid() for _ in range(20000)]
    scalar = median(timings(lambda: [short_code(u) for u in uuids], 5, warmup=1)) / len(uuids)
    rng = np.random.default_rng(1)
    n = 1_000_000
    hi = rng.integers(0, 2**63, n, dtype=np.uint64)
    lo = rng.integers(0, 2**63, n, dtype=np.uint64)
    vector = median(timings(lambda: short_codes(hi, lo), 5, warmup=1)) / n
    print(f"short codes: scalar {scalar * 1e6:.2f} µs/code, numpy {vector * 1e9:.0f} ns/code "
          f"(x{scalar / vector:.0f}); 1e6 codes in {vector * n:.2f} s")


def bench_queries() -> None:
    from stations.survey.tally import Periods, snapshot, tally_answers
    from stations.wall.model import approved_contributions, moderation_counts, pending_contributions

    for answers, messages in ((10_000, 500), (100_000, 3_000)):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "events.sqlite3"
            _fill_log(path, answers, messages)
            conn = connect(path, readonly=True)
            periods = Periods(today="2026-11-25T00:00:00.000Z", opened="2026-10-16T22:00:00.000Z")
            snap = median(timings(lambda: snapshot(conn, periods, "r1"), 5))
            today = median(timings(lambda: tally_answers(conn, periods.today), 5))
            latest = median(timings(lambda: tally_answers(conn, periods.opened), 5))
            naive = median(timings(lambda: conn.execute(NAIVE_SQL, (periods.opened,)).fetchall(), 5))
            approved = median(timings(lambda: approved_contributions(conn, 40), 5))
            queue = median(timings(lambda: (pending_contributions(conn), moderation_counts(conn)), 5))
            conn.close()
        print(f"log of {answers} answers + {messages} messages: survey snapshot (both periods) {snap * 1e3:.0f} ms, "
              f"today alone {today * 1e3:.0f} ms; "
              f"since opening {latest * 1e3:.0f} ms (latest answer per run) vs {naive * 1e3:.0f} ms for a plain count "
              f"without that dedup (x{latest / naive:.1f}); "
              f"wall approved(40) {approved * 1e3:.1f} ms; moderation queue {queue * 1e3:.0f} ms")


def bench_precheck() -> None:
    from stations.wall.precheck import default_precheck

    check = default_precheck()
    rng = np.random.default_rng(3)
    words = "le bus tram vélo métro ville foule rue gens matin soir quartier trajet école travail connard 0612345678".split()
    texts = [" ".join(rng.choice(words, 45)) [:280] for _ in range(500)]
    per = median(timings(lambda: [check.flags(t) for t in texts], 5)) / len(texts)
    print(f"pre-check: {per * 1e6:.0f} µs per 280-character message ({len(check.entries)} list entries)")


def bench_drawing() -> None:
    import pygame

    from stations.wall.drawing import Drawing
    from stations.wall.drawing_view import png_bytes, render_drawing, save_drawing_then

    pygame.init()
    d = Drawing(width=1400, height=720)
    rng = np.random.default_rng(5)
    for _ in range(40):
        d.tool = int(rng.integers(0, len(d.palette)))
        d.begin(*rng.uniform(0, 700, 2))
        for _ in range(100):
            d.extend(float(rng.uniform(0, 1400)), float(rng.uniform(0, 720)))
        d.end()
    surface = render_drawing(d)
    render = median(timings(lambda: render_drawing(d), 5, warmup=1))
    encode = median(timings(lambda: png_bytes(surface), 5, warmup=1))
    pixels = median(timings(lambda: pygame.image.tobytes(surface, "RGB"), 5, warmup=1))
    gaps = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(5):
            d.begin(float(k), 0.0)           # a new drawing each time: a new file to write
            d.extend(float(k) + 50, 50.0)
            d.end()
            done = threading.Event()
            save_drawing_then(render_drawing(d), tmp, lambda sha: done.set())
            worst, last = 0.0, time.perf_counter()
            while not done.is_set():         # what a 1 ms frame loop would see meanwhile
                time.sleep(0.001)
                now = time.perf_counter()
                worst, last = max(worst, now - last), now
            gaps.append(worst)
    print(f"drawing of {d.point_count} points: PNG encode {encode * 1e3:.1f} ms ({len(png_bytes(surface)) / 1024:.0f} KiB) "
          f"on a worker; the frame loop copies the pixels ({pixels * 1e3:.1f} ms) and its longest wait while the "
          f"worker encodes and writes is {median(gaps) * 1e3:.1f} ms (median of 5); a full re-render would add "
          f"{render * 1e3:.1f} ms (spared: the on-screen paper is drawn incrementally)")


def main() -> None:
    t0 = time.perf_counter()
    bench_short_codes()
    bench_queries()
    bench_precheck()
    bench_drawing()
    print(f"(participation benchmarks: {time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()

"""A visitor's page while the hub is flooded, against a real `hub serve`: by bad tokens, and by kiosks'
writes.

Bad tokens: three hubs, the same database content and the same visitor: a quiet hub (baseline), a
flooded hub with its per-address limits turned off (what the hub did before them), and a flooded hub
with its default limits. Each flooding client is a process of its own sending bad-token uploads at RATE
per second over one keep-alive connection from its own address (X-Forwarded-For through the trusted
local proxy, as behind nginx), the same offered load for both flooded hubs.
Writes: WRITERS registered kiosks, each a process, upload batches of BATCH new events (gzip, as `kiosk
sync` does) back to back, as fast as the hub acknowledges them: the database's one writer is busy the
whole time, which is what public reads must not wait for.
Meanwhile the visitor opens the page of a survey visit PAGES times (a new address every 50 pages, as
many phones). Prints the page's median, 95th percentile and worst time, and how the flood was answered.
"""
from __future__ import annotations

import gzip
import http.client
import json
import multiprocessing
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.common import median, percentile
from eventlog.shortcode import short_code
from tests.hub.conftest import event
from tests.live_hub import LiveHub

FLOODERS, RATE, PAGES = 8, 150, 400
WRITERS, BATCH, BATCHES = 4, 500, 12
OFF = {"public_rate_per_s": 0.0, "auth_failure_rate_per_s": 0.0}


def _page_times(hub: LiveHub, code: str, net: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=60)
    times = []
    for i in range(PAGES):
        start = time.perf_counter()
        conn.request("GET", f"/c/{code}", headers={"X-Forwarded-For": f"10.{net}.0.{i // 50}"})
        answer = conn.getresponse()
        answer.read()
        assert answer.status == 200, answer.status
        times.append(time.perf_counter() - start)
    conn.close()
    return times


def _flood(port: int, n: int, seconds: float, answers) -> None:
    """One flooding client (a process): bad tokens at RATE per second for `seconds`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    counts: Counter = Counter()
    start = time.perf_counter()
    i = 0
    while (elapsed := time.perf_counter() - start) < seconds:
        if elapsed < i / RATE:
            time.sleep(i / RATE - elapsed)
        conn.request("POST", "/api/v1/events", body=b"{}", headers={
            "Authorization": f"Bearer guess-{n}-{i}", "X-Forwarded-For": f"192.0.2.{n}"})
        answer = conn.getresponse()
        answer.read()
        counts[answer.status] += 1
        i += 1
    conn.close()
    answers.put(dict(counts))


def _batches(kiosk: str) -> list[bytes]:
    """BATCHES gzip bodies of BATCH new events each, made before the clock starts."""
    kinds = [("session.start", {}), ("survey.answer", {"question": "came_by", "choices": ["bike"], "run": "r"}),
             ("station.enter", {})]
    return [gzip.compress(json.dumps({"events": [event(*kinds[i % 3], kiosk_id=kiosk, minutes_ago=30)
                                                 for i in range(BATCH)]}).encode()) for _ in range(BATCHES)]


def _write(port: int, kiosk: str, token: str, seconds: float, answers, ready, go) -> None:
    """One kiosk (a process) uploading its batches back to back for `seconds` from `go` (sent again once
    all went: then they are duplicates, which take the write lock all the same)."""
    batches = _batches(kiosk)
    ready.put(kiosk)
    go.wait()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    counts: Counter = Counter()
    start, i = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        conn.request("POST", "/api/v1/events", body=batches[i % len(batches)], headers={
            "Authorization": f"Bearer {token}", "Content-Encoding": "gzip", "Content-Type": "application/json"})
        answer = conn.getresponse()
        body = answer.read()
        counts.update(json.loads(body)["counts"] if answer.status == 200 else {f"http {answer.status}": 1})
        i += 1
    conn.close()
    answers.put(dict(counts))


def run(root: Path, name: str, limits: dict, flooded: bool, writes: bool = False) -> None:
    with LiveHub(root / name, limits={"rate_per_s": 0.0, **limits}) as hub:
        token = hub.add_kiosk("bench-kiosk")
        writers = {f"bench-writer-{n}": hub.add_kiosk(f"bench-writer-{n}") for n in range(WRITERS)} if writes else {}
        answer = event("survey.answer", {"question": "came_by", "choices": ["bike"], "run": "r"}, kiosk_id="bench-kiosk")
        done = event("survey.complete", {"answered": 1, "run": "r"}, kiosk_id="bench-kiosk")
        assert hub.post_events(token, [answer, done])[0] == 200
        code = short_code(done["uuid"])
        # warm-up (the first pages load Django's templates); the flood lasts until the visitor is done
        seconds = 1.5 * sum(_page_times(hub, code, 1))
        queue = multiprocessing.Queue()
        flooders = [multiprocessing.Process(target=_flood, args=(hub.port, n, seconds, queue))
                    for n in range(FLOODERS)] if flooded else []
        ready, go = multiprocessing.Queue(), multiprocessing.Event()
        flooders += [multiprocessing.Process(target=_write, args=(hub.port, kiosk, writer_token, seconds, queue,
                                                                  ready, go))
                     for kiosk, writer_token in writers.items()]
        for process in flooders:
            process.start()
        for _ in writers:           # their batches made, the writers start together with the visitor
            ready.get(timeout=300)
        go.set()
        times = _page_times(hub, code, 2)
        answers: Counter = Counter()
        for _ in flooders:
            answers.update(queue.get(timeout=120))
        for process in flooders:
            process.join()
        rate = sum(answers.values()) / seconds if flooders else 0
    flood = (f"; {'events' if writes else 'flood requests'} answered {rate:,.0f}/s, "
             + ", ".join(f"{status}: {count}" for status, count in sorted(answers.items()))) if flooders else ""
    print(f"  {name:<28} page p50 {median(times) * 1e3:6.1f} ms  p95 {percentile(times, 95) * 1e3:6.1f} ms  "
          f"worst {max(times) * 1e3:6.1f} ms{flood}", flush=True)


def main() -> None:
    print(f"public page while {FLOODERS} clients send {RATE} bad-token uploads a second each ({PAGES} pages):")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        run(root, "quiet", {}, flooded=False)
        run(root, "flooded, limits off", OFF, flooded=True)
        run(root, "flooded, default limits", {}, flooded=True)
    print(f"public page while {WRITERS} kiosks upload batches of {BATCH} events back to back ({PAGES} pages):")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        run(root, "quiet", {}, flooded=False)
        run(root, "kiosks writing", {}, flooded=False, writes=True)


if __name__ == "__main__":
    main()

"""A visitor's page while eight clients flood the hub with bad tokens, against a real `hub serve`.

Three hubs, the same database content and the same visitor: a quiet hub (baseline), a flooded hub
with its per-address limits turned off (what the hub did before them), and a flooded hub with its
default limits. Each flooding client is a process of its own sending bad-token uploads at RATE per
second over one keep-alive connection from its own address (X-Forwarded-For through the trusted local
proxy, as behind nginx), the same offered load for both flooded hubs; meanwhile the visitor opens the
page of a survey visit PAGES times (a new address every 50 pages, as many phones). Prints the page's
median, 95th percentile and worst time, and how the flood was answered.
"""
from __future__ import annotations

import http.client
import tempfile
import multiprocessing
import time
from collections import Counter
from pathlib import Path

from bench.common import median, percentile
from eventlog.shortcode import short_code
from tests.hub.conftest import event
from tests.live_hub import LiveHub

FLOODERS, RATE, PAGES = 8, 150, 400
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


def run(root: Path, name: str, limits: dict, flooded: bool) -> None:
    with LiveHub(root / name, limits={"rate_per_s": 0.0, **limits}) as hub:
        token = hub.add_kiosk("bench-kiosk")
        answer = event("survey.answer", {"question": "came_by", "choices": ["bike"], "run": "r"}, kiosk_id="bench-kiosk")
        done = event("survey.complete", {"answered": 1, "run": "r"}, kiosk_id="bench-kiosk")
        assert hub.post_events(token, [answer, done])[0] == 200
        code = short_code(done["uuid"])
        # warm-up (the first pages load Django's templates); the flood lasts until the visitor is done
        seconds = 1.5 * sum(_page_times(hub, code, 1))
        queue = multiprocessing.Queue()
        flooders = [multiprocessing.Process(target=_flood, args=(hub.port, n, seconds, queue))
                    for n in range(FLOODERS)] if flooded else []
        for process in flooders:
            process.start()
        times = _page_times(hub, code, 2)
        answers: Counter = Counter()
        for _ in flooders:
            answers.update(queue.get(timeout=120))
        for process in flooders:
            process.join()
        rate = sum(answers.values()) / seconds if flooded else 0
    flood = (f"; flood {rate:,.0f} req/s answered "
             + ", ".join(f"{status}: {count}" for status, count in sorted(answers.items()))) if flooded else ""
    print(f"  {name:<28} page p50 {median(times) * 1e3:6.1f} ms  p95 {percentile(times, 95) * 1e3:6.1f} ms  "
          f"worst {max(times) * 1e3:6.1f} ms{flood}", flush=True)


def main() -> None:
    print(f"public page while {FLOODERS} clients send {RATE} bad-token uploads a second each ({PAGES} pages):")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        run(root, "quiet", {}, flooded=False)
        run(root, "flooded, limits off", OFF, flooded=True)
        run(root, "flooded, default limits", {}, flooded=True)


if __name__ == "__main__":
    main()

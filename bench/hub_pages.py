"""The website on the demo season (`hub serve --demo`): time to first byte of its pages, requests per
second with 8 concurrent clients (SQLite, one worker; PostgreSQL, two workers), page weight, and the
ingest through the Starlette route against the same work in a Django view (why the API stays Starlette).

    python -m bench.hub_pages            (make bench ARGS=hub_pages)

PostgreSQL is measured when the role of `make postgres-test-db` answers on 127.0.0.1 (QSEC_BENCH_POSTGRES
overrides the address of the server's maintenance database); otherwise it says so.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from statistics import median, quantiles
from urllib.parse import urlsplit

from tests.live_hub import LiveHub, free_port

PAGES = {"home": "/", "agenda": "/agenda/", "venue": "/lieux/mediatheque-bobigny/"}
TTFB_RUNS = 60
CLIENTS = 8
LOAD_S = 6.0
POSTGRES_ADMIN = os.environ.get("QSEC_BENCH_POSTGRES",
                                "postgresql://qsec_hub_test:qsec_hub_test@127.0.0.1:5432/qsec_hub_test")


class Server:
    """`hub serve` in a subprocess; `demo=True` makes the season (and syncs its kiosks) first."""

    def __init__(self, data_dir: Path, *, demo: bool, config: Path | None = None, workers: int = 1):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "hub", "serve", "--port", str(self.port), "--data-dir", str(data_dir)]
        args += ["--demo"] if demo else ["--workers", str(workers)]
        args += ["--config", str(config)] if config else []
        self.lines: list[str] = []
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env=LiveHub(data_dir / "unused").env())
        threading.Thread(target=lambda: [self.lines.append(line) for line in self.proc.stdout], daemon=True).start()

    def wait_for(self, marker: str | None, timeout: float = 900.0) -> "Server":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("hub exited:\n" + "".join(self.lines[-30:]))
            if marker is None:
                try:
                    if get(self.url, "/api/v1/health")[0] == 200:
                        return self
                except OSError:
                    pass
            elif any(marker in line for line in self.lines):
                return self
            time.sleep(0.2)
        raise RuntimeError("hub did not come up:\n" + "".join(self.lines[-30:]))

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def get(base: str, path: str, conn: http.client.HTTPConnection | None = None) -> tuple[int, bytes, float]:
    """(status, body, seconds to the first byte: the status line and headers read)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(urlsplit(base).hostname, urlsplit(base).port, timeout=30)
    start = time.perf_counter()
    conn.request("GET", path, headers={"Accept-Language": "fr"})
    answer = conn.getresponse()
    first_byte = time.perf_counter() - start
    body = answer.read()
    if own:
        conn.close()
    return answer.status, body, first_byte


def ttfb(base: str) -> dict[str, tuple[float, float]]:
    conn = http.client.HTTPConnection(urlsplit(base).hostname, urlsplit(base).port, timeout=30)
    results = {}
    for name, path in PAGES.items():
        get(base, path, conn)                   # warm: the totals' 30 s cache, the templates
        times = sorted(get(base, path, conn)[2] for _ in range(TTFB_RUNS))
        results[name] = (median(times) * 1000, quantiles(times, n=10)[-1] * 1000)
    conn.close()
    return results


def load(base: str, seconds: float = LOAD_S) -> tuple[float, int]:
    """Requests per second that CLIENTS clients, each on its own kept-alive connection, get through
    the three pages in turn; and how many answers were not 200."""
    stop = time.monotonic() + seconds
    counts = [0] * CLIENTS
    bad = [0] * CLIENTS

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(urlsplit(base).hostname, urlsplit(base).port, timeout=60)
        paths = list(PAGES.values())
        n = i
        while time.monotonic() < stop:
            status, _, _ = get(base, paths[n % len(paths)], conn)
            counts[i] += 1
            bad[i] += status != 200
            n += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - start), sum(bad)


def weight(base: str, path: str) -> tuple[int, list[str], list[str]]:
    """Bytes of the page and of what it loads except images; the addresses it loads from elsewhere."""
    _, body, _ = get(base, path)
    html = body.decode()
    loads = re.findall(r'<(?:link|script)[^>]+(?:href|src)="([^"]+)"', html)
    images = re.findall(r'<img[^>]+src="([^"]+)"', html)
    foreign = [u for u in loads + images if urlsplit(u).netloc]
    total = len(body) + sum(len(get(base, u)[1]) for u in loads if not urlsplit(u).netloc)
    return total, foreign, images


def postgres_database() -> str | None:
    """A fresh database for the bench on the test role's server, or None when there is none."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute("DROP DATABASE IF EXISTS qsec_hub_bench")
            conn.execute("CREATE DATABASE qsec_hub_bench")
    except Exception as exc:   # no server, no role: said, not measured
        print(f"PostgreSQL: not measured ({str(exc).splitlines()[0][:120]}); `make postgres-test-db` makes the role")
        return None
    return POSTGRES_ADMIN.rsplit("/", 1)[0] + "/qsec_hub_bench"


# Every bench client comes from 127.0.0.1, where visitors come from many addresses: the per-address limit
# for public pages (which would answer most of the load with 429) is off, to measure the site itself.
NO_PAGE_LIMIT = "[limits]\npublic_rate_per_s = 0\n"


def measure_site(root: Path) -> None:
    (root / "sqlite.toml").write_text(NO_PAGE_LIMIT)
    demo = Server(root / "sqlite", demo=True, config=root / "sqlite.toml").wait_for("kiosk data synced")
    try:
        print(f"demo season on SQLite ({demo.url}); TTFB over {TTFB_RUNS} requests on one kept-alive connection:")
        for name, (p50, p90) in ttfb(demo.url).items():
            print(f"  {name:<8} {PAGES[name]:<30} p50 {p50:6.1f} ms   p90 {p90:6.1f} ms")
        rate, bad = load(demo.url)
        print(f"  {CLIENTS} concurrent clients, 1 worker (SQLite): {rate:,.0f} requests/s ({bad} not 200)")
        for name, path in PAGES.items():
            total, foreign, images = weight(demo.url, path)
            print(f"  weight of {name}: {total / 1024:.1f} KB without its {len(images)} images; "
                  f"requests to other hosts: {foreign or 'none'}")
    finally:
        demo.stop()
    url = postgres_database()
    if url is None:
        return
    config = root / "pg.toml"
    config.write_text(f'[hub]\ndatabase = "{url}"\n' + NO_PAGE_LIMIT)
    demo = Server(root / "pg", demo=True, config=config).wait_for("kiosk data synced")
    demo.stop()
    served = Server(root / "pg", demo=False, config=config, workers=2).wait_for(None)
    try:
        for name, (p50, p90) in ttfb(served.url).items():
            print(f"  PostgreSQL {name:<8} p50 {p50:6.1f} ms   p90 {p90:6.1f} ms")
        rate, bad = load(served.url)
        print(f"  {CLIENTS} concurrent clients, 2 workers (PostgreSQL): {rate:,.0f} requests/s ({bad} not 200)")
    finally:
        served.stop()


# -- the ingest: Starlette route or Django view ---------------------------------------------------
def measure_ingest_routes(root: Path, batches: int = 30, size: int = 500) -> None:
    """The same batches (gzip JSON, 500 events) through the API's Starlette route and through a Django
    view doing the same work (token, body, verdicts), in one process on one SQLite database."""
    import gzip
    import warnings
    from datetime import datetime, timedelta, timezone

    from hub.app import build_app, start_django

    start_django(None, data_dir=root / "routes")
    from django.http import JsonResponse
    from django.urls import clear_url_caches, path
    from django.views.decorators.csrf import csrf_exempt

    from eventlog.stamps import new_uuid
    from hub import db as hubdb
    from hub.ingest import count_verdicts, ingest
    from hub.site import urls
    from hub.validate import BodyError, decode_body, events_of

    @csrf_exempt
    def django_events(request):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        row = hubdb.kiosk_for_token(hubdb.Db(), token.strip())
        if row is None:
            return JsonResponse({"error": "unknown token"}, status=401)
        try:
            events = events_of(decode_body(request.body, request.headers.get("Content-Encoding", ""), 5 << 20), 1000)
        except BodyError as exc:
            return JsonResponse({"error": exc.reason}, status=exc.status)
        results = ingest(hubdb.Db(), events, kiosk_id=row[0])
        return JsonResponse({"results": results, "counts": count_verdicts(results)})

    urls.urlpatterns.insert(0, path("bench/events", django_events))
    clear_url_caches()
    tokens = {name: hubdb.add_kiosk(name, "banc d'essai") for name in ("via-starlette", "via-django")}

    def batch(kiosk: str, n: int) -> bytes:
        when = datetime.now(timezone.utc) - timedelta(days=1)
        events = []
        for i in range(size):
            moment = when + timedelta(seconds=n * size + i)
            events.append({"uuid": new_uuid(int(moment.timestamp() * 1000)), "kiosk_id": kiosk, "session_id": None,
                           "ts": moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z",
                           "station": None, "kind": "footfall.minute",
                           "payload": {"sensor": "porte", "minute": moment.strftime("%Y-%m-%dT%H:%M"), "in": 3,
                                       "out": 2}})
        return gzip.compress(json.dumps({"events": events}).encode())

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    bodies = {name: [batch(name, n) for n in range(batches)] for name in tokens}
    seconds = {name: [] for name in tokens}
    with TestClient(build_app()) as client:
        for n in range(batches):       # interleaved, so that both meet the same machine
            for name, route in (("via-starlette", "/api/v1/events"), ("via-django", "/bench/events")):
                headers = {"Authorization": f"Bearer {tokens[name]}", "Content-Encoding": "gzip"}
                start = time.perf_counter()
                answer = client.post(route, content=bodies[name][n], headers=headers)
                seconds[name].append(time.perf_counter() - start)
                assert answer.status_code == 200 and answer.json()["counts"]["created"] == size, answer.text[:200]
    rates = {name: size / median(times) for name, times in seconds.items()}
    print(f"ingest, {batches} batches of {size} through one process (median per batch, same database):")
    for name, rate in rates.items():
        print(f"  {name:<14} {rate:9,.0f} events/s   ({median(seconds[name]) * 1000:.1f} ms a batch)")
    print(f"  Starlette / Django: x{rates['via-starlette'] / rates['via-django']:.2f}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-hub-pages-") as tmp:
        root = Path(tmp)
        measure_site(root)
        measure_ingest_routes(root)
    print("(the ingest through a real `hub serve` process: make bench ARGS=hub)")


if __name__ == "__main__":
    main()

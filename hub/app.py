"""The hub's HTTP API: a Starlette ASGI app, run by uvicorn (`serve` below, called by `hub serve`).

All SQLite work runs off the event loop: writes on one writer thread (SQLite has one writer anyway,
and it keeps batches in arrival order), reads on one reader thread with its own WAL connection.
"""
from __future__ import annotations

import contextlib
import json
import math
import sqlite3
import time
from functools import partial
from pathlib import Path
from typing import Any, Callable

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from eventlog.sqlite import ConnectionWorker
from eventlog.wire import SHA256_RE
from hub import db as hubdb
from hub.config import HubConfig
from hub.ingest import count_verdicts, ingest, store_file, survey_totals
from hub.public import PublicPages, not_found
from hub.validate import BodyError, decode_body, events_of

OPENAPI_PATH = Path(__file__).with_name("openapi.json")
MAX_TOKEN_CHARS = 256
TOKEN_CACHE_S = 60.0


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    # ensure_ascii: nothing a client sent can make the answer unencodable
    body = json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    return Response(body, status_code=status, headers=headers, media_type="application/json")


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return json_response({"error": message}, status, headers)


class RateLimiter:
    """A token bucket per kiosk: `rate` requests per second sustained, `burst` at once."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def retry_after(self, key: str) -> int:
        """0 when the request may go ahead (and is counted), else whole seconds to wait."""
        if self.rate <= 0:
            return 0
        now = self.clock()
        tokens, last = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            return 0
        self._buckets[key] = (tokens, now)
        return max(1, math.ceil((1.0 - tokens) / self.rate))


class Hub:
    def __init__(self, config: HubConfig):
        self.config = config
        self.writer: ConnectionWorker
        self.reader: ConnectionWorker
        self.limiter = RateLimiter(config.rate_per_s, config.rate_burst)
        self._tokens: dict[str, tuple[tuple[str, str], float]] = {}
        self._totals: tuple[float, dict] | None = None

    def open(self) -> None:
        """At start-up (lifespan), so a test client can start and stop the app many times."""
        open_db = partial(hubdb.open_db, self.config.db_path)
        self.writer = ConnectionWorker(open_db, "hub-writer", eager=True)
        self.reader = ConnectionWorker(open_db, "hub-reader", eager=True)

    def close(self) -> None:
        self.writer.close()
        self.reader.close()

    async def authenticate(self, request: Request) -> tuple[str, str] | Response:
        """(kiosk name, venue), or the 401/429 response to send."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_CHARS:
            return error(401, "missing or malformed bearer token", {"WWW-Authenticate": "Bearer"})
        cached = self._tokens.get(token)
        if cached is not None and cached[1] > time.monotonic():
            kiosk = cached[0]
        else:  # a rotated token stops working within TOKEN_CACHE_S
            row = await self.reader.run(lambda conn: hubdb.kiosk_for_token(conn, token))
            if row is None:
                self._tokens.pop(token, None)
                return error(401, "unknown token", {"WWW-Authenticate": "Bearer"})
            kiosk = (row["name"], row["venue"])
            self._tokens[token] = (kiosk, time.monotonic() + TOKEN_CACHE_S)
        wait = self.limiter.retry_after(kiosk[0])
        if wait:
            return error(429, "too many requests from this kiosk", {"Retry-After": str(wait)})
        return kiosk

    async def read_body(self, request: Request, limit: int) -> bytes:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise BodyError(413, f"body larger than {limit} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise BodyError(413, f"body larger than {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    # -- endpoints ---------------------------------------------------------------------------
    async def post_events(self, request: Request) -> Response:
        kiosk = await self.authenticate(request)
        if isinstance(kiosk, Response):
            return kiosk
        limit = self.config.max_body_bytes
        try:
            raw = await self.read_body(request, limit)
            # inflating and parsing 5 MB takes tens of ms: off the event loop, like the database work
            body = await run_in_threadpool(decode_body, raw, request.headers.get("content-encoding", ""), limit)
            events = events_of(body, self.config.max_events)
        except BodyError as exc:
            return error(exc.status, exc.reason)
        foreign = next((e["kiosk_id"] for e in events if isinstance(e, dict) and isinstance(e.get("kiosk_id"), str)
                        and e["kiosk_id"] != kiosk[0]), None)
        if foreign is not None:
            # Refuse the whole batch rather than call the events invalid: a kiosk id typed differently
            # in the venue file and in `hub add-kiosk` must stop the upload with an alert, not have a
            # month of events acknowledged as refused.
            return error(403, f"this token belongs to kiosk {kiosk[0]!r}; the batch holds events of "
                              f"kiosk {ascii(foreign)[:140]}")
        results = await self.writer.run(lambda conn: ingest(conn, events, kiosk_id=kiosk[0]))
        return json_response({"results": results, "counts": count_verdicts(results)})

    async def put_file(self, request: Request) -> Response:
        kiosk = await self.authenticate(request)
        if isinstance(kiosk, Response):
            return kiosk
        sha256 = request.path_params["sha256"]
        if not SHA256_RE.fullmatch(sha256):
            return error(400, "the file name must be its sha256 in 64 lower-case hex digits")
        try:
            data = await self.read_body(request, self.config.max_file_bytes)
        except BodyError as exc:
            return error(exc.status, exc.reason)
        try:
            status = await self.writer.run(
                lambda conn: store_file(conn, self.config.files_dir, sha256, data, kiosk_id=kiosk[0]))
        except ValueError as exc:
            return error(400, str(exc))
        return json_response({"sha256": sha256, "status": status}, 201 if status == "created" else 200)

    async def cached_totals(self) -> dict:
        # Cached: every kiosk fetches totals on every sync, every survey page shows them, and they move slowly.
        if self._totals is None or time.monotonic() - self._totals[0] > self.config.totals_cache_s:
            self._totals = (time.monotonic(), await self.reader.run(survey_totals))
        return self._totals[1]

    async def get_totals(self, request: Request) -> Response:
        kiosk = await self.authenticate(request)
        if isinstance(kiosk, Response):
            return kiosk
        return json_response(await self.cached_totals())

    async def health(self, request: Request) -> Response:
        return json_response({"status": "ok"})

    async def openapi(self, request: Request) -> Response:
        return Response(OPENAPI_PATH.read_bytes(), media_type="application/json")


async def _busy(request: Request, exc: Exception) -> Response:
    # The database is locked or the disk full: the kiosk should simply come back later.
    return error(503, "storage busy, try again later", {"Retry-After": "5"})


async def _not_found(request: Request, exc: Exception) -> Response:
    # A mistyped QR address (/c/, /g/x/y) gets the friendly page; the API keeps its plain answer.
    path = request.url.path
    if path in ("/c", "/g") or path.startswith(("/c/", "/g/")):
        return not_found()
    return Response("Not Found", status_code=404, media_type="text/plain")


def build_app(config: HubConfig) -> Starlette:
    hub = Hub(config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        hub.open()
        try:
            yield
        finally:
            hub.close()

    public = PublicPages(hub)
    routes = [
        Route("/c/{code}", public.contribution, methods=["GET"]),
        Route("/c/{code}/drawing.png", public.drawing, methods=["GET"]),
        Route("/g/{code}", public.group, methods=["GET"]),
        Route("/api/v1/events", hub.post_events, methods=["POST"]),
        Route("/api/v1/files/{sha256}", hub.put_file, methods=["PUT"]),
        Route("/api/v1/totals", hub.get_totals, methods=["GET"]),
        Route("/api/v1/health", hub.health, methods=["GET"]),
        Route("/api/v1/openapi.json", hub.openapi, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={sqlite3.OperationalError: _busy, 404: _not_found})
    app.state.hub = hub
    return app


def serve(app: Any, config: HubConfig, *, log_level: str = "warning") -> None:
    """Run an ASGI app on config's host and port as `hub serve` runs the hub (tests wrap the real app
    and serve it the same way)."""
    # One process: the rate limiter lives in memory and SQLite has one writer anyway.
    # proxy_headers: behind the TLS reverse proxy, client addresses come from X-Forwarded-For.
    uvicorn.run(app, host=config.host, port=config.port, log_level=log_level, proxy_headers=True,
                forwarded_allow_ips="127.0.0.1", timeout_keep_alive=15, limit_concurrency=256, server_header=False)

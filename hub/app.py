"""The hub as one ASGI app (run by uvicorn, see hub/__main__.py): the kiosks' ingest API in Starlette,
and everything else — the website, its back office and the content feeds — in Django, mounted beside it.
Both use the one settings file (hub/site/settings.py) and its one database.

Why the ingest stays Starlette: its routes parse their own bodies (gzip with a size cap, per-event
verdicts) and need none of Django's request machinery; measured in bench/hub_pages.py, the Django
view doing the same work answered the same batches slower (see hub/README.md).
All database work runs off the event loop: writes on one writer thread (the database has one writer
lock anyway, and it keeps batches in arrival order), reads on one reader thread, each with its own
connection.
"""
from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import time
from pathlib import Path
from typing import Any, Callable

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.staticfiles import StaticFiles

from eventlog.sqlite import ConnectionWorker
from eventlog.wire import SHA256_RE
from hub import db as hubdb
from hub.config import HubConfig, export_to_environment, load_config
from hub.ingest import cached_survey_totals, count_verdicts, ingest, store_file
from hub.validate import BodyError, decode_body, events_of

log = logging.getLogger(__name__)
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

    def open(self) -> None:
        """At start-up (lifespan), so a test client can start and stop the app many times."""
        # each thread's Db is its own Django connection, opened there on first use
        self.writer = ConnectionWorker(hubdb.Db, "hub-writer")
        self.reader = ConnectionWorker(hubdb.Db, "hub-reader")

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
            row = await self.reader.run(lambda db: hubdb.kiosk_for_token(db, token))
            if row is None:
                self._tokens.pop(token, None)
                return error(401, "unknown token", {"WWW-Authenticate": "Bearer"})
            kiosk = (row[0], row[1])
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
        results = await self.writer.run(lambda db: ingest(db, events, kiosk_id=kiosk[0]))
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
                lambda db: store_file(db, self.config.files_dir, sha256, data, kiosk_id=kiosk[0]))
        except ValueError as exc:
            return error(400, str(exc))
        return json_response({"sha256": sha256, "status": status}, 201 if status == "created" else 200)

    async def cached_totals(self) -> dict:
        return await self.reader.run(lambda db: cached_survey_totals(db, self.config.totals_cache_s))

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
    return Response("Not Found", status_code=404, media_type="text/plain")


class SiteRoute(BaseRoute):
    """Everything that is not the API's own goes to the website (Django), scope untouched. Paths under
    /api/v1/ that the API router knows with another method stay with it (405, not the site's 404)."""

    SITE_API = ("/api/v1/agenda",)

    def __init__(self, app: Any):
        self.app = app

    def matches(self, scope):
        path = scope.get("path", "")
        if scope["type"] == "http" and (not path.startswith("/api/") or path in self.SITE_API):
            return Match.FULL, {}
        return Match.NONE, {}

    async def handle(self, scope, receive, send) -> None:
        await self.app(scope, receive, send)


def static_files() -> StaticFiles:
    """The site's stylesheet and images, and the admin's, straight from the installed packages."""
    return StaticFiles(packages=[("hub.site", "static"), ("django.contrib.admin", "static")])


def start_django(config_path: Path | str | None, *, migrate: bool = True, **overrides: Any) -> HubConfig:
    """Check hub.toml (a bad file stops here, with its message), point the settings at it through the
    environment (which worker processes inherit), start Django and bring the schema up to date."""
    load_config(config_path, **overrides)
    export_to_environment(config_path, db=overrides.get("db_path"), data_dir=overrides.get("data_dir"),
                          database=overrides.get("database"), public_url=overrides.get("public_url"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "hub.site.settings"
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup(set_prefix=False)
    if migrate:
        call_command("migrate", verbosity=0)
    return settings.HUB


def serve(app: Any, config: HubConfig, *, log_level: str = "warning", workers: int = 1) -> None:
    """Run the hub as `hub serve` runs it (tests wrap the real app and serve it the same way). Several
    workers (PostgreSQL only) each build the app from the environment start_django set."""
    # proxy_headers: behind the TLS reverse proxy, client addresses come from X-Forwarded-For.
    uvicorn.run("hub.asgi:application" if workers > 1 else app, host=config.host, port=config.port,
                workers=workers, log_level=log_level, proxy_headers=True, forwarded_allow_ips="127.0.0.1",
                timeout_keep_alive=15, limit_concurrency=256, server_header=False)


def build_app(config: HubConfig | None = None) -> Starlette:
    """The whole hub. `config` may narrow the API's limits (tests); the database is always the one of
    the settings (hub/site/settings.py)."""
    import django
    from django.conf import settings
    from django.core.asgi import get_asgi_application
    from django.db import OperationalError

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.site.settings")
    django.setup(set_prefix=False)
    hub = Hub(config or settings.HUB)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        hub.open()
        try:
            yield
        finally:
            hub.close()

    routes = [
        Route("/api/v1/events", hub.post_events, methods=["POST"]),
        Route("/api/v1/files/{sha256}", hub.put_file, methods=["PUT"]),
        Route("/api/v1/totals", hub.get_totals, methods=["GET"]),
        Route("/api/v1/health", hub.health, methods=["GET"]),
        Route("/api/v1/openapi.json", hub.openapi, methods=["GET"]),
        Mount("/static", static_files(), name="static"),
        SiteRoute(get_asgi_application()),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={OperationalError: _busy, 404: _not_found})
    app.state.hub = hub
    return app

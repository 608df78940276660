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

import asyncio
import contextlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.staticfiles import StaticFiles

from eventlog.sqlite import ConnectionWorker
from eventlog.wire import SHA256_RE
from hub import db as hubdb
from hub.config import HubConfig, export_to_environment, load_config
from hub.guard import ClientLimits, Guard, TokenBuckets, client_key
from hub.ingest import EventQuotaFull, cached_survey_totals, count_verdicts, ingest
from hub.storage import QuotaFull, prune, store_file
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


class Hub:
    def __init__(self, config: HubConfig):
        self.config = config
        self.writer: ConnectionWorker
        self.reader: ConnectionWorker
        self.limiter = TokenBuckets(config.rate_per_s, config.rate_burst)    # per kiosk
        self.clients = ClientLimits(config)                                  # per client address
        self._tokens: dict[str, tuple[tuple[str, str, str], float]] = {}

    def open(self) -> None:
        """At start-up (lifespan), so a test client can start and stop the app many times."""
        # each thread's Db is its own Django connection, opened there on first use
        self.writer = ConnectionWorker(hubdb.Db, "hub-writer")
        self.reader = ConnectionWorker(hubdb.Db, "hub-reader")

    def close(self) -> None:
        self.writer.close()
        self.reader.close()

    async def keep_storage_tidy(self) -> None:
        """Orphan drawings past their grace period go, at start-up and then every hour (more often for
        a short grace), on the writer thread like any other write."""
        grace = self.config.orphan_grace_s
        while True:
            try:
                done = await self.writer.run(lambda db: prune(db, self.config.files_dir, grace))
                if done["files"]:
                    log.warning("removed %d orphan drawings (%.1f MB) older than %g s", done["files"],
                                done["bytes"] / 1e6, grace)
            except Exception:   # a busy database or a full disk: next time
                log.exception("pruning orphan drawings failed")
            await asyncio.sleep(min(3600.0, max(1.0, grace / 2)))

    async def authenticate(self, request: Request) -> tuple[str, str, str] | Response:
        """(kiosk name, venue, token hash), or the 401/429 response to send. A token the hub does not
        know costs its sender's address one of a few tries (hub/guard.py); once they are spent, that
        address gets 429 before any look-up, except for tokens already known good. Known tokens are
        cached a minute for reads; every write checks its token again (`_still_valid`)."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        address = client_key(request.scope)
        cached = self._tokens.get(token)
        if cached is not None and cached[1] > time.monotonic():
            kiosk = cached[0]
        else:  # a rotated or revoked token stops working within TOKEN_CACHE_S
            # a token that was good before is looked up again whatever its neighbours on the same
            # address (a venue router) tried; any other waits once the address spent its tries
            wait = 0 if cached is not None else self.clients.failures.wait(address)
            if wait:
                return error(429, "too many failed authentications from this address", {"Retry-After": str(wait)})
            row = None
            if scheme.lower() == "bearer" and token and len(token) <= MAX_TOKEN_CHARS:
                row = await self.reader.run(lambda db: hubdb.kiosk_for_token(db, token))
            if row is None:
                self.clients.failures.take(address)
                self._tokens.pop(token, None)
                return error(401, "missing, malformed or unknown bearer token", {"WWW-Authenticate": "Bearer"})
            kiosk = (row[0], row[1], hubdb.hash_token(token))
            self._tokens[token] = (kiosk, time.monotonic() + TOKEN_CACHE_S)
        wait = self.limiter.retry_after(kiosk[0])
        if wait:
            return error(429, "too many requests from this kiosk", {"Retry-After": str(wait)})
        return kiosk

    def _still_valid(self, db: hubdb.Db, kiosk: tuple[str, str, str]) -> bool:
        """On the writer thread, just before a write: a token rotated or revoked since it was cached writes
        nothing more (one index probe per batch)."""
        return db.one("SELECT 1 FROM kiosks WHERE name = %s AND token_hash = %s", (kiosk[0], kiosk[2])) is not None

    def _revoked(self, kiosk: tuple[str, str, str]) -> Response:
        self._tokens = {t: v for t, v in self._tokens.items() if v[0] != kiosk}   # on the event loop's thread
        return error(401, "this token was revoked or replaced", {"WWW-Authenticate": "Bearer"})

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
        quota = self.config.kiosk_max_event_bytes
        try:
            results = await self.writer.run(lambda db: self._still_valid(db, kiosk) and ingest(
                db, events, kiosk_id=kiosk[0], quota=quota))
        except EventQuotaFull as exc:
            # not 413 (the kiosk would halve the batch down to one event): the kiosk keeps its events
            # and comes back with its backoff, until someone raises the quota or revokes a stolen token
            return error(507, str(exc))
        if results is False:
            return self._revoked(kiosk)
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
        quota = (self.config.kiosk_max_drawings, self.config.kiosk_max_drawing_bytes)
        try:
            status = await self.writer.run(lambda db: self._still_valid(db, kiosk) and store_file(
                db, self.config.files_dir, sha256, data, kiosk_id=kiosk[0], quota=quota))
        except ValueError as exc:
            return error(400, str(exc))
        except QuotaFull as exc:
            return error(413, str(exc))
        if status is False:
            return self._revoked(kiosk)
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
    # Behind the TLS reverse proxy, client addresses come from X-Forwarded-For, believed only from the
    # trusted proxies (the per-address limits of hub/guard.py count by them).
    uvicorn.run("hub.asgi:application" if workers > 1 else app, host=config.host, port=config.port,
                workers=workers, log_level=log_level, proxy_headers=bool(config.trusted_proxies),
                forwarded_allow_ips=list(config.trusted_proxies),
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
        tidying = asyncio.create_task(hub.keep_storage_tidy())
        try:
            yield
        finally:
            tidying.cancel()
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
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(Guard, limits=hub.clients)],
                    exception_handlers={OperationalError: _busy, 404: _not_found})
    app.state.hub = hub
    return app

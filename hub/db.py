"""The hub's storage seen from plain SQL: the calling thread's Django connection (SQLite or PostgreSQL,
hub/site/settings.py), the kiosk registry and its token hashes.

Django's migrations own the schema (hub/site/migrations). The ingest and the look-ups behind the QR
codes speak SQL directly through `Db`, which papers over the two dialects' few differences: JSON
field extraction, and how a writer takes the one write lock.
"""
from __future__ import annotations

import contextlib
import json
import secrets
from typing import Any, Iterator

from django.db import connections, transaction

from eventlog.shortcode import short_code
from eventlog.signing import hash_token
from eventlog.stamps import utc_iso

INGEST_LOCK = 0x51EC2          # PostgreSQL advisory lock: one ingest transaction at a time, across workers


class Db:
    """Raw SQL on this thread's connection. Placeholders are %s on both databases."""

    def __init__(self, alias: str = "default"):
        self.alias = alias

    @property
    def connection(self):
        return connections[self.alias]

    @property
    def vendor(self) -> str:
        return self.connection.vendor

    def cursor(self):
        """A cursor; a connection the server dropped (an error flagged it, and it no longer answers) is
        replaced first, so a long-lived worker thread recovers by itself."""
        connection = self.connection
        if connection.errors_occurred and connection.connection is not None and not connection.is_usable():
            connection.close()
        return connection.cursor()

    def execute(self, sql: str, params: Any = ()) -> list[tuple]:
        with self.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def executemany(self, sql: str, rows: list[tuple]) -> None:
        if rows:
            with self.cursor() as cursor:
                cursor.executemany(sql, rows)

    def one(self, sql: str, params: Any = ()) -> tuple | None:
        rows = self.execute(sql, params)
        return rows[0] if rows else None

    def dicts(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        with self.cursor() as cursor:
            cursor.execute(sql, params)
            names = [c[0] for c in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    def json(self, column: str, key: str) -> str:
        """SQL for the text of one top-level key of a JSON text column. Look-ups repeat exactly the
        expression their index was built on (migrations/0002), so the planner uses it."""
        if self.vendor == "postgresql":
            return f"(({column})::jsonb ->> '{key}')"
        return f"json_extract({column}, '$.{key}')"

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """One transaction holding the database's single write lock from its first statement: SQLite
        opens it with BEGIN IMMEDIATE (settings), PostgreSQL takes an advisory lock, so that no other
        writer (another worker process included) inserts between our look-up and our insert."""
        with transaction.atomic(using=self.alias):
            if self.vendor == "postgresql":
                self.execute("SELECT pg_advisory_xact_lock(%s)", (INGEST_LOCK,))
            yield

    def close(self) -> None:
        """This thread's connection (worker threads close theirs when they stop)."""
        self.connection.close()


# Kinds a printed QR code leads to: /c/{code} for the first two (code of the event uuid), /g/{code}
# for group.start (code of the group_id, as kiosk/groups/results.py prints it).
CODED_KINDS = ("survey.complete", "wall.message", "group.start")


def event_short_code(kind: str, uuid: str, payload: dict | None) -> str | None:
    """The code a kiosk prints for this event, or None when it prints none (or the id is no uuid)."""
    if kind not in CODED_KINDS:
        return None
    source = payload.get("group_id") if kind == "group.start" and isinstance(payload, dict) else uuid
    if not isinstance(source, str):
        return None
    try:
        return short_code(source)
    except ValueError:   # a group_id that is not a uuid: the event is kept, it just has no page
        return None


def payload_short_code(kind: str, uuid: str, payload: str) -> str | None:
    try:
        data = json.loads(payload)
    except (TypeError, ValueError):
        return None
    return event_short_code(kind, uuid, data if isinstance(data, dict) else None)


# -- kiosks and tokens ---------------------------------------------------------------------------
def check_kiosk_name(name: str) -> str | None:
    """Why this cannot be a kiosk's name, or None."""
    if not (0 < len(name) <= 128 and name.isprintable() and name.strip() == name):
        return "the kiosk name must be its [kiosk] id: printable, 1 to 128 characters"
    return None


def add_kiosk(name: str, venue: str, *, rotate: bool = False, place: Any = None) -> str:
    """Register a kiosk (or give it a new token with rotate=True); return the bearer token once."""
    from hub.ingest import stored_event_bytes
    from hub.site.models import Kiosk

    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        kiosk = Kiosk.objects.select_for_update().filter(name=name).first()
        if kiosk is not None and not rotate:
            raise ValueError(f"kiosk {name!r} already exists (use --rotate for a new token)")
        if kiosk is None:   # events it has already (a hub database carried over) count in its quota
            Kiosk.objects.create(name=name, venue=venue, token_hash=hash_token(token), created_at=utc_iso(),
                                 place=place, event_bytes=stored_event_bytes(Db(), name))
        else:
            kiosk.token_hash, kiosk.venue, kiosk.revoked_at = hash_token(token), venue, None   # a revoked kiosk too
            kiosk.save(update_fields=["token_hash", "venue", "revoked_at"])
    return token


def kiosk_for_token(db: Db, token: str) -> tuple[str, str] | None:
    return db.one("SELECT name, venue FROM kiosks WHERE token_hash = %s", (hash_token(token),))


def list_kiosks(db: Db) -> list[dict[str, Any]]:
    """Every kiosk with how much the hub holds from it and when it last heard from it."""
    kiosk_in_conflict = db.json("c.event", "kiosk_id")
    return db.dicts(
        "SELECT k.name, k.venue, k.created_at, k.revoked_at, "
        "(SELECT count(*) FROM events e WHERE e.kiosk_id = k.name) AS events, "
        "(SELECT max(e.received_at) FROM events e WHERE e.kiosk_id = k.name) AS last_received, "
        f"(SELECT count(*) FROM conflicts c WHERE {kiosk_in_conflict} = k.name) AS conflicts "
        "FROM kiosks k ORDER BY k.name")

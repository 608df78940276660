"""The hub's SQLite store: WAL, named migrations recorded in the database, kiosks and their token hashes.

synchronous=FULL, as on the kiosk: once the hub has answered `created`, the kiosk advances its cursor
and will never send that event again, so an acknowledged commit must survive a power cut.
"""
from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from pathlib import Path

from eventlog.shortcode import short_code
from eventlog.sqlite import Migration, atomic, connect
from eventlog.sqlite import migrate as run_migrations
from eventlog.stamps import utc_iso

BUSY_TIMEOUT_MS = 10_000    # longer than the kiosk's: several kiosks upload at once


def m001_kiosks(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE kiosks (
            name       TEXT PRIMARY KEY,            -- equals the kiosk_id its events carry
            venue      TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,        -- sha256 hex of the bearer token; the token is never stored
            created_at TEXT NOT NULL
        )"""
    )


def m002_events(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE events (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            uuid        TEXT NOT NULL UNIQUE,       -- the dedup key: one row per event, ever
            ts          TEXT NOT NULL,
            kiosk_id    TEXT NOT NULL,
            session_id  TEXT,
            station     TEXT,
            kind        TEXT NOT NULL,
            payload     TEXT NOT NULL,              -- canonical JSON (sorted keys, compact)
            content_sha TEXT NOT NULL,              -- sha256 of the canonical event, to tell duplicate from conflict
            received_at TEXT NOT NULL,
            source      TEXT NOT NULL               -- 'http' or 'bundle:<sha256>'
        )"""
    )
    conn.execute("CREATE INDEX events_kind ON events (kind)")
    conn.execute("CREATE INDEX events_kiosk ON events (kiosk_id)")


def m003_conflicts(conn: sqlite3.Connection) -> None:
    # Same uuid, different content: kept aside for a human, never overwriting the first version.
    conn.execute(
        """CREATE TABLE conflicts (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            uuid        TEXT NOT NULL,
            content_sha TEXT NOT NULL,
            event       TEXT NOT NULL,              -- the canonical event JSON as received
            received_at TEXT NOT NULL,
            source      TEXT NOT NULL,
            UNIQUE (uuid, content_sha)
        )"""
    )


def m004_files(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE files (
            sha256      TEXT PRIMARY KEY,
            bytes       INTEGER NOT NULL,
            received_at TEXT NOT NULL,
            kiosk_id    TEXT NOT NULL
        )"""
    )


def m005_imports(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE imports (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            bundle_sha  TEXT NOT NULL,
            kiosk_id    TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            counts      TEXT NOT NULL               -- JSON verdict counts
        )"""
    )


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


def _sql_short_code(kind: str, uuid: str, payload: str) -> str | None:
    try:
        data = json.loads(payload)
    except (TypeError, ValueError):
        return None
    return event_short_code(kind, uuid, data if isinstance(data, dict) else None)


def m006_short_codes(conn: sqlite3.Connection) -> None:
    """The pages behind the kiosks' QR codes: every look-up they make is one index probe.

    Partial indexes keep the cost to the few kinds concerned (a footfall minute pays nothing); the
    expression indexes are used only by queries repeating the same expression and WHERE term, which
    hub/lookup.py does. Existing rows are backfilled here, new ones are filled at ingest."""
    conn.execute("ALTER TABLE events ADD COLUMN short_code TEXT")
    conn.create_function("hub_short_code", 3, _sql_short_code, deterministic=True)
    marks = ",".join("?" * len(CODED_KINDS))
    conn.execute(f"UPDATE events SET short_code = hub_short_code(kind, uuid, payload) WHERE kind IN ({marks})",
                 CODED_KINDS)
    conn.execute("CREATE INDEX events_short_code ON events (short_code) WHERE short_code IS NOT NULL")
    conn.execute("CREATE INDEX events_survey_run ON events (kiosk_id, json_extract(payload, '$.run')) "
                 "WHERE kind = 'survey.answer'")
    conn.execute("CREATE INDEX events_survey_session ON events (kiosk_id, session_id) WHERE kind = 'survey.answer'")
    conn.execute("CREATE INDEX events_moderation_target ON events (json_extract(payload, '$.target')) "
                 "WHERE kind IN ('moderation.approved', 'moderation.rejected')")
    conn.execute("CREATE INDEX events_group_id ON events (json_extract(payload, '$.group_id')) "
                 "WHERE kind IN ('group.step', 'group.challenge', 'group.end')")


MIGRATIONS: list[Migration] = [
    ("001_kiosks", m001_kiosks),
    ("002_events", m002_events),
    ("003_conflicts", m003_conflicts),
    ("004_files", m004_files),
    ("005_imports", m005_imports),
    ("006_short_codes", m006_short_codes),
]


def migrate(conn: sqlite3.Connection, upto: int | None = None) -> list[str]:
    """Bring the hub's database up to date (or to its first `upto` migrations); return the names applied."""
    return run_migrations(conn, MIGRATIONS, upto=upto, owner="hub")


def open_db(path: Path | str) -> sqlite3.Connection:
    """A connection to the hub's database, its schema brought up to date (a newer hub's is refused)."""
    conn = connect(path, busy_timeout_ms=BUSY_TIMEOUT_MS)
    migrate(conn)
    return conn


# -- kiosks and tokens ---------------------------------------------------------------------------
def hash_token(token: str) -> str:
    # A 256-bit random token needs no slow KDF: a plain SHA-256 cannot be brute-forced back.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def add_kiosk(conn: sqlite3.Connection, name: str, venue: str, *, rotate: bool = False) -> str:
    """Register a kiosk (or give it a new token with rotate=True); return the bearer token once."""
    token = secrets.token_urlsafe(32)
    with atomic(conn):
        exists = conn.execute("SELECT 1 FROM kiosks WHERE name = ?", (name,)).fetchone()
        if exists and not rotate:
            raise ValueError(f"kiosk {name!r} already exists (use --rotate for a new token)")
        if exists:
            conn.execute("UPDATE kiosks SET token_hash = ?, venue = ? WHERE name = ?", (hash_token(token), venue, name))
        else:
            conn.execute("INSERT INTO kiosks VALUES (?, ?, ?, ?)", (name, venue, hash_token(token), utc_iso()))
    return token


def kiosk_for_token(conn: sqlite3.Connection, token: str) -> sqlite3.Row | None:
    return conn.execute("SELECT name, venue FROM kiosks WHERE token_hash = ?", (hash_token(token),)).fetchone()


def list_kiosks(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every kiosk with how much the hub holds from it and when it last heard from it."""
    return conn.execute(
        "SELECT k.name, k.venue, k.created_at, count(e.seq) AS events, max(e.received_at) AS last_received, "
        "(SELECT count(*) FROM conflicts c WHERE json_extract(c.event, '$.kiosk_id') = k.name) AS conflicts "
        "FROM kiosks k LEFT JOIN events e ON e.kiosk_id = k.name GROUP BY k.name ORDER BY k.name").fetchall()

"""Named schema migrations, recorded in the database and applied in one transaction at start-up."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from typing import Callable

from kiosk.store.db import atomic


def m001_events(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE events (
            seq        INTEGER PRIMARY KEY AUTOINCREMENT,  -- local order, the upload cursor runs on it
            uuid       TEXT NOT NULL UNIQUE,                -- UUIDv7, the identity everywhere else
            ts         TEXT NOT NULL,                       -- UTC, 2026-11-25T17:28:38.123Z
            kiosk_id   TEXT NOT NULL,
            session_id TEXT,
            station    TEXT,
            kind       TEXT NOT NULL,
            payload    TEXT NOT NULL DEFAULT '{}'           -- JSON object
        )"""
    )


def m002_indexes(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE INDEX events_kind_ts ON events (kind, ts)")
    conn.execute("CREATE INDEX events_session ON events (session_id)")


def m003_sync_state(conn: sqlite3.Connection) -> None:
    # Small mutable state that is not a fact about the venue (upload cursor, last hub totals).
    conn.execute("CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def m004_append_only(conn: sqlite3.Connection) -> None:
    # The log is append-only: refuse updates outright rather than trust every caller.
    conn.execute(
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
    )


MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("001_events", m001_events),
    ("002_indexes", m002_indexes),
    ("003_sync_state", m003_sync_state),
    ("004_append_only", m004_append_only),
]
SCHEMA_VERSION = len(MIGRATIONS)


def applied(conn: sqlite3.Connection) -> list[str]:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    return [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]


def migrate(conn: sqlite3.Connection, upto: int | None = None) -> list[str]:
    """Apply the missing migrations (all, or the first `upto`) in one transaction; return their names."""
    target = MIGRATIONS if upto is None else MIGRATIONS[:upto]
    with atomic(conn):
        done = set(applied(conn))
        unknown = done - {name for name, _ in MIGRATIONS}
        if unknown:
            raise RuntimeError(f"database has newer migrations than this kiosk knows: {sorted(unknown)}")
        ran = []
        for name, fn in target:
            if name in done:
                continue
            fn(conn)
            conn.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(timezone.utc).isoformat()),
            )
            ran.append(name)
    return ran

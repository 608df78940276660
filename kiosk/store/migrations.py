"""The kiosk log's schema as named migrations (applied at start-up by eventlog.sqlite.migrate)."""
from __future__ import annotations

import sqlite3

from eventlog.sqlite import Migration
from eventlog.sqlite import migrate as run_migrations


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


def m005_clock(conn: sqlite3.Connection) -> None:
    # Where each event sits in its run whatever the wall clock did (kiosk/store/wall_clock.py): the run
    # (one process), milliseconds since it started on the monotonic clock, and, when the wall clock was
    # distrusted, why and the best estimate of the true time. Older rows keep NULLs: trusted as they were.
    conn.execute("ALTER TABLE events ADD COLUMN run_id TEXT")
    conn.execute("ALTER TABLE events ADD COLUMN mono_ms INTEGER")
    conn.execute("ALTER TABLE events ADD COLUMN clock_flag TEXT")
    conn.execute("ALTER TABLE events ADD COLUMN estimated_ts TEXT")


def m006_placed_index(conn: sqlite3.Connection) -> None:
    # Statistics pick events by where they sit in time (kiosk/store/wall_clock.py, PLACED), not by a
    # distrusted clock's reading: the (kind, ts) index gives way to one on that expression.
    conn.execute("CREATE INDEX events_kind_placed ON events (kind, COALESCE(estimated_ts, ts))")
    conn.execute("DROP INDEX events_kind_ts")


def m007_estimated_index(conn: sqlite3.Connection) -> None:
    # The data-quality figures count the events placed at an estimate (a distrusted clock): a partial
    # index holds only those, a handful in a season, so counting them never reads the whole log.
    conn.execute("CREATE INDEX events_estimated ON events (estimated_ts) WHERE estimated_ts IS NOT NULL")


MIGRATIONS: list[Migration] = [
    ("001_events", m001_events),
    ("002_indexes", m002_indexes),
    ("003_sync_state", m003_sync_state),
    ("004_append_only", m004_append_only),
    ("005_clock", m005_clock),
    ("006_placed_index", m006_placed_index),
    ("007_estimated_index", m007_estimated_index),
]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, upto: int | None = None) -> list[str]:
    """Bring a kiosk log up to date (or to its first `upto` migrations); return the names applied."""
    return run_migrations(conn, MIGRATIONS, upto=upto, owner="kiosk")

"""The sync_state table (kiosk/store/migrations.py): small mutable values beside the append-only log.

Keys: upload_cursor (last seq the hub acknowledged), last_attempt (UTC timestamp, start of a pass),
last_success (UTC timestamp of the hub's last acknowledgement: every acknowledged batch, and the end of a
pass), last_success_events (events the hub acknowledged in that pass up to last_success), last_error
(JSON {ts, message, kind?}; kind "drawing": a refused file, which no later success resolves), alert
(text; set on 401/403, cleared by a success), refused
(JSON {count, last}: events the hub called invalid or conflict; they stay in the local log),
hub_totals (JSON {fetched_at, totals}: GET /api/v1/totals for the survey station), last_export.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from eventlog.sqlite import atomic

CURSOR = "upload_cursor"


def get(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def get_json(conn: sqlite3.Connection, key: str, default: Any = None) -> Any:
    text = get(conn, key)
    if text is None:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def put(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO sync_state (key, value) VALUES (?, ?) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))


def delete(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM sync_state WHERE key = ?", (key,))


def cursor(conn: sqlite3.Connection) -> int:
    value = get(conn, CURSOR)
    return int(value) if value is not None and value.isdigit() else 0


def advance_cursor(conn: sqlite3.Connection, seq: int) -> None:
    """Move the cursor forward only: two uploaders (app thread and `kiosk sync`) cannot rewind it."""
    with atomic(conn):
        if seq > cursor(conn):
            put(conn, CURSOR, str(seq))


def record_success(conn: sqlite3.Connection, ts: str, events: int, seq: int | None = None) -> None:
    """The hub acknowledged something: move the cursor to seq (forward only) and record the success
    (its time and how many events went in this pass) in one transaction. A token the hub accepted is
    no longer an alert."""
    with atomic(conn):
        if seq is not None and seq > cursor(conn):
            put(conn, CURSOR, str(seq))
        put(conn, "last_success", ts)
        put(conn, "last_success_events", str(int(events)))
        delete(conn, "alert")

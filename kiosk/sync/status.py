"""What the mediator screen shows about uploads: backlog, oldest unsent event, last success and error."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from eventlog.sqlite import connect
from eventlog.stamps import parse_ts
from kiosk.sync import state
from kiosk.store.wall_clock import PLACED


def read_sync_status(conn: sqlite3.Connection, now: datetime | None = None) -> dict[str, Any]:
    """The status from an open connection (e.g. inside StoreReader.submit, off the frame loop).

    Keys: backlog_events, oldest_unsent_ts, oldest_unsent_age_s, last_success (time of the hub's last
    acknowledgement, batch or whole pass), last_success_events (events acknowledged in that pass up to
    then), last_attempt, last_error ({ts, message} or None), last_error_current (False once a later
    success resolved it), alert (text when upload stopped on 401/403, else None), refused_events
    (invalid/conflict verdicts, kept locally), cursor, hub_totals_fetched_at.
    """
    now = now or datetime.now(timezone.utc)
    has_state = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sync_state'").fetchone()
    cursor = state.cursor(conn) if has_state else 0
    backlog, oldest = conn.execute(f"SELECT count(*), min({PLACED}) FROM events WHERE seq > ?", (cursor,)).fetchone()
    age = None
    if oldest is not None:
        try:
            age = max(0.0, (now - parse_ts(oldest)).total_seconds())
        except ValueError:
            age = None
    get = (lambda key: state.get(conn, key)) if has_state else (lambda key: None)
    get_json = (lambda key, default=None: state.get_json(conn, key, default)) if has_state else (lambda key, default=None: default)
    refused = get_json("refused", {}) or {}
    totals = get_json("hub_totals", {}) or {}
    last_success, last_error = get("last_success"), get_json("last_error")
    events = get("last_success_events")
    return {
        "backlog_events": int(backlog),
        "oldest_unsent_ts": oldest,
        "oldest_unsent_age_s": age,
        "last_success": last_success,
        "last_success_events": int(events) if events is not None and events.isdigit() else None,
        "last_attempt": get("last_attempt"),
        "last_error": last_error,
        "last_error_current": error_is_current(last_error, last_success),
        "alert": get("alert"),
        "refused_events": int(refused.get("count", 0)) if isinstance(refused, dict) else 0,
        "cursor": cursor,
        "hub_totals_fetched_at": totals.get("fetched_at") if isinstance(totals, dict) else None,
    }


def error_is_current(last_error: Any, last_success: str | None) -> bool:
    """Whether the last error still stands: there is one and no success came after it. A refused drawing
    (kind "drawing") is not resolved by later batches going through. An unreadable time counts as current."""
    if not isinstance(last_error, dict):
        return False
    if last_error.get("kind") == "drawing" or not last_success:
        return True
    try:
        return parse_ts(str(last_error.get("ts"))) >= parse_ts(last_success)
    except ValueError:
        return True


def sync_status(db_path: Path | str) -> dict[str, Any]:
    """The status of the kiosk database at db_path (read-only; an absent database has nothing to send)."""
    if not Path(db_path).exists():
        return read_sync_status_empty()
    conn = connect(db_path, readonly=True)
    try:
        has_events = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'events'").fetchone()
        return read_sync_status(conn) if has_events else read_sync_status_empty()
    finally:
        conn.close()


def read_sync_status_empty() -> dict[str, Any]:
    return {"backlog_events": 0, "oldest_unsent_ts": None, "oldest_unsent_age_s": None, "last_success": None,
            "last_success_events": None, "last_attempt": None, "last_error": None, "last_error_current": False,
            "alert": None, "refused_events": 0, "cursor": 0, "hub_totals_fetched_at": None}


def read_hub_totals(conn: sqlite3.Connection) -> dict[str, Any] | None:
    """The all-venue totals last downloaded from the hub, for the survey station's "toutes les étapes":
    {"fetched_at": ts, "totals": {"survey": {question: {"answers": n, "choices": {choice: n}}},
    "sessions": n, "venues": n, "kiosks": n, "surveys_completed": n, "generated_at": ts}}, or None."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sync_state'").fetchone():
        return None
    totals = state.get_json(conn, "hub_totals")
    return totals if isinstance(totals, dict) and isinstance(totals.get("totals"), dict) else None

"""The wire form of one event, shared by the uploader and USB bundles so the hub sees the same bytes,
and the layout of a kiosk's data directory they read: events.sqlite3 (the log) and
attachments/<sha256>.png (the drawings wall messages name)."""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any, Iterator

DB_NAME = "events.sqlite3"
EVENT_COLUMNS = "seq, uuid, ts, kiosk_id, session_id, station, kind, payload, clock_flag, estimated_ts, run_id, mono_ms"
# Why a kiosk distrusted its wall clock when it recorded an event (kiosk/store/wall_clock.py): before
# the earliest plausible time (the release, the log's newest event), days ahead of the last trusted
# time, or a jump of the wall clock against the monotonic clock during the run.
CLOCK_FLAGS = ("behind", "ahead", "jump")
SHA256_RE = re.compile(r"[0-9a-f]{64}", re.ASCII)
ATTACHMENTS_DIR = "attachments"


def wire_event(row: sqlite3.Row | tuple) -> dict[str, Any]:
    """A stored row (as selected with EVENT_COLUMNS) -> the JSON object the hub accepts.

    An event recorded while the kiosk distrusted its clock carries `clock` beside its raw `ts`: why,
    the kiosk's best estimate of the true time, and its place in the run (run id, monotonic ms), so the
    hub places it at the estimate instead of refusing a 1970 date. Every other event's wire form is
    what it always was: an event re-sent after an upgrade still matches the copy the hub holds."""
    _, uuid, ts, kiosk_id, session_id, station, kind, payload_text, *clock = tuple(row)
    try:
        payload = json.loads(payload_text)
    except ValueError:
        payload = payload_text  # the hub will call it invalid: visible, never silently dropped
    event = {"uuid": uuid, "ts": ts, "kiosk_id": kiosk_id, "session_id": session_id, "station": station,
             "kind": kind, "payload": payload}
    if clock and clock[0] is not None:
        flag, estimated_ts, run_id, mono_ms = clock
        event["clock"] = {"flag": flag, "estimated_ts": estimated_ts, "run": run_id, "mono_ms": mono_ms}
    return event


def drawing_ref(event: dict[str, Any]) -> str | None:
    """The sha256 of the drawing a wall message names, when it names a well-formed one."""
    payload = event.get("payload")
    if event.get("kind") != "wall.message" or not isinstance(payload, dict):
        return None
    sha = payload.get("drawing_sha256")
    return sha if isinstance(sha, str) and SHA256_RE.fullmatch(sha) else None


def db_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / DB_NAME


def attachment_path(data_dir: Path | str, sha256: str) -> Path:
    return Path(data_dir) / ATTACHMENTS_DIR / f"{sha256}.png"


def iter_rows(conn: sqlite3.Connection, after_seq: int = 0, chunk: int = 2000) -> Iterator[sqlite3.Row]:
    """All events after a seq, in seq order, fetched in chunks (a season is a million rows)."""
    while True:
        rows = conn.execute(f"SELECT {EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                            (after_seq, chunk)).fetchall()
        if not rows:
            return
        yield from rows
        after_seq = rows[-1][0]

"""SQLite connections with the kiosk's pragmas, and an atomic() helper."""
from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

DB_NAME = "events.sqlite3"


def connect(path: Path | str, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection in WAL mode. synchronous=FULL: in WAL mode each commit syncs the WAL file, so a
    committed transaction survives a power cut too, not only a killed process (NORMAL would only
    promise that the file is never corrupted). It is cheap because the recorder commits in batches,
    a few times a second at most."""
    if str(path) != ":memory:" and not readonly:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 5000")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


@contextlib.contextmanager
def atomic(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One transaction (BEGIN IMMEDIATE ... COMMIT, ROLLBACK on error)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def new_uuid(now_ms: int | None = None) -> str:
    """A UUIDv7 (RFC 9562): 48-bit Unix milliseconds then random bits, so uuids sort by time."""
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    rand = int.from_bytes(secrets.token_bytes(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76                       # version 7
    value |= ((rand >> 68) & 0xFFF) << 64    # rand_a (12 bits)
    value |= 0b10 << 62                      # variant
    value |= rand & ((1 << 62) - 1)          # rand_b
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def utc_now_iso(now: datetime | None = None) -> str:
    """UTC timestamp as stored in the log: 2026-11-25T17:28:38.123Z (sorts as text)."""
    if now is None:
        now = datetime.now(timezone.utc)
    return now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def parse_ts(ts: str) -> datetime:
    return datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def ts_millis(ts: str) -> int:
    """Unix milliseconds of a stored timestamp (to give events recorded with an explicit ts a uuid
    that sorts with their time)."""
    return (parse_ts(ts) - _EPOCH) // timedelta(milliseconds=1)  # integer maths: no float rounding


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def db_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / DB_NAME


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

"""Fault injection for the event log: its connection as a full or read-only disk leaves it (every write refused
as SQLite refuses it), and a wait on a condition rather than on a time (a loaded machine's threads take theirs)."""
from __future__ import annotations

import sqlite3
import time

FULL = "database or disk is full"
READ_ONLY = "attempt to write a readonly database"


class RefusedLog:
    """Wraps the recorder's connection: PRAGMAs pass, every write raises `message`."""

    def __init__(self, conn, message: str = FULL):
        self.conn, self.message = conn, message

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql, *args):
        if sql.startswith("PRAGMA"):
            return self.conn.execute(sql, *args)
        raise sqlite3.OperationalError(self.message)

    executemany = execute

    def close(self):
        self.conn.close()


def soon(condition, timeout: float = 30.0) -> bool:
    """True once `condition()` holds, False at the timeout."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True

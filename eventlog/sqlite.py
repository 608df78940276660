"""SQLite as both sides use it: connections with the same pragmas, atomic(), the one migration runner,
and the worker thread that owns a connection so an event loop or a frame loop never waits on disk."""
from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence, TypeVar

from eventlog.stamps import utc_iso

T = TypeVar("T")
Migration = tuple[str, Callable[[sqlite3.Connection], None]]


def connect(path: Path | str, *, readonly: bool = False, busy_timeout_ms: int = 5000) -> sqlite3.Connection:
    """A connection in WAL mode. synchronous=FULL: in WAL mode each commit syncs the WAL file, so a
    committed transaction survives a power cut too, not only a killed process (NORMAL would only
    promise that the file is never corrupted). On the kiosk it is cheap because the recorder commits
    in batches; on the hub it is required: once the hub has answered `created`, the kiosk never
    sends that event again."""
    if str(path) != ":memory:" and not readonly:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
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


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- schema migrations ---------------------------------------------------------------------------
_MIGRATIONS_TABLE = "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations this database has had, in name order."""
    conn.execute(_MIGRATIONS_TABLE)
    return [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration], *, upto: int | None = None,
            owner: str = "program") -> list[str]:
    """Apply the missing named migrations (all, or the first `upto`) in one transaction, each recorded
    in schema_migrations with its UTC time; return the names applied. A database that has a migration
    this list does not know was written by a newer version: refused, untouched."""
    target = migrations if upto is None else migrations[:upto]
    with atomic(conn):
        done = set(applied_migrations(conn))
        unknown = done - {name for name, _ in migrations}
        if unknown:
            raise RuntimeError(f"database has newer migrations than this {owner} knows: {sorted(unknown)}")
        ran = []
        for name, fn in target:
            if name in done:
                continue
            fn(conn)
            conn.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", (name, utc_iso()))
            ran.append(name)
    return ran


# -- one thread, one connection ------------------------------------------------------------------
class ConnectionWorker:
    """One thread owning one SQLite connection; jobs fn(conn) run there one at a time, in submission
    order. The kiosk's frame loop polls the Future of `submit`; the hub's event loop awaits `run`."""

    def __init__(self, open_connection: Callable[[], sqlite3.Connection], name: str, *, eager: bool = False):
        self._open = open_connection
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._conn: sqlite3.Connection | None = None
        if eager:   # fail at start-up (unreadable file, newer schema), not at the first request
            self.query(lambda conn: None)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:   # opened on the worker thread; retried by the next job if it failed
            self._conn = self._open()
        return self._conn

    def submit(self, fn: Callable[[sqlite3.Connection], T]) -> "Future[T]":
        return self._pool.submit(lambda: fn(self._connection()))

    def query(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Blocking: for the command line, start-up and tests."""
        return self.submit(fn).result()

    async def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        return await asyncio.wrap_future(self.submit(fn))

    def close(self) -> None:
        def _close() -> Any:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

        self._pool.submit(_close).result()
        self._pool.shutdown(wait=True)

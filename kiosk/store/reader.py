"""Read-only queries over the event log, run on a worker thread so the frame loop never waits."""
from __future__ import annotations

import sqlite3
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable, TypeVar

from kiosk.store.db import connect, db_path

T = TypeVar("T")


class StoreReader:
    def __init__(self, data_dir: Path | str):
        self.path = db_path(data_dir)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-reader")
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = connect(self.path, readonly=True)
        return self._conn

    def submit(self, fn: Callable[[sqlite3.Connection], T]) -> "Future[T]":
        """Run fn(conn) off the frame loop; poll future.done() from update()."""
        return self._pool.submit(lambda: fn(self._connection()))

    def query(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Blocking variant for the command line and tests."""
        return self.submit(fn).result()

    def close(self) -> None:
        def _close() -> None:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

        self._pool.submit(_close).result()
        self._pool.shutdown(wait=True)

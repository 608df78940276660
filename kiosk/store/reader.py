"""Read-only queries over the event log, run on a worker thread so the frame loop never waits."""
from __future__ import annotations

import sqlite3
from concurrent.futures import Future, wait
from functools import partial
from pathlib import Path
from typing import Callable, Protocol, TypeVar

from eventlog.sqlite import ConnectionWorker, connect
from eventlog.wire import db_path

T = TypeVar("T")


class Flushable(Protocol):
    def flush(self, timeout: float = ...) -> bool: ...


class StoreReader(ConnectionWorker):
    """`submit(fn)` runs fn(conn) off the frame loop (poll future.done() from update()); `query(fn)` is
    the blocking variant for the command line and tests. The file is opened at the first query, so a
    reader can be made before the recorder has created the log."""

    def __init__(self, data_dir: Path | str, *, in_step_with: Flushable | None = None):
        """`in_step_with` (a reproducible run's recorder): every query first waits until that recorder's
        events are committed, and `submit` returns the query answered. The same run then reads the same
        answers at the same frame, and its screenshots do not depend on how busy the machine is."""
        self.path = db_path(data_dir)
        self.in_step_with = in_step_with
        super().__init__(partial(connect, self.path, readonly=True), "store-reader")

    def submit(self, fn: Callable[[sqlite3.Connection], T]) -> "Future[T]":
        if self.in_step_with is None:
            return super().submit(fn)
        self.in_step_with.flush()
        future = super().submit(fn)
        wait([future])
        return future

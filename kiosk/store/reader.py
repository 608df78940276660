"""Read-only queries over the event log, run on a worker thread so the frame loop never waits."""
from __future__ import annotations

from functools import partial
from pathlib import Path

from eventlog.sqlite import ConnectionWorker, connect
from eventlog.wire import db_path


class StoreReader(ConnectionWorker):
    """`submit(fn)` runs fn(conn) off the frame loop (poll future.done() from update()); `query(fn)` is
    the blocking variant for the command line and tests. The file is opened at the first query, so a
    reader can be made before the recorder has created the log."""

    def __init__(self, data_dir: Path | str):
        self.path = db_path(data_dir)
        super().__init__(partial(connect, self.path, readonly=True), "store-reader")

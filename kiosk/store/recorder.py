"""The recorder: the only way anything writes to the event log.

`record()` is called from the frame loop: it builds the row and puts it on a queue, nothing more.
A writer thread drains the queue and commits in small transactions, at least every `flush_interval`
seconds, so a SIGKILL or a power cut loses at most the last second and never corrupts the file.
"""
from __future__ import annotations

import json
import logging
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.store.db import connect, db_path, new_uuid, utc_now_iso
from kiosk.store.migrations import migrate

log = logging.getLogger(__name__)

_STOP = object()


@dataclass(frozen=True)
class Event:
    uuid: str
    ts: str
    kiosk_id: str
    session_id: str | None
    station: str | None
    kind: str
    payload: str  # JSON text

    def as_row(self) -> tuple:
        return (self.uuid, self.ts, self.kiosk_id, self.session_id, self.station, self.kind, self.payload)


def open_store(data_dir: Path | str):
    """Create the data directory and database if needed and bring the schema up to date."""
    path = db_path(data_dir)
    conn = connect(path)
    migrate(conn)
    return conn


class Recorder:
    def __init__(self, data_dir: Path | str, kiosk_id: str, *, flush_interval: float = 0.5,
                 batch_size: int = 500):
        self.data_dir = Path(data_dir)
        self.kiosk_id = kiosk_id
        self.session_id: str | None = None  # the current visitor session, set by the runtime
        self.flush_interval = flush_interval
        self.batch_size = batch_size
        self._queue: queue.Queue = queue.Queue()
        self._conn = open_store(self.data_dir)
        self._written = 0
        self._errors = 0
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._run, name="recorder", daemon=True)
        self._thread.start()

    # -- called from any thread (the frame loop above all): never blocks on disk --------------
    def record(self, kind: str, payload: dict[str, Any] | None = None, *, station: str | None = None,
               session_id: str | None = ..., ts: str | None = None) -> str:
        """Queue one event and return its uuid. session_id defaults to the current session."""
        event = Event(
            uuid=new_uuid(),
            ts=ts or utc_now_iso(),
            kiosk_id=self.kiosk_id,
            session_id=self.session_id if session_id is ... else session_id,
            station=station,
            kind=kind,
            payload=json.dumps(payload or {}, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
        )
        self._idle.clear()
        self._queue.put(event)
        return event.uuid

    @property
    def written(self) -> int:
        return self._written

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued so far is committed (tests, shutdown, CLI)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._queue.empty() and self._idle.wait(0.05):
                return True
        return False

    def close(self, timeout: float = 5.0) -> None:
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join(timeout)
        self._conn.close()

    # -- writer thread ---------------------------------------------------------------------
    def _run(self) -> None:
        pending: list[Event] = []
        last_commit = time.monotonic()
        stopping = False
        while not stopping:
            timeout = max(0.0, self.flush_interval - (time.monotonic() - last_commit)) if pending else None
            try:
                item = self._queue.get(timeout=timeout)
                if item is _STOP:
                    stopping = True
                else:
                    pending.append(item)
                    while len(pending) < self.batch_size:
                        nxt = self._queue.get_nowait()
                        if nxt is _STOP:
                            stopping = True
                            break
                        pending.append(nxt)
            except queue.Empty:
                pass
            due = time.monotonic() - last_commit >= self.flush_interval
            if pending and (due or stopping or len(pending) >= self.batch_size or self._queue.empty()):
                if self._commit(pending):
                    pending = []
                last_commit = time.monotonic()
            if not pending and self._queue.empty():
                self._idle.set()

    def _commit(self, events: list[Event]) -> bool:
        try:
            with self._conn:
                self._conn.execute("BEGIN")
                self._conn.executemany(
                    "INSERT OR IGNORE INTO events (uuid, ts, kiosk_id, session_id, station, kind, payload) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [e.as_row() for e in events],
                )
            self._written += len(events)
            return True
        except Exception:  # disk full, locked for too long: keep the events and retry later
            self._errors += 1
            log.exception("recorder could not commit %d events; will retry", len(events))
            time.sleep(min(5.0, 0.1 * self._errors))
            return False

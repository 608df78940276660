"""The recorder: the only way anything writes to the event log.

`record()` is called from the frame loop: it builds the row and puts it on a queue, nothing more.
A writer thread drains the queue and commits in small transactions, at least every `flush_interval`
seconds, so a SIGKILL or a power cut loses at most the last second and never corrupts the file.
While the disk refuses them (full, read-only), events wait in memory and in a spill file (kiosk/store/spill.py,
room reserved ahead), rewritten every SPILL_EVERY_S and at a stop; the next start writes them into the log.
"""
from __future__ import annotations

import errno
import json
import logging
import queue
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable

from eventlog.sqlite import connect
from eventlog.stamps import new_uuid, parse_ts, ts_millis, utc_iso
from eventlog.wire import db_path
from kiosk.storage import Ballast
from kiosk.store.migrations import migrate
from kiosk.store.spill import runtime_spill_dir, spill_files
from kiosk.store.wall_clock import ClockWatch, newest_trusted

log = logging.getLogger(__name__)
# The WAL is checkpointed every WAL_PAGES pages (1 MB at SQLite's 4 KiB pages) and cut back to
# WAL_LIMIT_BYTES after each checkpoint: on a nearly full disk it cannot grow back to SQLite's 4 MB
# default and eat the space just freed. A clean stop checkpoints it away entirely.
WAL_PAGES = 256
WAL_LIMIT_BYTES = 1024 * 1024
# retries of the last commit when the kiosk stops on a full disk (the ballast is freed at the first)
FINAL_COMMIT_TRIES = 3
# while commits fail, the held events are also written to the spill file this often: a power cut or the
# watchdog's kill then loses at most the events of these last seconds
SPILL_EVERY_S = 10.0

INSERT = ("INSERT OR IGNORE INTO events (uuid, ts, kiosk_id, session_id, station, kind, payload, "
          "run_id, mono_ms, clock_flag, estimated_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_STOP = object()
_WAKE = object()  # flush(): wake the writer so it commits now


@dataclass(frozen=True)
class Event:
    uuid: str
    ts: str
    kiosk_id: str
    session_id: str | None
    station: str | None
    kind: str
    payload: str  # JSON text
    run_id: str | None = None
    mono_ms: int | None = None
    clock_flag: str | None = None       # why the wall clock was distrusted (kiosk/store/wall_clock.py)
    estimated_ts: str | None = None     # then: the best estimate of the true time

    def as_row(self) -> tuple:
        return (self.uuid, self.ts, self.kiosk_id, self.session_id, self.station, self.kind, self.payload,
                self.run_id, self.mono_ms, self.clock_flag, self.estimated_ts)


def open_store(data_dir: Path | str):
    """Create the data directory and database if needed and bring the schema up to date."""
    path = db_path(data_dir)
    conn = connect(path)
    migrate(conn)
    conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_PAGES}")
    conn.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES}")
    return conn


class Recorder:
    """Queue in the caller's thread, commit in the writer thread.

    Commit policy: the oldest pending event waits at most `flush_interval` seconds (then everything
    pending is committed in one transaction), a full batch is committed at once, and `flush()` asks
    for an immediate commit. With synchronous=FULL each commit is one fsync, so this bounds both the
    loss on a kill (< flush_interval + one commit) and the disk work (a few fsyncs a second).
    """

    def __init__(self, data_dir: Path | str, kiosk_id: str, *, flush_interval: float = 0.5,
                 batch_size: int = 500, clock: Callable[[float | None], ClockWatch] | None = None,
                 spill_fallback: Path | None = None):
        """`clock` makes the ClockWatch from the log's newest trusted time (tests give fake clocks);
        `spill_fallback`: where held events go at a stop when the data disk refuses them."""
        self.data_dir = Path(data_dir)
        self.kiosk_id = kiosk_id
        self.flush_interval = flush_interval
        self.batch_size = batch_size
        self._queue: queue.Queue = queue.Queue()
        self._conn = open_store(self.data_dir)
        make_clock = clock or (lambda newest: ClockWatch(newest, run_id=new_uuid()))
        self.clock = make_clock(newest_trusted(self._conn))
        self.ballast = Ballast(self.data_dir)
        self._written = 0
        self._errors = 0
        self.failing_since: float | None = None   # monotonic time of the first failed commit in a row
        self.failure: str | None = None            # "full", "read-only" or "error" while commits fail
        self._held_kinds: Counter = Counter()      # kinds of the events waiting since a failed commit
        self.lost = 0                              # events neither written nor spilled at the stop
        self.spilled = 0                           # events written to a spill file at the stop
        self._spilled_at = 0.0                     # monotonic time of the last spill while commits fail
        # where held events go at a stop: the data disk, else spill_fallback (default: systemd's runtime directory)
        self.spills = spill_files(self.data_dir, spill_fallback if spill_fallback is not None else runtime_spill_dir())
        self.restored = self._restore_spills()     # events of the last stop on a full disk, now in the log
        self._stopping = threading.Event()         # cuts the retry pauses short at a stop
        # _queued / _done count events; flush() waits until _done catches up with _queued as it was.
        self._progress = threading.Condition()
        self._queued = 0
        self._done = 0
        self._flush_now = threading.Event()
        self._thread = threading.Thread(target=self._run, name="recorder", daemon=True)
        self._thread.start()

    # -- called from any thread (the frame loop above all): never blocks on disk --------------
    def record(self, kind: str, payload: dict[str, Any] | None = None, *, station: str | None = None,
               session_id: str | None = None, ts: str | None = None) -> str:
        """Queue one event and return its uuid. A visitor's event names its session (stations write
        through kiosk.session.VisitRecorder, which does); the kiosk's own events name none.

        `ts` (UTC, '2026-11-25T17:28:38.123Z') backdates the event (simulated data, imported
        readings); its uuid then carries that time too, so uuids keep sorting with time. While the
        wall clock is distrusted the event is flagged, with the estimated true time (a given `ts`,
        read from the same wall clock, is corrected by as much), and its uuid carries the estimate."""
        stamp = self.clock.stamp()
        ts = stamp.ts if ts is None else ts
        estimated_ts = None
        if stamp.flag is not None:
            estimated_ts = stamp.estimated_ts if ts == stamp.ts else \
                utc_iso(parse_ts(ts).timestamp() + stamp.correction_s)
        event = Event(
            uuid=new_uuid(ts_millis(estimated_ts or ts)),
            ts=ts,
            kiosk_id=self.kiosk_id,
            session_id=session_id,
            station=station,
            kind=kind,
            payload=json.dumps({} if payload is None else payload, ensure_ascii=False,
                               separators=(",", ":"), sort_keys=True),
            run_id=stamp.run_id,
            mono_ms=stamp.mono_ms,
            clock_flag=stamp.flag,
            estimated_ts=estimated_ts,
        )
        with self._progress:
            self._queued += 1
        self._queue.put(event)
        return event.uuid

    @property
    def written(self) -> int:
        return self._written

    @property
    def backlog(self) -> int:
        """Events queued but not yet committed."""
        return self._queued - self._done

    @property
    def held(self) -> int:
        """Events waiting in memory because the disk refused them (0 while commits succeed)."""
        return self.backlog if self.failing_since is not None else 0

    @property
    def held_errors(self) -> int:
        """Error events among those the disk refused: the mediator's count must include them."""
        return self._held_kinds.get("error", 0) if self.failing_since is not None else 0

    def flush(self, timeout: float = 5.0) -> bool:
        """Commit everything queued so far and wait for it (tests, shutdown, CLI)."""
        deadline = time.monotonic() + timeout
        with self._progress:
            target = self._queued
        self._flush_now.set()
        self._queue.put(_WAKE)
        with self._progress:
            while self._done < target:
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    return False
                self._progress.wait(min(left, 0.1))
        return True

    def close(self, timeout: float = 5.0) -> None:
        """Stop the writer after it committed what is queued; as the log's last connection (close the
        readers first) it checkpoints the WAL into the database, so no -wal file outlives a clean stop."""
        if self._thread.is_alive():
            self._stopping.set()
            self._queue.put(_STOP)
            self._thread.join(timeout)
        if not self._thread.is_alive():
            try:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except Exception as exc:   # a full or read-only disk: the WAL stays, SQLite replays it next time
                log.warning("the event log's WAL could not be checkpointed at stop: %s", exc)
            self._conn.close()

    # -- writer thread ---------------------------------------------------------------------
    def _run(self) -> None:
        self.spills[0].allocate()     # here, not on the caller's thread: the spill's room, while there is room
        pending: list[Event] = []
        first_pending_at = 0.0
        stopping = False
        while not stopping:
            wait = None if not pending else max(0.0, first_pending_at + self.flush_interval - time.monotonic())
            try:
                item = self._queue.get(timeout=wait)
                while True:
                    if item is _STOP:
                        stopping = True
                    elif item is not _WAKE:
                        if not pending:
                            first_pending_at = time.monotonic()
                        pending.append(item)
                    if stopping or len(pending) >= self.batch_size:
                        break
                    item = self._queue.get_nowait()
            except queue.Empty:
                pass
            due = pending and time.monotonic() - first_pending_at >= self.flush_interval
            asked = self._flush_now.is_set()
            if pending and (due or asked or stopping or len(pending) >= self.batch_size):
                self._flush_now.clear()
                committed = self._commit(pending)
                for _ in range(FINAL_COMMIT_TRIES if stopping and not committed else 0):
                    if committed := self._commit(pending):
                        break
                if committed:
                    with self._progress:
                        self._done += len(pending)
                        self._progress.notify_all()
                    pending = []
                elif stopping:
                    self.lost = self._spill(pending)
                    self.spilled = len(pending) - self.lost
                    log.warning("the kiosk stops on a refused disk: %d events kept for the next start",
                                self.spilled)
                    if self.lost:
                        log.error("the kiosk stops with %d events it could neither write nor keep (the disk is "
                                  "full or read-only)", self.lost)
            elif asked and not pending:
                self._flush_now.clear()

    def _commit(self, events: list[Event]) -> bool:
        try:
            self._insert(events)
            self._written += len(events)
            self._errors = 0
            self.failure = None
            self._held_kinds = Counter()
            if self.failing_since is not None:
                log.warning("the event log is written again (%d events were waiting)", len(events))
                self._restore_spills()        # what was spilled meanwhile is in the log now (by uuid): cleared
                self.spills[0].allocate()     # room again: the spill's too, if the start had none to give it
            self.failing_since = None
            return True
        except Exception as exc:  # disk full, read-only, locked for too long: keep the events, retry later
            self._errors += 1
            first = self.failing_since is None
            if first:
                self.failing_since = time.monotonic()
            if _disk_full(exc) and self.ballast.release():
                return self._commit(events)   # the ballast's room is the log's: try again at once
            self.failure = "full" if _disk_full(exc) else "read-only" if _read_only(exc) else "error"
            self._held_kinds = Counter(e.kind for e in events)
            # the traceback once; then the repeat filter of the log handlers counts the recurrences
            log.error("recorder could not commit %d events; will retry", len(events), exc_info=first)
            if first:       # the mediator's error count says it too, once the log takes it (held until then)
                self.record("error", {"where": "storage.recorder",
                                      "message": f"the event log refused a write ({exc}): events wait in memory"[:500]})
            if time.monotonic() - self._spilled_at >= SPILL_EVERY_S and not self._stopping.is_set():
                self._spilled_at = time.monotonic()
                self._spill(events)
            self._stopping.wait(min(5.0, 0.1 * self._errors))
            return False

    def _insert(self, events: list[Event]) -> int:
        """One transaction; returns how many were new (an event already in the log, by uuid, is not again)."""
        with self._conn:
            self._conn.execute("BEGIN")
            before = self._conn.total_changes
            self._conn.executemany(INSERT, [e.as_row() for e in events])
            return self._conn.total_changes - before

    # -- the spill: held events across a stop ------------------------------------------------------
    def _spill(self, events: list[Event]) -> int:
        """Keep these (the log refuses them) in the first spill file that takes them; returns how many could
        be kept nowhere. Called while commits fail (a power cut or the watchdog's kill loses no more than
        SPILL_EVERY_S) and at the stop."""
        rows = [asdict(e) for e in events]
        for spill in self.spills:
            try:
                rows = rows[spill.write(rows):]
            except OSError as exc:
                log.warning("held events could not be spilled to %s: %s", spill.path, exc)
            if not rows:
                break
        return len(rows)

    def _restore_spills(self) -> int:
        """Write what was spilled (at the last stop, or while the disk refused events) into the log, once (by
        uuid); a spill is cleared once written."""
        restored = 0
        for spill in self.spills:
            try:
                events = [Event(**row) for row in spill.read()]
            except (OSError, TypeError) as exc:
                log.error("the spill file %s could not be read: %s", spill.path, exc)
                continue
            if not events:
                continue
            try:
                restored += self._insert(events)
                spill.clear()
                log.warning("%d events kept in %s while the disk refused them are in the log", len(events), spill.path)
            except (sqlite3.Error, OSError) as exc:     # still no room: the spill stays for the next start
                log.error("the events kept in %s could not be written yet: %s", spill.path, exc)
        return restored


def _disk_full(exc: Exception) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "full" in str(exc) or \
        isinstance(exc, OSError) and exc.errno == errno.ENOSPC


def _read_only(exc: Exception) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "readonly" in str(exc).replace("-", "").replace(" ", "") \
        or isinstance(exc, OSError) and exc.errno == errno.EROFS

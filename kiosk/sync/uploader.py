"""The uploader: a thread sending the event log to the hub with a cursor (docs/architecture.md,
"Data: one append-only event log").

Rows after the cursor go out in batches; the cursor (sync_state 'upload_cursor', the last acknowledged
seq) moves only after the hub gave a verdict for every event of the batch. A crash in between resends
the batch and the hub answers `duplicate`. Local data is never deleted or changed.
"""
from __future__ import annotations

import json
import logging
import os
import random
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventlog.sqlite import connect
from eventlog.stamps import utc_iso
from eventlog.wire import EVENT_COLUMNS, attachment_path, drawing_ref, wire_event
from eventlog.wire import db_path
from kiosk.store.migrations import migrate
from kiosk.sync import state
from kiosk.sync.client import AuthError, HubClient, RetryLater, SyncError, TooLarge, Transient
from kiosk.sync.content_feed import refresh_feed

log = logging.getLogger(__name__)

BACKOFF_CAP_S = 15 * 60.0
MAX_INLINE_WAIT_S = 60.0
TOKEN_ENV = "QSEC_HUB_TOKEN"
MAX_BATCH_BYTES = 4 * 1024 * 1024  # the hub takes 5 MB of JSON per batch; keep a margin


@dataclass
class PassResult:
    """What one sync pass did."""
    batches: int = 0
    verdicts: dict[str, int] = field(default_factory=lambda: {"created": 0, "duplicate": 0, "conflict": 0,
                                                             "invalid": 0})
    files_sent: int = 0
    files_missing: int = 0
    files_refused: int = 0
    totals_fetched: bool = False
    agenda: str = ""           # the content feed: updated | unchanged | refused | failed

    @property
    def events(self) -> int:
        return sum(self.verdicts.values())


class Uploader:
    def __init__(self, data_dir: Path | str, *, hub_url: str, token: str, batch_size: int = 500,
                 interval_s: float = 60.0, timeout_s: float = 30.0, backoff_base_s: float = 5.0,
                 backoff_cap_s: float = BACKOFF_CAP_S, max_batch_bytes: int = MAX_BATCH_BYTES,
                 seed: int | None = None):
        self.data_dir = Path(data_dir)
        self.client = HubClient(hub_url, token, timeout_s=timeout_s)
        self.batch_size = batch_size
        self.interval_s = interval_s
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s
        self.max_batch_bytes = max_batch_bytes
        self._rng = random.Random(seed)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._closing = False      # close() came while the thread was still in a request: it closes
        self._ended = False        # the thread left its loop (set under _closing_lock)
        self._closing_lock = threading.Lock()
        self._conn = connect(db_path(self.data_dir))
        migrate(self._conn)  # sync_state exists even before the kiosk first ran

    # -- one pass ------------------------------------------------------------------------------
    def sync_once(self) -> PassResult:
        """Upload everything after the cursor, then fetch the all-venue totals. Raises SyncError."""
        result = PassResult()
        batch_size = self.batch_size
        state.put(self._conn, "last_attempt", utc_iso())
        while not self._stop.is_set():
            cursor = state.cursor(self._conn)
            seqs, events = self._read_batch(cursor, batch_size)
            if not events:
                break
            self._send_attachments(events, result)
            try:
                verdicts = self._polite(self.client.post_events, events)
            except TooLarge:
                if len(events) == 1:  # one event the hub will never take: say so, keep it, move on
                    self._record_refused(seqs[0], "event too large for the hub")
                    state.advance_cursor(self._conn, seqs[0])
                    continue
                batch_size = max(1, len(events) // 2)
                continue
            self._record_verdicts(seqs, verdicts, result)
            result.batches += 1
            # every acknowledged batch is a success: a hub dying later in the pass does not erase it
            state.record_success(self._conn, utc_iso(), result.events, seq=seqs[-1])
        if self._stop.is_set():
            return result
        totals = self._polite(self.client.get_totals)
        state.put(self._conn, "hub_totals", json.dumps({"fetched_at": utc_iso(), "totals": totals}))
        result.totals_fetched = True
        state.record_success(self._conn, utc_iso(), result.events)
        if self._stop.is_set():
            return result
        try:   # the programme the agenda station shows (kiosk/sync/content_feed.py)
            result.agenda = refresh_feed(self.client, self.data_dir)
        except SyncError as exc:   # it can wait for the next pass: the uploads went through
            result.agenda = "failed"
            log.warning("agenda feed not fetched: %s", exc)
        return result

    def _polite(self, call, *args):
        """Call the hub; on 429/503 wait the Retry-After it asked for (short waits only) and call again.
        Longer waits go up to run(), which sleeps them between passes."""
        for _ in range(1000):
            try:
                return call(*args)
            except RetryLater as exc:
                if exc.retry_after_s > MAX_INLINE_WAIT_S or self._stop.is_set():
                    raise
                self._stop.wait(exc.retry_after_s)
        raise RetryLater("hub keeps asking to wait", MAX_INLINE_WAIT_S)

    def _read_batch(self, cursor: int, limit: int) -> tuple[list[int], list[dict[str, Any]]]:
        rows = self._conn.execute(f"SELECT {EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                                  (cursor, limit)).fetchall()
        seqs, events, size = [], [], 0
        for row in rows:
            # the stored payload text plus a generous 256 bytes for the other fields: no second encoding
            size += len(row[7].encode("utf-8")) + 256
            if events and size > self.max_batch_bytes:
                break
            seqs.append(row[0])
            events.append(wire_event(row))
        return seqs, events

    def _send_attachments(self, events: list[dict[str, Any]], result: PassResult) -> None:
        """Drawings go before the events naming them (the hub accepts either order)."""
        for sha in dict.fromkeys(filter(None, map(drawing_ref, events))):
            path = attachment_path(self.data_dir, sha)
            try:
                data = path.read_bytes()
            except OSError:
                result.files_missing += 1
                continue
            try:
                self._polite(self.client.put_file, sha, data)
                result.files_sent += 1
            except (Transient, TooLarge) as exc:
                if isinstance(exc, Transient) and (exc.status is None or exc.status >= 500):
                    raise
                # 4xx for one file (damaged on disk, too big): report it, do not hold the events hostage
                result.files_refused += 1
                state.put(self._conn, "last_error", json.dumps({"ts": utc_iso(), "kind": "drawing",
                                                                "message": f"drawing {sha[:12]}: {exc}"}))

    def _record_verdicts(self, seqs: list[int], verdicts: list[dict[str, Any]], result: PassResult) -> None:
        for seq, verdict in zip(seqs, verdicts):
            result.verdicts[verdict["status"]] += 1
            if verdict["status"] in ("invalid", "conflict"):
                self._record_refused(seq, verdict["status"] + ": " + str(verdict.get("reason", ""))[:200])

    def _record_refused(self, seq: int, reason: str) -> None:
        refused = state.get_json(self._conn, "refused", {"count": 0, "last": None})
        refused["count"] = int(refused.get("count", 0)) + 1
        refused["last"] = {"seq": seq, "reason": reason, "ts": utc_iso()}
        state.put(self._conn, "refused", json.dumps(refused))

    # -- the thread ----------------------------------------------------------------------------
    def backoff_s(self, failures: int) -> float:
        """Exponential backoff with 'equal jitter': between half and all of base * 2^(n-1), capped."""
        ceiling = min(self.backoff_cap_s, self.backoff_base_s * 2 ** min(failures - 1, 30))
        return self._rng.uniform(ceiling / 2, ceiling)

    def run(self) -> None:
        """Sync, then sleep interval_s; on trouble back off and retry forever, until stop() or a 401/403."""
        try:
            self._loop()
        finally:
            with self._closing_lock:
                self._ended = True
                if self._closing:    # close() returned while this thread still used the connection
                    self._conn.close()

    def _loop(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                result = self.sync_once()
                failures, wait = 0, self.interval_s
                log.info("sync pass: %d events %s, %d drawings", result.events, result.verdicts, result.files_sent)
            except AuthError as exc:
                self.record_failure(exc)
                log.error("upload stopped: %s", exc)
                return
            except RetryLater as exc:
                self.record_failure(exc)
                wait = min(exc.retry_after_s, self.backoff_cap_s)
            except Exception as exc:  # network, 5xx, disk, or a bug: the thread must outlive them all
                failures += 1
                self.record_failure(exc)
                wait = self.backoff_s(failures)
                log.warning("upload failed (%d in a row), next try in %.0f s: %s", failures, wait, exc)
            self._stop.wait(wait)

    def record_failure(self, exc: Exception) -> None:
        """last_error for the mediator screen; a refused token also raises the alert."""
        try:
            state.put(self._conn, "last_error", json.dumps({"ts": utc_iso(), "message": str(exc)[:300]}))
            if isinstance(exc, AuthError):
                state.put(self._conn, "alert", str(exc)[:300])
        except sqlite3.Error:
            log.exception("cannot record the sync error")

    def start(self) -> None:
        """Start the thread; a second call while it runs does nothing (two threads on one connection
        would crash the process when one of them closes it)."""
        if self._thread is not None and self._thread.is_alive():
            if not self._stop.is_set():
                return
            self._thread.join()  # a stop in progress: it ends before a new thread takes the connection
        self._stop.clear()
        self._ended = False
        self._thread = threading.Thread(target=self.run, name="uploader", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to stop (it finishes the request in flight, at most timeout_s)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def close(self) -> None:
        self.stop()
        with self._closing_lock:
            if self._thread is not None and not self._ended:
                # a request still in flight (a slow hub, a loaded machine): closing the connection under
                # the thread would crash the process; the thread closes it when it ends
                self._closing = True
                return
        self._conn.close()


def uploader_from_config(config: Any, *, data_dir: Path | str | None = None, hub_url: str | None = None,
                         token: str | None = None) -> "Uploader | None":
    """The uploader a KioskConfig asks for (its [sync] section), or None when no hub is configured.

    For the runtime:  up = uploader_from_config(cfg); up and up.start(); ... at exit: up and up.close()
    The token may come from the environment (QSEC_HUB_TOKEN) to keep it out of shared venue files.
    """
    sync = config.sync
    url = hub_url if hub_url is not None else sync["hub_url"]
    secret = token if token is not None else configured_token(sync)
    if not url or not secret:
        return None
    return Uploader(config.data_dir if data_dir is None else data_dir, hub_url=url, token=secret,
                    batch_size=int(sync["batch_size"]), interval_s=float(sync["interval_s"]),
                    timeout_s=float(sync.get("timeout_s", 30.0)))


def configured_token(sync: Any) -> str:
    """The kiosk's hub token: QSEC_HUB_TOKEN when set (keeps it out of shared venue files), else the
    venue file's [sync] token; "" when neither."""
    return os.environ.get(TOKEN_ENV) or str(sync.get("token", ""))

"""The kiosk's side of a USB export: the bundle written (eventlog.bundle) is noted in the kiosk's log."""
from __future__ import annotations

import json
from pathlib import Path

from eventlog.bundle import ExportResult
from eventlog.sqlite import connect
from eventlog.stamps import utc_iso
from eventlog.wire import db_path
from kiosk.store.recorder import Recorder
from kiosk.sync import state


def record_export(data_dir: Path | str, kiosk_id: str, result: ExportResult) -> None:
    """Note the export in sync_state (mediator screen) and as a `sync.bundle` event in the log."""
    conn = connect(db_path(data_dir))
    try:
        state.put(conn, "last_export", json.dumps({"ts": utc_iso(), "file": str(result.path),
                                                   "events": result.events}))
    finally:
        conn.close()
    recorder = Recorder(data_dir, kiosk_id, flush_interval=0.05)
    try:
        recorder.record("sync.bundle", {"events": result.events}, station="mediator", session_id=None)
        recorder.flush()
    finally:
        recorder.close()

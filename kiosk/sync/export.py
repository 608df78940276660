"""The kiosk's side of a USB export: the bundle (eventlog.bundle), signed with the kiosk's hub token,
and the export noted in the kiosk's log."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eventlog.bundle import ExportResult, export_bundle
from eventlog.sqlite import connect
from eventlog.stamps import utc_iso
from eventlog.wire import db_path
from kiosk.store.recorder import Recorder
from kiosk.sync import state
from kiosk.sync.uploader import configured_token

NO_TOKEN = ("no hub token: the hub imports only bundles signed with the kiosk's token; register the kiosk "
            "(`hub add-kiosk ID` on the hub) and put its token in [sync] token or QSEC_HUB_TOKEN")


class NoToken(Exception):
    """The kiosk has no hub token, so it cannot sign a bundle the hub would accept."""


def export_signed(config: Any, data_dir: Path | str, out: Path | str) -> ExportResult:
    """The whole log in a bundle at `out`, signed for this kiosk (NoToken when it has none)."""
    token = configured_token(config.sync)
    if not token:
        raise NoToken(NO_TOKEN)
    return export_bundle(data_dir, out, kiosk_id=config.kiosk_id, token=token)


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

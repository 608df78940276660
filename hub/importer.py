"""`hub import FILE`: a USB bundle through the same idempotent ingest path as HTTP uploads."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from eventlog.bundle import Bundle
from eventlog.stamps import utc_iso
from hub.db import Db
from hub.ingest import VERDICTS, ingest, store_file
from hub.validate import BodyError, decode_body

CHUNK = 1000



def import_bundle(db: Db, files_dir: Path, path: Path | str) -> dict[str, Any]:
    """Verify the whole bundle against its manifest first (a damaged file imports nothing), then ingest
    its events in chunks and its drawings. Importing the same bundle again yields only duplicates."""
    with Bundle(path, parse=_parse_json) as bundle:
        bundle.verify()
        bundle_sha = bundle.sha256()
        counts = {v: 0 for v in VERDICTS}
        by_kiosk: dict[str, list[Any]] = defaultdict(list)
        reasons: dict[str, int] = defaultdict(int)

        def flush(kiosk_id: str) -> None:
            for result in ingest(db, by_kiosk.pop(kiosk_id), kiosk_id=kiosk_id, source=f"bundle:{bundle_sha}"):
                counts[result["status"]] += 1
                if result["status"] == "invalid":
                    reasons[result["reason"]] += 1

        for event in bundle.events():
            # A bundle is carried by hand: each event is checked against its own kiosk_id.
            kiosk_id = event.get("kiosk_id") if isinstance(event, dict) else None
            key = kiosk_id if isinstance(kiosk_id, str) else ""
            by_kiosk[key].append(event)
            if len(by_kiosk[key]) >= CHUNK:
                flush(key)
        for key in list(by_kiosk):
            flush(key)
        files = {"created": 0, "duplicate": 0, "invalid": 0}
        for sha, data in bundle.attachments():
            try:
                files[store_file(db, files_dir, sha, data, kiosk_id="bundle")] += 1
            except ValueError:
                files["invalid"] += 1
        kiosk_ids = bundle.manifest.get("kiosk_ids")
        summary = {"bundle_sha256": bundle_sha, "events": counts, "files": files, "invalid_reasons": dict(reasons)}
        with db.writing():
            db.execute("INSERT INTO imports (bundle_sha, kiosk_id, imported_at, counts) VALUES (%s, %s, %s, %s)",
                       (bundle_sha, json.dumps(kiosk_ids), utc_iso(), json.dumps(summary)))
        unknown = [k for k in (kiosk_ids if isinstance(kiosk_ids, list) else [])
                   if not db.one("SELECT 1 FROM kiosks WHERE name = %s", (str(k),))]
        summary["unregistered_kiosks"] = unknown
        return summary


def _parse_json(line: bytes) -> Any:
    """Lines parsed like HTTP bodies (NaN marked, not accepted); an unreadable line becomes None."""
    try:
        return decode_body(line, "", len(line))
    except BodyError:
        return None

"""`hub import FILE`: a USB bundle, signed by its kiosk, through the same idempotent ingest path as HTTP uploads."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from eventlog.bundle import Bundle, BundleError
from eventlog.stamps import utc_iso
from hub.db import Db
from hub.ingest import VERDICTS, ingest
from hub.revocation import is_revoked
from hub.storage import QuotaFull, store_file
from hub.validate import BodyError, decode_body

CHUNK = 1000


def import_bundle(db: Db, files_dir: Path, path: Path | str, *, quota: tuple[int, int] | None = None) -> dict[str, Any]:
    """Check who signed the bundle, then the whole bundle against its manifest (a bundle of an unknown
    kiosk, badly signed or damaged imports nothing: BundleError), then ingest its events in chunks and
    its drawings, all in the name of the kiosk that signed it. Importing it again yields only duplicates."""
    with Bundle(path, parse=_parse_json) as bundle:
        kiosk_id = bundle.kiosk_id
        row = db.one("SELECT token_hash, revoked_at FROM kiosks WHERE name = %s", (kiosk_id,))
        if row is None:
            raise BundleError(f"kiosk {kiosk_id!r} is not registered on this hub (hub add-kiosk)")
        if is_revoked(row[0]):
            raise BundleError(f"kiosk {kiosk_id!r} was revoked on {row[1]}: its bundles are refused "
                              "(hub add-kiosk --rotate gives it a new token)")
        bundle.check_signature(row[0])
        bundle.verify()   # also: every event is the signer's
        bundle_sha = bundle.sha256()
        counts = {v: 0 for v in VERDICTS}
        reasons: dict[str, int] = defaultdict(int)
        chunk: list[Any] = []

        def flush() -> None:
            for result in ingest(db, chunk, kiosk_id=kiosk_id, source=f"bundle:{bundle_sha}"):
                counts[result["status"]] += 1
                if result["status"] == "invalid":
                    reasons[result["reason"]] += 1
            chunk.clear()

        for event in bundle.events():
            chunk.append(event)
            if len(chunk) >= CHUNK:
                flush()
        flush()
        files = {"created": 0, "duplicate": 0, "invalid": 0, "over_quota": 0}
        for sha, data in bundle.attachments():
            try:
                files[store_file(db, files_dir, sha, data, kiosk_id=kiosk_id, quota=quota)] += 1
            except ValueError:
                files["invalid"] += 1
            except QuotaFull:
                files["over_quota"] += 1
        summary = {"bundle_sha256": bundle_sha, "kiosk_id": kiosk_id, "events": counts, "files": files,
                   "invalid_reasons": dict(reasons)}
        with db.writing():
            db.execute("INSERT INTO imports (bundle_sha, kiosk_id, imported_at, counts) VALUES (%s, %s, %s, %s)",
                       (bundle_sha, kiosk_id, utc_iso(), json.dumps(summary)))
        return summary


def _parse_json(line: bytes) -> Any:
    """Lines parsed like HTTP bodies (NaN marked, not accepted); an unreadable line becomes None."""
    try:
        return decode_body(line, "", len(line))
    except BodyError:
        return None

"""`hub revoke-kiosk NAME`: a kiosk's token stops speaking for it (stolen, lost, decommissioned).

From then on its token is refused (401: at once for uploads, which check the token again in their
write; within the token cache's minute for reading totals) and so are bundles signed with it. What it stored stays and counts,
unless `--set-aside-since` names the moment it may have been stolen: the events received since then
move to the `conflicts` table (kept for a human, counted nowhere, never shown) and their drawings
become orphans (hub/storage.py). `hub add-kiosk NAME --rotate` gives the kiosk a new token; a bundle
it then exports brings its genuine events back (`hub import`), the forged ones stay out.
"""
from __future__ import annotations

import json
import secrets

from django.db import transaction

from eventlog.stamps import utc_iso
from hub.db import Db
from hub.ingest import stored_event_bytes

REVOKED_PREFIX = "revoked:"     # in token_hash: can equal no token's SHA-256 (hex digits only)


def is_revoked(token_hash: str) -> bool:
    return token_hash.startswith(REVOKED_PREFIX)


def revoke_kiosk(name: str, *, set_aside_since: str | None = None) -> dict[str, int | str]:
    """Revoke the kiosk `name` (ValueError when unknown); {"revoked_at", "set_aside"}."""
    from hub.site.models import Kiosk

    now = utc_iso()
    with transaction.atomic():
        kiosk = Kiosk.objects.select_for_update().filter(name=name).first()
        if kiosk is None:
            raise ValueError(f"no kiosk {name!r} on this hub (hub list-kiosks)")
        kiosk.token_hash, kiosk.revoked_at = REVOKED_PREFIX + secrets.token_hex(16), kiosk.revoked_at or now
        kiosk.save(update_fields=["token_hash", "revoked_at"])
    moved = set_aside(Db(), name, set_aside_since, now) if set_aside_since else 0
    return {"revoked_at": kiosk.revoked_at, "set_aside": moved}


def set_aside(db: Db, kiosk_id: str, since: str, now: str) -> int:
    """Move the kiosk's events received since `since` (the log's UTC text form) to `conflicts`."""
    with db.writing():
        rows = db.dicts("SELECT uuid, ts, kiosk_id, session_id, station, kind, payload, content_sha, received_at, "
                        "source FROM events WHERE kiosk_id = %s AND received_at >= %s", (kiosk_id, since))
        db.executemany(
            "INSERT INTO conflicts (uuid, content_sha, event, received_at, source) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (uuid, content_sha) DO NOTHING",
            [(r["uuid"], r["content_sha"], _event_json(r), r["received_at"], f"set-aside {now}: {r['source']}")
             for r in rows])
        for start in range(0, len(rows), 500):
            chunk = [r["uuid"] for r in rows[start:start + 500]]
            db.execute(f"DELETE FROM events WHERE uuid IN ({','.join(['%s'] * len(chunk))})", chunk)
        db.execute("UPDATE kiosks SET event_bytes = %s WHERE name = %s", (stored_event_bytes(db, kiosk_id), kiosk_id))
    return len(rows)


def _event_json(row: dict) -> str:
    event = {k: row[k] for k in ("uuid", "ts", "kiosk_id", "session_id", "station", "kind")}
    event["payload"] = json.loads(row["payload"])
    return json.dumps(event, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

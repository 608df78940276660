"""The drawings the kiosks send: stored under their SHA-256, counted against each kiosk's quota, and
removed once no event names them for a grace period.

- Quota: a kiosk stores at most [limits] kiosk_max_drawings drawings (350, a season's) and
  kiosk_max_drawing_bytes bytes; beyond, its PUT is answered 413 and the kiosk keeps the drawing (its
  events go on; a bundle imported once the quota is raised brings the drawing). A stolen token can fill
  one kiosk's share, not the disk.
- Orphans: a drawing no wall message names (its event was refused, set aside, or never came) is deleted
  [limits] orphan_grace_s (7 days) after it arrived, as are files on disk without a row (a crash between
  the two) and temporary files left by one. The kiosk sends a drawing just before the batch naming it,
  so a week is ample. `hub serve` prunes on its own; `hub storage [--prune]` reports and prunes now.

Files are written temp, fsync, rename, readable by the hub's user only (visitors' drawings await a
mediator's approval before anyone may see them).
"""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

from eventlog.stamps import utc_iso
from eventlog.wire import SHA256_RE
from hub.db import Db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class QuotaFull(Exception):
    """The kiosk's share of the hub's storage is used up (answered 413)."""


def file_path(files_dir: Path, sha256: str) -> Path:
    return files_dir / sha256[:2] / f"{sha256}.png"


def store_file(db: Db, files_dir: Path, sha256: str, data: bytes, *, kiosk_id: str,
               quota: tuple[int, int] | None = None) -> str:
    """'created' or 'duplicate'; ValueError when the bytes do not match their name or are no PNG;
    QuotaFull when the kiosk already holds `quota` = (drawings, bytes).

    The file is written before its row, so a row always has its file; a crash between the two leaves a
    file without a row, which the next PUT of the same bytes adopts (or the orphan pruning removes)."""
    if not SHA256_RE.fullmatch(sha256):
        raise ValueError("name must be 64 lower-case hex digits")
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValueError("content does not match its sha256")
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("attachments must be PNG images")
    target = file_path(files_dir, sha256)
    if db.one("SELECT 1 FROM files WHERE sha256 = %s", (sha256,)):
        _write(target, data)          # a no-op unless an outside prune removed it meanwhile
        return "duplicate"
    if quota is not None:
        refusal = quota_refusal(db, kiosk_id, len(data), quota)
        if refusal:
            raise QuotaFull(refusal)
    _write(target, data)
    with db.writing():
        stored = db.execute("INSERT INTO files (sha256, bytes, received_at, kiosk_id) VALUES (%s, %s, %s, %s) "
                            "ON CONFLICT (sha256) DO NOTHING RETURNING sha256",
                            (sha256, len(data), utc_iso(), kiosk_id))
    _write(target, data)              # pruned between the write and the row (another process): again
    return "created" if stored else "duplicate"


def _write(target: Path, data: bytes) -> None:
    if target.is_file() and target.stat().st_size == len(data):
        return
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)


def quota_refusal(db: Db, kiosk_id: str, size: int, quota: tuple[int, int]) -> str | None:
    """Why `size` more bytes would not fit in the kiosk's quota, or None."""
    drawings, used = db.one("SELECT count(*), COALESCE(SUM(bytes), 0) FROM files WHERE kiosk_id = %s", (kiosk_id,))
    used = int(used)                    # PostgreSQL sums to a Decimal
    max_drawings, max_bytes = quota
    if drawings + 1 > max_drawings or used + size > max_bytes:
        return (f"storage quota of kiosk {kiosk_id!r} on the hub is full ({drawings} drawings, "
                f"{used / 1e6:.1f} MB; at most {max_drawings} and {max_bytes / 1e6:.1f} MB): the drawing stays "
                "on the kiosk")
    return None


# -- orphans ---------------------------------------------------------------------------------------
def _named(db: Db) -> set[str]:
    """Every drawing a stored wall message names."""
    return {sha for (sha,) in db.execute(f"SELECT DISTINCT {db.json('payload', 'drawing_sha256')} FROM events "
                                         "WHERE kind = 'wall.message'") if isinstance(sha, str)}


def orphans(db: Db, files_dir: Path, grace_s: float, now: float | None = None) -> dict[str, Any]:
    """What pruning would remove now: {"rows": [(sha256, kiosk_id, bytes)], "stray": [Path]} — rows no
    event names that arrived more than grace_s ago, and files without a row (or temporary files)
    untouched for as long."""
    now = time.time() if now is None else now
    cutoff = utc_iso(now - grace_s)
    named = _named(db)
    rows = [(sha, kiosk, size) for sha, kiosk, size, received in
            db.execute("SELECT sha256, kiosk_id, bytes, received_at FROM files ORDER BY received_at")
            if sha not in named and received < cutoff]
    known = {sha for (sha,) in db.execute("SELECT sha256 FROM files")}
    stray = [path for path in sorted(files_dir.glob("??/*")) if path.is_file()
             and (path.suffix != ".png" or path.stem not in known) and path.stat().st_mtime < now - grace_s]
    return {"rows": rows, "stray": stray}


def prune(db: Db, files_dir: Path, grace_s: float, now: float | None = None) -> dict[str, int]:
    """Delete the orphans (rows first, in one transaction, then their files); {"files", "bytes"}."""
    found = orphans(db, files_dir, grace_s, now)
    with db.writing():
        named_now = _named(db)          # a wall message naming one may have arrived since
        gone = [(sha, size) for sha, _, size in found["rows"] if sha not in named_now]
        for start in range(0, len(gone), 500):
            chunk = [sha for sha, _ in gone[start:start + 500]]
            db.execute(f"DELETE FROM files WHERE sha256 IN ({','.join(['%s'] * len(chunk))})", chunk)
    paths = [file_path(files_dir, sha) for sha, _ in gone] + found["stray"]
    removed = 0
    for path in paths:
        try:
            removed += path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            pass
    return {"files": len(paths), "bytes": removed}


# -- the report of `hub storage` -------------------------------------------------------------------
def report(db: Db, files_dir: Path, config: Any) -> list[dict[str, Any]]:
    """One row per kiosk (registered or having stored files): drawings and bytes against its quota,
    its orphans and how many of them are past the grace period, its events' stored size against their
    quota (hub/ingest.py); a last row for files on disk that no row holds."""
    every, due = orphans(db, files_dir, 0.0), orphans(db, files_dir, config.orphan_grace_s)
    due_rows = {sha for sha, _, _ in due["rows"]}
    usage = {kiosk: (count, int(size)) for kiosk, count, size in
             db.execute("SELECT kiosk_id, count(*), COALESCE(SUM(bytes), 0) FROM files GROUP BY kiosk_id")}
    events = {name: int(size) for name, size in db.execute("SELECT name, event_bytes FROM kiosks")}
    rows = []
    for kiosk in sorted(set(usage) | set(events)):
        count, size = usage.get(kiosk, (0, 0))
        mine = [(sha, size) for sha, owner, size in every["rows"] if owner == kiosk]
        event_bytes = events.get(kiosk, 0)
        rows.append({"kiosk": kiosk, "drawings": count, "bytes": size, "max_drawings": config.kiosk_max_drawings,
                     "max_bytes": config.kiosk_max_drawing_bytes,
                     "full": count >= config.kiosk_max_drawings or size >= config.kiosk_max_drawing_bytes,
                     "orphans": len(mine), "orphan_bytes": sum(b for _, b in mine),
                     "orphans_due": sum(1 for sha, _ in mine if sha in due_rows),
                     "event_bytes": event_bytes, "max_event_bytes": config.kiosk_max_event_bytes})
    rows.append({"kiosk": None, "drawings": 0, "bytes": 0, "max_drawings": None, "max_bytes": None, "full": False,
                 "orphans": len(every["stray"]), "orphan_bytes": sum(p.stat().st_size for p in every["stray"]),
                 "orphans_due": len(due["stray"]), "event_bytes": 0, "max_event_bytes": None})
    return rows

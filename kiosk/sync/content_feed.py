"""Content that flows down from the website: the programme and the tour calendar the agenda station
shows (GET /api/v1/agenda, version 1).

The uploader's thread fetches it after each pass with If-None-Match, so an unchanged programme costs a
304 and no body. The last copy received is kept on disk (written whole, then renamed: a power cut
leaves the old copy or the new one, never half of one); offline, the station shows that copy; a kiosk
that never synced shows its config/content/agenda.toml. The station checks the copy with the same
rules as the content file (stations/agenda/model.py, parse_feed) and keeps its current programme if
the copy does not pass.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from eventlog.sqlite import fsync_dir
from eventlog.stamps import utc_iso

FEED_PATH = "/api/v1/agenda"
FEED_VERSION = 1
CACHE_FILE = Path("content") / "agenda-feed.json"


def cache_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / CACHE_FILE


def read_cached_feed(data_dir: Path | str) -> dict[str, Any] | None:
    """{"etag", "fetched_at", "feed"} as last stored, or None (never synced, or unreadable)."""
    try:
        cached = json.loads(cache_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(cached, dict) or not isinstance(cached.get("feed"), dict):
        return None
    return cached


def store_feed(data_dir: Path | str, etag: str | None, feed: dict[str, Any]) -> None:
    path = cache_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump({"etag": etag, "fetched_at": utc_iso(), "feed": feed}, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def refresh_feed(client, data_dir: Path | str) -> str:
    """Ask the hub for the programme; 'updated', 'unchanged' or 'refused' (a feed of another version
    or shape is not stored). Network trouble raises the client's SyncError, as uploads do."""
    cached = read_cached_feed(data_dir)
    etag = cached.get("etag") if cached else None
    status, new_etag, feed = client.get_feed(FEED_PATH, etag if isinstance(etag, str) else None)
    if status == 304:
        return "unchanged"
    if not isinstance(feed, dict) or feed.get("version") != FEED_VERSION or not isinstance(feed.get("event"), list) \
            or not isinstance(feed.get("tour"), list):
        return "refused"
    store_feed(data_dir, new_etag, feed)
    return "updated"

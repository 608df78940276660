"""What the public pages read from the kiosks' event log: live totals, the approved contributions, survey
answers per venue. Plain SQL on hub.db.Db (both databases); a kiosk's venue is its registry entry's
`place` (back office: Bornes).

A wall message is shown when the decision that stands on it (hub.moderation: its own kiosk's latest) is
an approval and nobody took it down on the hub (hub.lookup.moderation_state says the same for one message).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from hub.db import Db
from hub.ingest import survey_answer_counts
from hub.lookup import MAX_TEXT, _payload
from hub.moderation import approved_join

CACHE_S = 30.0
_cache: dict[Any, tuple[float, Any]] = {}
_cache_lock = threading.Lock()


def cached(key: Any, compute, max_age_s: float = CACHE_S):
    """Slow-moving aggregates (a scan of the month's door counts) are computed at most every 30 s."""
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and time.monotonic() - hit[0] < max_age_s:
            return hit[1]
    value = compute()
    with _cache_lock:
        _cache[key] = (time.monotonic(), value)
    return value


def forget_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _venue_filter(db: Db, venue_id: int | None, column: str = "kiosk_id") -> tuple[str, tuple]:
    if venue_id is None:
        return "", ()
    return f" AND {column} IN (SELECT name FROM kiosks WHERE place_id = %s)", (venue_id,)


def _approved(db: Db) -> str:
    """A join keeping the wall messages whose standing decision is an approval (hub.moderation: one
    pass over the decisions, a window per message and kiosk, not one look-up per message)."""
    return approved_join(db, "e")


NOT_TAKEN_DOWN = "NOT EXISTS (SELECT 1 FROM site_takedown t WHERE t.event_uuid = e.uuid)"


def totals(db: Db, venue_id: int | None = None) -> dict[str, int]:
    """Door entries, visitor sessions, survey passes, approved contributions, school groups."""
    where, params = _venue_filter(db, venue_id)
    entries = db.one(f"SELECT COALESCE(SUM(CAST({db.json('payload', 'in')} AS INTEGER)), 0) FROM events "
                     f"WHERE kind = 'footfall.minute'{where}", params)[0]
    counts = dict(db.execute(
        f"SELECT kind, count(*) FROM events WHERE kind IN ('session.start', 'survey.complete', 'group.start')"
        f"{where} GROUP BY kind", params))
    wall_where, wall_params = _venue_filter(db, venue_id, "e.kiosk_id")
    approved = db.one(f"SELECT count(*) FROM events e {_approved(db)} WHERE e.kind = 'wall.message'{wall_where} "
                      f"AND {NOT_TAKEN_DOWN}", wall_params)[0]
    return {"entries": int(entries or 0), "sessions": counts.get("session.start", 0),
            "surveys": counts.get("survey.complete", 0), "contributions": int(approved),
            "groups": counts.get("group.start", 0)}


@dataclass
class Contribution:
    code: str
    ts: str
    kiosk_id: str
    question: str
    text: str
    has_drawing: bool
    venue_name: str | None
    venue_slug: str | None


def contributions(db: Db, *, venue_id: int | None = None, question: str | None = None, limit: int = 24,
                  offset: int = 0) -> tuple[int, list[Contribution]]:
    """(how many, this page of them), newest first."""
    where, params = _venue_filter(db, venue_id, "e.kiosk_id")
    if question:
        where += f" AND {db.json('e.payload', 'question')} = %s"
        params += (question,)
    condition = f"e.kind = 'wall.message'{where} AND {NOT_TAKEN_DOWN}"
    count = db.one(f"SELECT count(*) FROM events e {_approved(db)} WHERE {condition}", params)[0]
    rows = db.execute(
        f"SELECT e.short_code, e.ts, e.kiosk_id, e.payload, v.name, v.slug FROM events e {_approved(db)} "
        "LEFT JOIN kiosks k ON k.name = e.kiosk_id LEFT JOIN site_venue v ON v.id = k.place_id "
        f"WHERE {condition} ORDER BY e.ts DESC, e.seq DESC LIMIT %s OFFSET %s", params + (limit, offset))
    found = []
    for code, ts, kiosk_id, payload_text, venue_name, venue_slug in rows:
        payload = _payload(payload_text)
        text = payload.get("text")
        found.append(Contribution(code or "", ts, kiosk_id, str(payload.get("question", "")),
                                  text[:MAX_TEXT] if isinstance(text, str) else "",
                                  isinstance(payload.get("drawing_sha256"), str), venue_name, venue_slug))
    return count, found


def wall_questions_in_use(db: Db) -> list[str]:
    return [q for (q,) in db.execute(f"SELECT DISTINCT {db.json('payload', 'question')} FROM events "
                                     "WHERE kind = 'wall.message' ORDER BY 1") if isinstance(q, str)]


def survey_by_venue(db: Db, venue_ids: list[int]) -> dict[int | None, dict[str, dict]]:
    """{venue id (None: all venues): {question: {"answers": n, "choices": {choice: n}}}}."""
    results: dict[int | None, dict[str, dict]] = {None: survey_answer_counts(db)}
    for venue_id in venue_ids:
        where, params = _venue_filter(db, venue_id)
        results[venue_id] = survey_answer_counts(db, where, params)
    return results

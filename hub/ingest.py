"""The one idempotent path every event takes into the hub (HTTP batches and USB bundles alike), and
the all-venue survey totals (the drawings' store is hub/storage.py)."""
from __future__ import annotations

import json
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from typing import Any

from eventlog.stamps import utc_iso
from hub.db import Db, event_short_code
from hub.moderation import refused_decisions
from hub.validate import CLOCK_FIELD, UUID_RE, check_event, placed_ts

VERDICTS = ("created", "duplicate", "conflict", "invalid")
# What a stored event costs a kiosk's quota ([limits] kiosk_max_event_bytes): its payload's characters
# plus this for the rest of its row and its index entries. An honest event weighs ~320 (payloads
# average ~70 characters); a forger sending empty payloads still pays for its rows.
ROW_BYTES = 256


class EventQuotaFull(Exception):
    """The kiosk's events fill its share of the hub's storage (answered 507: the kiosk keeps them)."""


def ingest(db: Db, events: list[Any], *, kiosk_id: str, source: str = "http",
           now: datetime | None = None, quota: int | None = None) -> list[dict]:
    """Validate and store a batch in one transaction; return one verdict per event, in order.
    With `quota` (bytes), a batch whose new events would take the kiosk past it stores nothing
    (EventQuotaFull); every batch adds its new events' size to the kiosk's count.

    Holding the write lock (Db.writing) nobody else can insert between our look-up and our insert, and
    the UNIQUE constraint on uuid is the last word anyway: a concurrent re-send of the same batch sees
    duplicates.
    """
    now = now or datetime.now(timezone.utc)
    checked = [check_event(event, kiosk_id, now) for event in events]
    results: list[dict] = []
    received_at = utc_iso()
    with db.writing():
        for i, reason in refused_decisions(db, events, checked, kiosk_id).items():
            checked[i] = (None, reason, "")
        uuids = [clean["uuid"] for clean, _, _ in checked if clean is not None]
        known = _known_shas(db, uuids)
        new_rows, conflict_rows = [], []
        for event, (clean, reason, sha) in zip(events, checked):
            if clean is None:
                uuid = event.get("uuid") if isinstance(event, dict) else None
                echo = uuid if isinstance(uuid, str) and UUID_RE.fullmatch(uuid) else None  # never echo junk
                results.append({"uuid": echo, "status": "invalid", "reason": reason})
                continue
            uuid = clean["uuid"]
            if uuid not in known:
                known[uuid] = sha
                code = event_short_code(clean["kind"], uuid, event.get("payload"))
                new_rows.append((uuid, placed_ts(clean), clean["kiosk_id"], clean["session_id"], clean["station"],
                                 clean["kind"], clean["payload"], sha, received_at, source, code,
                                 _kiosk_clock(clean)))
                results.append({"uuid": uuid, "status": "created"})
            elif known[uuid] == sha:
                results.append({"uuid": uuid, "status": "duplicate"})
            else:
                event_json = json.dumps(clean, sort_keys=True, ensure_ascii=False, separators=(",", ":")).replace(
                    "\x00", "\\u0000")   # as the payload: no NUL in a PostgreSQL text
                conflict_rows.append((uuid, sha, event_json, received_at, source))
                results.append({"uuid": uuid, "status": "conflict"})
        _count_stored(db, kiosk_id, sum(len(row[6]) + ROW_BYTES for row in new_rows), quota)
        db.executemany(
            "INSERT INTO events (uuid, ts, kiosk_id, session_id, station, kind, payload, content_sha, "
            "received_at, source, short_code, kiosk_clock) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            new_rows)
        db.executemany(
            "INSERT INTO conflicts (uuid, content_sha, event, received_at, source) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (uuid, content_sha) DO NOTHING", conflict_rows)
    return results


def _kiosk_clock(clean: dict) -> str | None:
    """For an event placed at the kiosk's estimate: the kiosk's raw ts and clock note, for audit."""
    clock = clean.get(CLOCK_FIELD)
    if clock is None:
        return None
    return json.dumps({"ts": clean["ts"], **clock}, sort_keys=True, separators=(",", ":"))


def _count_stored(db: Db, kiosk_id: str, added: int, quota: int | None) -> None:
    """Inside the ingest's transaction: refuse a batch past the kiosk's quota, else count it."""
    if not added:
        return
    if quota is not None:
        row = db.one("SELECT event_bytes FROM kiosks WHERE name = %s", (kiosk_id,))
        used = int(row[0]) if row else 0
        if used + added > quota:
            raise EventQuotaFull(
                f"storage quota of kiosk {kiosk_id!r} on the hub is full ({used / 1e6:.1f} MB of events stored, "
                f"at most {quota / 1e6:.1f} MB): nothing of this batch stored, the kiosk keeps its events")
    db.execute("UPDATE kiosks SET event_bytes = event_bytes + %s WHERE name = %s", (added, kiosk_id))


def stored_event_bytes(db: Db, kiosk_id: str) -> int:
    """The kiosk's events as its quota counts them, recounted from the rows (one pass over its index)."""
    return int(db.one(f"SELECT COALESCE(SUM(LENGTH(payload) + {ROW_BYTES}), 0) FROM events WHERE kiosk_id = %s",
                      (kiosk_id,))[0])


def _known_shas(db: Db, uuids: list[str]) -> dict[str, str]:
    known: dict[str, str] = {}
    for start in range(0, len(uuids), 500):  # stay under SQLite's bound-parameter limit
        chunk = uuids[start:start + 500]
        marks = ",".join(["%s"] * len(chunk))
        for uuid, sha in db.execute(f"SELECT uuid, content_sha FROM events WHERE uuid IN ({marks})", chunk):
            known[uuid] = sha
    return known


def count_verdicts(results: list[dict]) -> dict[str, int]:
    counts = Counter(r["status"] for r in results)
    return {v: counts.get(v, 0) for v in VERDICTS}


# -- totals --------------------------------------------------------------------------------------
# Only the latest answer of a pass through the survey counts, as on the kiosk (stations/survey/tally.py):
# a visitor who went back and changed an answer counts once. A pass is (kiosk, run): `run` is a random
# token per pass on one kiosk; answers without one each count alone. Hub seq follows each kiosk's own
# order (it uploads in log order), so MAX(seq) is the kiosk's latest.
def latest_answers_sql(db: Db, where: str = "") -> str:
    """(question, passes, NULL) rows then (question, passes, choice) rows; `where` narrows the answers
    (e.g. to some kiosks) and may hold %s placeholders, whose values are given twice."""
    question, run = db.json("payload", "question"), db.json("payload", "run")
    if db.vendor == "postgresql":
        choices = ("jsonb_array_elements(latest.payload::jsonb -> 'choices') AS c(value) "
                   "WHERE jsonb_typeof(c.value) IN ('string', 'number')")
        choice = "c.value #>> '{}'"
    else:
        choices = "json_each(latest.payload, '$.choices') AS c WHERE c.type IN ('text', 'integer', 'real')"
        choice = "CAST(c.value AS TEXT)"
    return f"""
WITH answers AS (
    SELECT seq, {question} AS question, payload,
           COALESCE(kiosk_id || ' ' || {run}, 'seq:' || seq) AS pass
    FROM events WHERE kind = 'survey.answer' {where}
),
latest AS (
    SELECT question, payload FROM answers
    WHERE seq IN (SELECT MAX(seq) FROM answers GROUP BY pass, question)
)
SELECT question, COUNT(*), NULL FROM latest GROUP BY question
UNION ALL
SELECT latest.question, COUNT(*), {choice} FROM latest, {choices}
GROUP BY 1, 3
"""


def survey_answer_counts(db: Db, where: str = "", params: tuple = ()) -> dict[str, dict]:
    """{question: {"answers": passes that answered it, "choices": {choice: passes that picked it}}}."""
    survey: dict[str, dict] = {}
    for question, count, choice in db.execute(latest_answers_sql(db, where), params):
        entry = survey.setdefault(str(question), {"answers": 0, "choices": {}})
        if choice is None:
            entry["answers"] = count
        else:
            entry["choices"][str(choice)] = count
    return survey


def survey_totals(db: Db) -> dict:
    """Survey answers counted across all venues: {question: {"answers": n, "choices": {choice: n}}}."""
    survey = survey_answer_counts(db)
    venues, kiosks = db.one(
        "SELECT count(DISTINCT k.venue), count(DISTINCT k.name) FROM kiosks k "
        "WHERE EXISTS (SELECT 1 FROM events e WHERE e.kiosk_id = k.name)")
    sessions = db.one("SELECT count(*) FROM events WHERE kind = 'session.start'")[0]
    completes = db.one("SELECT count(*) FROM events WHERE kind = 'survey.complete'")[0]
    return {"generated_at": utc_iso(), "venues": venues, "kiosks": kiosks, "sessions": sessions,
            "surveys_completed": completes, "survey": survey}


_totals_lock = threading.Lock()
_totals: tuple[float, dict] | None = None


def cached_survey_totals(db: Db, max_age_s: float) -> dict:
    """survey_totals, computed at most every max_age_s: every kiosk fetches them on every sync, every
    survey page and the home page show them, and they move slowly."""
    global _totals
    with _totals_lock:
        if _totals is None or time.monotonic() - _totals[0] > max_age_s:
            _totals = (time.monotonic(), survey_totals(db))
        return _totals[1]


def forget_cached_totals() -> None:
    global _totals
    with _totals_lock:
        _totals = None

"""What the public pages need from the database, one index probe per question (see m006 in db.py).

Every function takes the reader's connection and returns plain data; nothing here formats HTML.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from hub.db import Db
from hub.moderation import standing_decision
from eventlog.shortcode import normalise_typed_code

MAX_TEXT = 280                                 # as the wall shows it (stations/wall/model.py)
CONTRIBUTION_KINDS = ("survey.complete", "wall.message")


def _payload(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def clean_code(raw: str) -> str | None:
    """The canonical code from a URL segment (case, spaces and dashes forgiven), or None."""
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    return normalise_typed_code(raw)


def _by_code(db: Db, code: str, kinds: tuple[str, ...]) -> dict[str, Any] | None:
    marks = ",".join(["%s"] * len(kinds))
    # Two contributions sharing a code (≈1e-3 pairs in a million): the oldest keeps its page, as the
    # kiosk printed it first.
    rows = db.dicts(
        f"SELECT seq, uuid, ts, kiosk_id, session_id, kind, payload FROM events "
        f"WHERE short_code = %s AND kind IN ({marks}) ORDER BY seq LIMIT 1", (code, *kinds))
    return rows[0] if rows else None


@dataclass
class SurveyVisit:
    ts: str
    answers: list[tuple[str, list[str]]]      # (question id, choice ids), in the order first answered


@dataclass
class WallMessage:
    uuid: str
    ts: str
    state: str                                 # pending | approved | rejected | withdrawn (taken down on the hub)
    kiosk_id: str = ""
    question: str = ""
    text: str = ""
    drawing_sha256: str | None = None


def find_contribution(db: Db, code: str) -> SurveyVisit | WallMessage | None:
    row = _by_code(db, code, CONTRIBUTION_KINDS)
    if row is None:
        return None
    payload = _payload(row["payload"])
    if row["kind"] == "survey.complete":
        return SurveyVisit(row["ts"], survey_answers(db, row, payload.get("run")))
    return wall_message(db, row, payload)


def survey_answers(db: Db, complete: dict[str, Any], run: Any) -> list[tuple[str, list[str]]]:
    """The pass's latest answer to each question (the same rule as the totals)."""
    if isinstance(run, str):
        rows = db.execute(
            "SELECT payload FROM events WHERE kind = 'survey.answer' AND kiosk_id = %s "
            f"AND {db.json('payload', 'run')} = %s ORDER BY seq", (complete["kiosk_id"], run))
    elif complete["session_id"] is not None:   # an older kiosk without run tokens: the session's answers
        rows = db.execute(
            "SELECT payload FROM events WHERE kind = 'survey.answer' AND kiosk_id = %s AND session_id = %s "
            "AND seq < %s ORDER BY seq", (complete["kiosk_id"], complete["session_id"], complete["seq"]))
    else:
        rows = []
    latest: dict[str, list[str]] = {}
    for (text,) in rows:
        payload = _payload(text)
        question, choices = payload.get("question"), payload.get("choices")
        if isinstance(question, str) and isinstance(choices, list):
            latest[question] = [str(c) for c in choices if isinstance(c, (str, int, float))]
    return [(q, c) for q, c in latest.items() if c]


def moderation_state(db: Db, uuid: str, kiosk_id: str) -> str:
    """pending | approved | rejected by the mediators of the message's kiosk (hub.moderation: only
    they decide); withdrawn when taken down on the hub."""
    if db.one("SELECT 1 FROM site_takedown WHERE event_uuid = %s", (uuid,)):
        return "withdrawn"
    decision = standing_decision(db, uuid, kiosk_id)
    return {"moderation.approved": "approved", "moderation.rejected": "rejected"}.get(decision or "", "pending")


def wall_message(db: Db, row: dict[str, Any], payload: dict[str, Any]) -> WallMessage:
    message = WallMessage(row["uuid"], row["ts"], moderation_state(db, row["uuid"], row["kiosk_id"]),
                          row["kiosk_id"])
    state = message.state
    if state == "approved":   # nothing of a pending or rejected message leaves this function
        sha = payload.get("drawing_sha256")
        message.question = str(payload.get("question", ""))
        message.text = str(payload.get("text", ""))[:MAX_TEXT] if isinstance(payload.get("text"), str) else ""
        message.drawing_sha256 = sha if isinstance(sha, str) else None
    return message


def stored_file(db: Db, sha256: str) -> bool:
    return db.one("SELECT 1 FROM files WHERE sha256 = %s", (sha256,)) is not None


@dataclass
class GroupVisit:
    ts: str
    kiosk_id: str
    venue: str | None
    level: str
    label: str
    activity: str
    pupils: int | None
    challenges: list[dict[str, Any]] = field(default_factory=list)   # metric, value, success, step
    quiz: list[dict[str, Any]] = field(default_factory=list)         # step, value (choice index), success
    reached_results: bool = False
    ended: str | None = None


def find_group(db: Db, code: str) -> GroupVisit | None:
    start = _by_code(db, code, ("group.start",))
    if start is None:
        return None
    payload = _payload(start["payload"])
    group_id = payload.get("group_id")
    venue = db.one("SELECT venue FROM kiosks WHERE name = %s", (start["kiosk_id"],))
    pupils = payload.get("pupils")
    visit = GroupVisit(start["ts"], start["kiosk_id"], venue[0] if venue else None, str(payload.get("level", "")),
                       str(payload.get("label", "")), str(payload.get("activity", "")),
                       pupils if isinstance(pupils, int) and not isinstance(pupils, bool) else None)
    for kind, text in db.execute(
            f"SELECT kind, payload FROM events WHERE {db.json('payload', 'group_id')} = %s "
            "AND kind IN ('group.step', 'group.challenge', 'group.end') AND kiosk_id = %s ORDER BY seq",
            (group_id, start["kiosk_id"])):
        event = _payload(text)
        if kind == "group.challenge":
            entry = {"metric": str(event.get("metric", "")), "value": event.get("value"),
                     "success": event.get("success") is True, "step": str(event.get("step", ""))}
            (visit.quiz if entry["metric"] == "quiz" else visit.challenges).append(entry)
        elif kind == "group.step" and event.get("kind") == "results":
            visit.reached_results = True
        elif kind == "group.end":
            visit.ended = str(event.get("reason", ""))
    return visit

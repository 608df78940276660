"""« Mur des questions »: the season's questions (content) and the state of every contribution,
derived from the event log. No pygame.

A contribution is a `wall.message` event {question, text?, drawing_sha256?, flags}. Its state is the
latest moderation event naming it (`moderation.approved` / `moderation.rejected`, payload.target =
the message's uuid); with none it is pending. Nothing pending or rejected ever leaves these queries
for display: only `approved_contributions` feeds the wall and the attract loop.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Mapping

from kiosk.content import Checker, ContentError, Text, read_content

MAX_TEXT = 280


@dataclass(frozen=True)
class WallQuestion:
    id: str
    text: Text
    icon: str | None = None


# The question picker lists them one under the other: seven would leave rows lower than two lines of text.
MAX_QUESTIONS = 6
QUESTION_KEYS = {"id", "text", "icon"}
TOP_KEYS = {"question", "insult_lists"}


def parse_wall(data: Mapping[str, Any], file: str) -> tuple[list[WallQuestion], list[str], list]:
    """(questions, insult word-list file names, problems)."""
    check = Checker(file)
    check.unknown_keys(data, "(top level)", TOP_KEYS)
    questions: list[WallQuestion] = []
    seen: set[str] = set()
    for i, raw in enumerate(check.table_list(data, "question", "question",
                                             at_most=(MAX_QUESTIONS, "rows of the question picker"))):
        key = f"question[{i}]"
        check.unknown_keys(raw, key, QUESTION_KEYS)
        qid = check.unique_id(raw, key, seen, "question")
        text = check.text(raw, "text", key)
        icon = check.icon(raw, "icon", key, required=False)
        if qid and text:
            questions.append(WallQuestion(qid, text, icon))
    lists = data.get("insult_lists", ["insults-fr.txt", "insults-en.txt"])
    if not isinstance(lists, list) or not all(isinstance(x, str) for x in lists):
        check.problem("insult_lists", repr(lists), 'a list of file names in config/content, e.g. ["insults-fr.txt"]')
        lists = []
    from kiosk.content import content_path

    for j, name in enumerate(lists):
        if not content_path(name).is_file():
            check.problem(f"insult_lists[{j}]", f"{name!r}: no such file", "a word list in config/content/")
    return questions, list(lists), check.problems


def load_wall(name: str) -> tuple[list[WallQuestion], list[str]]:
    file, data, problems = read_content(name)
    if data is None:
        raise ContentError(problems)
    questions, lists, problems = parse_wall(data, file)
    if problems:
        raise ContentError(problems)
    return questions, lists


# -- contributions and their moderation state --------------------------------------------------

@dataclass(frozen=True)
class Contribution:
    uuid: str
    ts: str
    question: str
    text: str = ""
    drawing_sha256: str | None = None
    flags: tuple[str, ...] = ()
    state: str = "pending"           # pending | approved | rejected
    decided_ts: str | None = None


MESSAGES_SQL = "SELECT uuid, ts, payload FROM events WHERE kind = 'wall.message' ORDER BY seq"
DECISIONS_SQL = ("SELECT json_extract(payload, '$.target'), kind, ts FROM events "
                 "WHERE kind IN ('moderation.approved', 'moderation.rejected') ORDER BY seq")
STATE_OF_KIND = {"moderation.approved": "approved", "moderation.rejected": "rejected"}


def _to_contribution(uuid: str, ts: str, payload_text: str, state: str, decided_ts: str | None) -> Contribution:
    try:
        payload = json.loads(payload_text)
    except (TypeError, ValueError):
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    flags = payload.get("flags") if isinstance(payload.get("flags"), list) else []
    sha = payload.get("drawing_sha256")
    return Contribution(uuid=uuid, ts=ts, question=str(payload.get("question", "")),
                        text=str(payload.get("text", ""))[:MAX_TEXT],
                        drawing_sha256=sha if isinstance(sha, str) else None,
                        flags=tuple(str(f) for f in flags), state=state, decided_ts=decided_ts)


def contributions(conn: sqlite3.Connection, state: str | None = None, *, oldest_first: bool = True,
                  limit: int | None = None) -> list[Contribution]:
    """Every wall message with its state: the latest moderation event naming it, else pending.

    Two indexed scans (messages, decisions) joined in a dict: linear in the log, where a SQL join on
    json_extract(target) would compare every message with every decision."""
    latest: dict[str, tuple[str, str]] = {}
    for target, kind, ts in conn.execute(DECISIONS_SQL):
        latest[str(target)] = (STATE_OF_KIND[kind], ts)      # ordered by seq: the last one wins
    rows = conn.execute(MESSAGES_SQL).fetchall()
    if not oldest_first:
        rows.reverse()
    out: list[Contribution] = []
    for uuid, ts, payload in rows:
        row_state, decided = latest.get(uuid, ("pending", None))
        if state is not None and row_state != state:
            continue
        out.append(_to_contribution(uuid, ts, payload, row_state, decided))
        if limit is not None and len(out) >= limit:
            break
    return out


def approved_contributions(conn: sqlite3.Connection, limit: int = 30) -> list[Contribution]:
    """The newest approved contributions — the only ones the wall and the attract loop may show."""
    return contributions(conn, "approved", oldest_first=False, limit=limit)


def pending_contributions(conn: sqlite3.Connection, limit: int | None = None) -> list[Contribution]:
    """Waiting for a mediator, oldest first (first come, first served)."""
    return contributions(conn, "pending", oldest_first=True, limit=limit)


def moderation_counts(conn: sqlite3.Connection) -> dict[str, int]:
    counts = {"pending": 0, "approved": 0, "rejected": 0}
    for c in contributions(conn):
        counts[c.state] += 1
    return counts


@dataclass
class MessageDraft:
    """What the visitor is composing: text and/or a drawing, for one question."""

    question: str
    text: str = ""
    drawing_sha256: str | None = None
    flags: list[str] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {"question": self.question, "flags": sorted(set(self.flags))}
        if self.text.strip():
            out["text"] = self.text.strip()[:MAX_TEXT]
        if self.drawing_sha256:
            out["drawing_sha256"] = self.drawing_sha256
        return out

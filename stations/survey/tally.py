"""Everyone's answers to « Mes mobilités », read from the event log, and the sentence that reads a
chart for the visitor. No pygame.

Each answer is one `survey.answer` event {question, choices, run}; for each (run, question) only the
latest event counts (an answer changed after « Retour » counts once). "Today" and "since opening"
are local midnights in the venue's time zone, compared as UTC text with the log's timestamps.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from eventlog.stamps import utc_iso
from kiosk.content import localise
from kiosk.store.wall_clock import PLACED
from stations.survey.model import Choice, Question


def local_midnight_utc(day: date, tz: ZoneInfo) -> str:
    return utc_iso(datetime.combine(day, time(0, 0), tzinfo=tz))


@dataclass
class Tally:
    respondents: int = 0
    counts: Counter = field(default_factory=Counter)

    def fraction(self, choice_id: str) -> float:
        return self.counts[choice_id] / self.respondents if self.respondents else 0.0


LATEST_ANSWERS_SQL = """
WITH answers AS (
    SELECT seq, json_extract(payload, '$.question') AS question,
           COALESCE(json_extract(payload, '$.run'), 'seq:' || seq) AS run, payload
    FROM events
    WHERE kind = 'survey.answer' {since} {exclude}
),
latest AS (
    SELECT question, payload FROM answers
    WHERE seq IN (SELECT MAX(seq) FROM answers GROUP BY run, question)
)
SELECT question, COUNT(*) AS respondents, NULL AS choice FROM latest GROUP BY question
UNION ALL
SELECT latest.question, COUNT(*), choice.value FROM latest, json_each(latest.payload, '$.choices') AS choice
GROUP BY latest.question, choice.value
"""


def tally_answers(conn: sqlite3.Connection, since_utc: str | None = None,
                  exclude_run: str | None = None) -> dict[str, Tally]:
    """Per question: how many runs answered it and how many picked each choice (latest answer per run)."""
    tallies: dict[str, Tally] = {}
    # Conditions are left out rather than written "(:since IS NULL OR ts >= :since)": that form
    # keeps SQLite from using the (kind, placed time) index for the range, and "today" would read everything.
    sql = LATEST_ANSWERS_SQL.format(
        since="" if since_utc is None else f"AND {PLACED} >= :since",
        exclude="" if exclude_run is None else "AND COALESCE(json_extract(payload, '$.run'), '') != :exclude")
    for row in conn.execute(sql, {"since": since_utc, "exclude": exclude_run}):
        question, count, choice = row[0], row[1], row[2]
        tally = tallies.setdefault(question, Tally())
        if choice is None:
            tally.respondents = count
        else:
            tally.counts[choice] = count
    return tallies


def with_own_answers(tallies: dict[str, Tally], answers: Mapping[str, tuple[str, ...]]) -> dict[str, Tally]:
    """Add this visitor's answers, which the query left out (they may not be committed yet)."""
    out = {q: Tally(t.respondents, Counter(t.counts)) for q, t in tallies.items()}
    for question, choices in answers.items():
        tally = out.setdefault(question, Tally())
        tally.respondents += 1
        tally.counts.update(choices)
    return out


def read_hub_totals(conn: sqlite3.Connection) -> dict[str, Any] | None:
    """All-venue totals synced from the hub, or None when there are none (never invent zeros).

    The uploader stores {"fetched_at", "totals": GET /api/v1/totals} where totals holds
    {"venues": n, "survey": {question: {"answers": n, "choices": {choice: n}}}}; the flat shape
    {"survey": {question: {choice: n}}, "venues": n} is read too. Returned normalised:
    {"venues": n | None, "survey": {question: {"answers": n | None, "choices": {choice: n}}}}."""
    try:
        row = conn.execute("SELECT value FROM sync_state WHERE key = 'hub_totals'").fetchone()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    try:
        stored = json.loads(row[0])
    except (TypeError, ValueError):
        return None
    totals = stored.get("totals", stored) if isinstance(stored, dict) else None
    if not isinstance(totals, dict) or not isinstance(totals.get("survey"), dict):
        return None
    survey: dict[str, dict[str, Any]] = {}
    for question, entry in totals["survey"].items():
        if not isinstance(entry, dict):
            continue
        choices = entry.get("choices") if isinstance(entry.get("choices"), dict) else entry
        answers = entry.get("answers") if isinstance(entry.get("answers"), int) else None
        counts = {str(k): int(v) for k, v in choices.items()
                  if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0}
        if counts:
            survey[str(question)] = {"answers": answers, "choices": counts}
    if not survey:
        return None
    venues = totals.get("venues")
    return {"venues": venues if isinstance(venues, int) and not isinstance(venues, bool) else None, "survey": survey}


def hub_tally(totals: Mapping[str, Any] | None, question_id: str) -> Tally | None:
    """The hub's counts for one question (normalised by read_hub_totals). Respondents are the hub's
    answer count when it sends one, else the sum of the choices' counts."""
    if not totals:
        return None
    entry = totals.get("survey", {}).get(question_id)
    if not isinstance(entry, dict) or not entry.get("choices"):
        return None
    counts = Counter(entry["choices"])
    respondents = entry.get("answers") or sum(counts.values())
    return Tally(respondents, counts)


@dataclass(frozen=True)
class Periods:
    """UTC boundaries of "today" and "since the exhibition opened here" in the venue's time zone."""

    today: str
    opened: str | None

    @classmethod
    def at(cls, now: datetime, tz: ZoneInfo, opened_on: date | None) -> "Periods":
        local = now.astimezone(tz)
        return cls(local_midnight_utc(local.date(), tz), local_midnight_utc(opened_on, tz) if opened_on else None)


def snapshot(conn: sqlite3.Connection, periods: Periods, exclude_run: str | None) -> dict[str, Any]:
    """Everything the results screens need, in one call for StoreReader.submit()."""
    return {
        "today": tally_answers(conn, periods.today, exclude_run),
        "opened": tally_answers(conn, periods.opened, exclude_run),
        "hub": read_hub_totals(conn),
    }


def reading_sentence(question: Question, choice: Choice, tally: Tally, period: str, lang: str,
                     generic: str) -> str:
    """« 12 % des visiteurs aujourd'hui sont venus à vélo, comme vous. »"""
    template = localise(choice.reading, lang) or localise(question.reading, lang) or generic
    phrase = localise(choice.phrase, lang) or _lower_first(localise(choice.label, lang))
    pct = round(100 * tally.fraction(choice.id))
    return template.format(pct=pct, choice=phrase, period=period)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text

"""« Mes mobilités »: the questions (content), the visitor's path through them, and the answers of
everyone else as queries over the event log. No pygame.

Each answer is one `survey.answer` event {question, choices, run}; `run` is a random token per pass
through the survey (nothing personal) so that an answer changed after « retour » counts once: for each
(run, question) only the latest event counts. A skipped question records nothing.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from stations.common.content import Checker, ContentError, Text, localise, read_content


@dataclass(frozen=True)
class Choice:
    id: str
    label: Text
    icon: str | None = None
    badge: str | None = None          # short text drawn as the pictogram (a département number)
    phrase: Text | None = None        # the choice inside a sentence ("à vélo"); default: the label
    reading: Text | None = None       # a whole sentence for this choice, overriding the question's


@dataclass(frozen=True)
class Question:
    id: str
    text: Text
    choices: tuple[Choice, ...]
    multiple: bool = False
    skippable: bool = True
    reading: Text | None = None       # "{pct} % des visiteurs {period} sont venus {choice}, comme vous."

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


QUESTION_KEYS = {"id", "text", "choice", "multiple", "skippable", "reading"}
READING_FIELDS = ("pct", "choice", "period")
CHOICE_KEYS = {"id", "label", "icon", "badge", "phrase", "reading"}


def parse_survey(data: Mapping[str, Any], file: str) -> tuple[list[Question], list]:
    """Questions from a parsed survey.toml, and the problems found (ConfigProblem list)."""
    check = Checker(file)
    questions: list[Question] = []
    seen: set[str] = set()
    check.unknown_keys(data, "(top level)", {"question"})
    for i, raw in enumerate(check.table_list(data, "question", "question")):
        key = f"question[{i}]"
        check.unknown_keys(raw, key, QUESTION_KEYS)
        qid = check.string(raw, "id", key)
        if qid in seen:
            check.problem(f"{key}.id", f"{qid!r} used twice", "a different id for each question")
        seen.add(qid or "")
        text = check.text(raw, "text", key)
        reading = check.template(raw, "reading", key, READING_FIELDS)
        choices: list[Choice] = []
        choice_ids: set[str] = set()
        raw_choices = check.table_list(raw, "choice", f"{key}.choice", toml_name="question.choice")
        if raw_choices and len(raw_choices) < 2:
            check.problem(f"{key}.choice", "only one choice", "at least two [[question.choice]] tables")
        for j, rc in enumerate(raw_choices):
            ckey = f"{key}.choice[{j}]"
            check.unknown_keys(rc, ckey, CHOICE_KEYS)
            cid = check.string(rc, "id", ckey)
            if cid in choice_ids:
                check.problem(f"{ckey}.id", f"{cid!r} used twice in this question", "a different id for each choice")
            choice_ids.add(cid or "")
            label = check.text(rc, "label", ckey)
            icon = check.icon(rc, "icon", ckey, required=False)
            badge = check.string(rc, "badge", ckey, required=False)
            if icon is None and badge is None and "icon" not in rc:
                check.problem(ckey, "no pictogram", 'an icon = "name" (media/icons) or a badge = "93"')
            if badge is not None and len(badge) > 4:
                check.problem(f"{ckey}.badge", repr(badge), "at most 4 characters")
            if cid and label:
                choices.append(Choice(cid, label, icon, badge, check.text(rc, "phrase", ckey, required=False),
                                      check.template(rc, "reading", ckey, READING_FIELDS)))
        if qid and text and len(choices) >= 2:
            questions.append(Question(qid, text, tuple(choices), check.boolean(raw, "multiple", key, False),
                                      check.boolean(raw, "skippable", key, True), reading))
    return questions, check.problems


def load_survey(name: str) -> list[Question]:
    """The questions of a content file; raises ContentError rather than start half-configured."""
    file, data, problems = read_content(name)
    if data is None:
        raise ContentError(problems)
    questions, problems = parse_survey(data, file)
    if problems:
        raise ContentError(problems)
    return questions


# -- the visitor's path ---------------------------------------------------------------------------

@dataclass
class SurveyFlow:
    """One question per screen; back and skip; multiple-choice questions need a « valider »."""

    questions: list[Question]
    index: int = 0
    answers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    pending: list[str] = field(default_factory=list)     # multiple choice being ticked

    @property
    def finished(self) -> bool:
        return self.index >= len(self.questions)

    @property
    def current(self) -> Question | None:
        return None if self.finished else self.questions[self.index]

    def choose(self, choice_id: str) -> tuple[str, tuple[str, ...]] | None:
        """A tap on a choice. Single choice: answers and moves on, returning (question, choices)
        to record. Multiple choice: ticks/unticks, returns None until confirm()."""
        q = self.current
        if q is None or q.choice(choice_id) is None:
            return None
        if q.multiple:
            if choice_id in self.pending:
                self.pending.remove(choice_id)
            else:
                self.pending.append(choice_id)
            return None
        return self._answer(q, (choice_id,))

    def confirm(self) -> tuple[str, tuple[str, ...]] | None:
        q = self.current
        if q is None or not q.multiple or not self.pending:
            return None
        ordered = tuple(c.id for c in q.choices if c.id in self.pending)
        return self._answer(q, ordered)

    def _answer(self, q: Question, choices: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
        self.answers[q.id] = choices
        self.skipped.discard(q.id)
        self._go(self.index + 1)
        return q.id, choices

    def skip(self) -> bool:
        q = self.current
        if q is None or not q.skippable:
            return False
        self.answers.pop(q.id, None)
        self.skipped.add(q.id)
        self._go(self.index + 1)
        return True

    def back(self) -> bool:
        if self.index == 0:
            return False
        self._go(self.index - 1)
        return True

    def _go(self, index: int) -> None:
        self.index = index
        q = self.current
        # Coming back to a multiple-choice question shows what was ticked before.
        self.pending = list(self.answers.get(q.id, ())) if q is not None and q.multiple else []

    def selected(self, question: Question) -> tuple[str, ...]:
        if question is self.current and question.multiple:
            return tuple(self.pending)
        return self.answers.get(question.id, ())

    def progress(self) -> list[str]:
        """One state per question for the progress dots: answered | skipped | current | todo."""
        out = []
        for i, q in enumerate(self.questions):
            if i == self.index:
                out.append("current")
            elif q.id in self.answers:
                out.append("answered")
            elif q.id in self.skipped:
                out.append("skipped")
            else:
                out.append("todo")
        return out


# -- everyone's answers: queries over the log ----------------------------------------------------

def utc_iso(moment: datetime) -> str:
    """A timestamp in the log's format, for comparisons as text."""
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def local_midnight_utc(day: date, tz: ZoneInfo) -> str:
    return utc_iso(datetime.combine(day, time(0, 0), tzinfo=tz))


@dataclass
class Tally:
    respondents: int = 0
    counts: Counter = field(default_factory=Counter)

    def fraction(self, choice_id: str) -> float:
        return self.counts[choice_id] / self.respondents if self.respondents else 0.0


LATEST_ANSWERS_SQL = """
WITH answers AS MATERIALIZED (     -- json_extract once per event, not once per use
    SELECT seq, json_extract(payload, '$.question') AS question,
           COALESCE(json_extract(payload, '$.run'), 'seq:' || seq) AS run, payload
    FROM events
    WHERE kind = 'survey.answer' AND (:since IS NULL OR ts >= :since)
      AND (:exclude IS NULL OR COALESCE(json_extract(payload, '$.run'), '') != :exclude)
),
latest AS MATERIALIZED (
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
    for row in conn.execute(LATEST_ANSWERS_SQL, {"since": since_utc, "exclude": exclude_run}):
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

"""« Mes mobilités »: the questions (content) and the visitor's path through them. No pygame.
Everyone's answers, read from the event log, are in tally.py.

Each answer is one `survey.answer` event {question, choices, run}; `run` is a random token per pass
through the survey (nothing personal) so that an answer changed after « retour » counts once: for each
(run, question) only the latest event counts. A skipped question records nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from kiosk.content import Checker, ContentError, Text, read_content


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


# What the screens can show (tests/participation/test_content_limits.py lays them out): twelve choice
# tiles keep an icon and two lines of label each, landscape and portrait, and twelve chart rows fill the
# portrait results page down to its buttons; the progress dots of twenty questions fit a portrait width.
MAX_CHOICES = 12
MAX_QUESTIONS = 20
QUESTION_KEYS = {"id", "text", "choice", "multiple", "skippable", "reading"}
READING_FIELDS = ("pct", "choice", "period")
CHOICE_KEYS = {"id", "label", "icon", "badge", "phrase", "reading"}


def parse_survey(data: Mapping[str, Any], file: str) -> tuple[list[Question], list]:
    """Questions from a parsed survey.toml, and the problems found (ConfigProblem list)."""
    check = Checker(file)
    questions: list[Question] = []
    seen: set[str] = set()
    check.unknown_keys(data, "(top level)", {"question"})
    for i, raw in enumerate(check.table_list(data, "question", "question",
                                             at_most=(MAX_QUESTIONS, "one progress dot each across the screen"))):
        key = f"question[{i}]"
        check.unknown_keys(raw, key, QUESTION_KEYS)
        qid = check.unique_id(raw, key, seen, "question")
        text = check.text(raw, "text", key)
        reading = check.template(raw, "reading", key, READING_FIELDS)
        choices: list[Choice] = []
        choice_ids: set[str] = set()
        raw_choices = check.table_list(raw, "choice", f"{key}.choice", toml_name="question.choice",
                                       at_most=(MAX_CHOICES, "tiles big enough to read and touch on one screen"))
        if raw_choices and len(raw_choices) < 2:
            check.problem(f"{key}.choice", "only one choice", "at least two [[question.choice]] tables")
        for j, rc in enumerate(raw_choices):
            ckey = f"{key}.choice[{j}]"
            check.unknown_keys(rc, ckey, CHOICE_KEYS)
            cid = check.unique_id(rc, ckey, choice_ids, "choice of this question")
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
        self.go_to(self.index + 1)
        return q.id, choices

    def skip(self) -> bool:
        q = self.current
        if q is None or not q.skippable:
            return False
        self.answers.pop(q.id, None)
        self.skipped.add(q.id)
        self.go_to(self.index + 1)
        return True

    def back(self) -> bool:
        if self.index == 0:
            return False
        self.go_to(self.index - 1)
        return True

    def go_to(self, index: int) -> None:
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

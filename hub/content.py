"""Question, choice and activity texts for the public pages, read from the content files the kiosks show
(`[hub] content_dir`: survey.toml, wall.toml, activities/*.toml; the format is documented at the top of
each file). The kiosk checks these files (`kiosk check-config`); the hub only looks up the texts of the
ids events carry, leniently: whatever it cannot read is shown as the raw id, never as an error.
"""
from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

log = logging.getLogger(__name__)
Text = dict[str, str]           # language -> text
ALL = "*"                       # the variant of a text shared by every school level


def text_of(text: Text | None, fallback: str, lang: str = "fr") -> str:
    if not text:
        return fallback
    return text.get(lang) or text.get("fr") or fallback


def _text(value: Any) -> Text | None:
    """A text as content files write it: "French only" or {fr = "…", en = "…"}."""
    if isinstance(value, str):
        return {"fr": value}
    if isinstance(value, dict) and isinstance(value.get("fr"), str):
        return {lang: v for lang, v in value.items() if isinstance(v, str)}
    return None


def _varied(value: Any) -> dict[str, Text]:
    """A text shared by every level, or one per variant ({primaire = {fr, en}, secondaire = …})."""
    shared = _text(value)
    if shared is not None:
        return {ALL: shared}
    if not isinstance(value, dict):
        return {}
    return {variant: text for variant, raw in value.items() if (text := _text(raw)) is not None}


def _tables(data: Any, name: str) -> list[dict]:
    value = data.get(name) if isinstance(data, dict) else None
    return [t for t in value if isinstance(t, dict)] if isinstance(value, list) else []


@dataclass(frozen=True)
class Choice:
    label: Text
    correct: bool


@dataclass(frozen=True)
class Step:
    id: str
    title: dict[str, Text] = field(default_factory=dict)          # variant (or "*") -> text
    explanation: dict[str, Text] = field(default_factory=dict)
    unit: str = ""
    choices: tuple[Choice, ...] = ()

    def pick(self, name: str, variant: str, lang: str) -> str:
        texts: dict[str, Text] = getattr(self, name)
        return text_of(texts.get(variant) or texts.get(ALL), "", lang)


@dataclass(frozen=True)
class Activity:
    """What a group page shows of an activity: the same ids the kiosk records in group.* events."""
    id: str
    title: Text
    summary: Text
    levels: Mapping[str, str]        # school level (as in group.start) -> variant
    steps: tuple[Step, ...]

    def variant(self, level: str) -> str | None:
        return self.levels.get(level)


def _activity(data: dict) -> Activity | None:
    head = data.get("activity")
    if not isinstance(head, dict) or not isinstance(head.get("id"), str):
        return None
    levels = head.get("levels") if isinstance(head.get("levels"), dict) else {}
    steps = []
    for i, raw in enumerate(_tables(data, "step")):
        choices = tuple(Choice(_text(c.get("label")) or {}, c.get("correct") is True) for c in _tables(raw, "choice"))
        steps.append(Step(str(raw.get("id", f"step[{i}]")), _varied(raw.get("title")), _varied(raw.get("explanation")),
                          str(raw.get("unit", "")), choices))
    return Activity(head["id"], _text(head.get("title")) or {}, _text(head.get("summary")) or {},
                    {k: v for k, v in levels.items() if isinstance(v, str)}, tuple(steps))


@dataclass(frozen=True)
class Labels:
    """Texts by id; missing ids are shown as themselves."""

    survey_questions: dict[str, Text] = field(default_factory=dict)
    survey_choices: dict[tuple[str, str], Text] = field(default_factory=dict)
    wall_questions: dict[str, Text] = field(default_factory=dict)
    activities: dict[str, Activity] = field(default_factory=dict)


def _read(path: Path) -> dict | None:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        log.warning("%s unreadable (%s): pages show raw ids", path, exc)
        return None


@lru_cache(maxsize=4)
def load_labels(content_dir: Path) -> Labels:
    labels = Labels()
    for question in _tables(_read(content_dir / "survey.toml"), "question"):
        qid = question.get("id")
        if isinstance(qid, str) and (text := _text(question.get("text"))):
            labels.survey_questions[qid] = text
        for choice in _tables(question, "choice"):
            if isinstance(qid, str) and isinstance(choice.get("id"), str) and (label := _text(choice.get("label"))):
                labels.survey_choices[(qid, choice["id"])] = label
    for question in _tables(_read(content_dir / "wall.toml"), "question"):
        if isinstance(question.get("id"), str) and (text := _text(question.get("text"))):
            labels.wall_questions[question["id"]] = text
    for path in sorted((content_dir / "activities").glob("*.toml")):
        activity = _activity(_read(path) or {})
        if activity is not None:
            labels.activities[activity.id] = activity
    return labels

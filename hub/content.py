"""Question, choice and activity texts for the public pages, read with the kiosk's own loaders.

The survey and wall loaders live in stations/<name>/model.py, whose packages also import their pygame
views; the hub loads those two model modules by file so a hub server never imports pygame. If the
content cannot be read (a hub installed without the content files), pages fall back to the raw ids.
"""
from __future__ import annotations

import importlib.util
import logging
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from types import ModuleType
from typing import Any

from kiosk.paths import PROJECT_ROOT

log = logging.getLogger(__name__)
Text = dict[str, str]


def _model_module(station: str) -> ModuleType | None:
    name = f"hub._content_{station}_model"
    if name in sys.modules:
        return sys.modules[name]
    path = PROJECT_ROOT / "stations" / station / "model.py"
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    except Exception:   # any failure only costs the labels, never a page
        sys.modules.pop(name, None)
        log.warning("cannot load %s: pages show raw ids", path, exc_info=True)
        return None


@dataclass(frozen=True)
class Labels:
    """Texts by id; missing ids are shown as themselves."""

    survey_questions: dict[str, Text] = field(default_factory=dict)
    survey_choices: dict[tuple[str, str], Text] = field(default_factory=dict)
    wall_questions: dict[str, Text] = field(default_factory=dict)
    activities: dict[str, Any] = field(default_factory=dict)        # id -> kiosk.groups.activities.Activity


@lru_cache(maxsize=1)
def load_labels() -> Labels:
    survey_q: dict[str, Text] = {}
    survey_c: dict[tuple[str, str], Text] = {}
    wall_q: dict[str, Text] = {}
    activities: dict[str, Any] = {}
    survey = _model_module("survey")
    try:
        for question in survey.load_survey("survey.toml") if survey else []:
            survey_q[question.id] = question.text
            for choice in question.choices:
                survey_c[(question.id, choice.id)] = choice.label
    except Exception:
        log.warning("survey.toml unreadable: pages show raw ids", exc_info=True)
    wall = _model_module("wall")
    try:
        for question in wall.load_wall("wall.toml")[0] if wall else []:
            wall_q[question.id] = question.text
    except Exception:
        log.warning("wall.toml unreadable: pages show raw ids", exc_info=True)
    try:
        from kiosk.groups.activities import load_activities

        activities = {a.id: a for a in load_activities()[0]}
    except Exception:
        log.warning("activities unreadable: group pages show raw ids", exc_info=True)
    return Labels(survey_q, survey_c, wall_q, activities)


def text_of(text: Text | None, fallback: str, lang: str = "fr") -> str:
    if not text:
        return fallback
    return text.get(lang) or text.get("fr") or fallback

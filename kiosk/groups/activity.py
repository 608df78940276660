"""The data of a guided activity for school groups: levels, steps, goals, choices (no file reading:
kiosk/groups/reading.py reads one file, kiosk/groups/activities.py loads the folder).

Step kinds:
  instruction  a full-screen text with a pictogram
  explore      a station opened on a preset scenario, with a hint; the group moves on when ready
  challenge    a station on a preset, and a measurable goal read from the station's metrics
  quiz         a question with pictogram answers, one or more of them right
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from kiosk.content import Text, localise
from kiosk.paths import CONTENT_DIR

ACTIVITIES_DIR = CONTENT_DIR / "activities"
# Level ids are stored in group.start events: never rename them. Labels are French source strings.
LEVELS: dict[str, str] = {"maternelle": "Maternelle", "elementaire": "Élémentaire", "college": "Collège",
                          "lycee": "Lycée", "autre": "Autre"}
STEP_KINDS = ("instruction", "explore", "challenge", "quiz")
STATION_KINDS = ("explore", "challenge")
COMPARATORS = ("max", "min", "equals")
ALL = "*"   # the variant key of a text shared by every level


@dataclass(frozen=True)
class Condition:
    """One measurable part of a goal: the metric is at most / at least / exactly a value."""

    metric: str
    op: str          # max | min | equals
    value: float
    label: Text | None = None   # a short name for the live read-out (default: the station's description)
    live: str | None = None     # a metric read while `metric` is not measured yet: a clock, a lower bound of it

    def holds(self, measured: float | None) -> bool:
        if measured is None:
            return False
        if self.op == "max":
            return measured <= self.value
        if self.op == "min":
            return measured >= self.value
        return abs(measured - self.value) < 1e-9


@dataclass(frozen=True)
class Goal:
    text: Text
    conditions: tuple[Condition, ...]
    check: str = "end"            # end: judged when the station says the attempt is over; hold: live
    hold_s: float = 0.0           # hold: how long every condition must keep true
    after_s: float = 0.0          # hold: conditions are not looked at before this (let the jam form)
    limit_s: float | None = None  # an attempt still running after this is a failed attempt
    after_unmet: bool = False     # hold: only counts once the goal was seen unmet ("make the jam disappear")

    def metrics(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.metric for c in self.conditions))

    def live_metrics(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.live for c in self.conditions if c.live))

    def limits(self, metric: str) -> tuple[float, ...]:
        """The values a metric is compared with: a score near one of them is shown with decimals."""
        return tuple(c.value for c in self.conditions if c.metric == metric)

    def holds(self, values: Mapping[str, float | None]) -> bool:
        return all(c.holds(values.get(c.metric)) for c in self.conditions)


@dataclass(frozen=True)
class Choice:
    icon: str
    label: Text
    correct: bool


@dataclass(frozen=True)
class Step:
    kind: str
    id: str
    title: dict[str, Text] = field(default_factory=dict)     # variant (or "*") -> text
    text: dict[str, Text] = field(default_factory=dict)
    icon: str = "school"
    station: str = ""
    scenario: str = ""
    settings: Mapping[str, Any] = field(default_factory=dict)
    score: str = ""               # challenge: the metric recorded and compared between groups
    better: str = "lower"         # lower | higher
    unit: str = ""
    goals: dict[str, Goal] = field(default_factory=dict)      # variant -> goal
    choices: tuple[Choice, ...] = ()
    explanation: dict[str, Text] = field(default_factory=dict)

    def pick(self, name: str, variant: str, lang: str) -> str:
        """A text of this step for a variant in a language (shared text, then French, as fallbacks)."""
        texts: dict[str, Text] = getattr(self, name)
        return localise(texts.get(variant) or texts.get(ALL), lang)

    def goal(self, variant: str) -> Goal | None:
        return self.goals.get(variant) or self.goals.get(ALL)

    def score_limits(self, variant: str) -> tuple[float, ...]:
        """The limits the score is judged against: near one of them it is shown with decimals."""
        goal = self.goal(variant)
        return goal.limits(self.score) if goal is not None else ()


@dataclass(frozen=True)
class Activity:
    id: str
    file: str
    title: Text
    summary: Text
    icon: str
    levels: Mapping[str, str]     # level id -> variant
    steps: tuple[Step, ...]

    def variant(self, level: str) -> str | None:
        return self.levels.get(level)

    def stations(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.station for s in self.steps if s.station))

    def challenges(self) -> tuple[int, ...]:
        return tuple(i for i, s in enumerate(self.steps) if s.kind == "challenge")


def station_scenarios(cls: type) -> set[str] | None:
    """The preset scenarios a station accepts: its `preset_scenarios()` if it has one, else the
    names of its scenario files in config/content/<station id>/ (the crowd and traffic convention)."""
    fn = getattr(cls, "preset_scenarios", None)
    if callable(fn):
        return {str(s) for s in fn()}
    folder = CONTENT_DIR / str(getattr(cls, "id", ""))
    if getattr(cls, "id", "") and folder.is_dir():
        return {p.stem for p in folder.glob("*.toml")}
    return None



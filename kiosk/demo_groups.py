"""School groups in kiosk.demo_data's simulated month, recorded as the kiosk records them: group.start and
group.end with the fields kiosk/groups/manager.py writes (level ids of kiosk.groups.activities.LEVELS,
the real activity ids of config/content/activities/), and every step, challenge attempt and quiz answer
written by the real ActivityRunner. The youngest classes, whom no activity welcomes, visit freely.

Challenge scores are drawn from what the stations measure on their preset scenarios:
- evacuation_time_s (crowd, 200 people, one door): 163 s at 2 m/s to 213 s at 1 m/s and 231 s in
  panic, 193 s in panic with a pillar (stations/crowd/README.md, "The default");
- mean_speed_kmh (traffic, Sugiyama ring): 15 km/h with 22 cars and a jam, 11 km/h with calm drivers,
  48 km/h with 16 cars (`kiosk simulate traffic config/content/traffic/sugiyama.toml --json`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

import numpy as np

from eventlog.stamps import new_uuid
from kiosk.groups.activities import Activity, Step, load_activities
from kiosk.groups.manager import FREE_VISIT
from kiosk.groups.runner import ActivityRunner, Attempt

Add = Callable[..., object]        # add(moment, kind, payload, station=None, session=None)
SCORES = {"evacuation_time_s": (158.0, 232.0), "mean_speed_kmh": (11.0, 48.0)}
LEVEL_SHARES = {"maternelle": 0.1, "elementaire": 0.45, "college": 0.3, "lycee": 0.1, "autre": 0.05}
LABELS = {"maternelle": ["MS", "GS"], "elementaire": ["CE2", "CM1", "CM2 B"], "college": ["6e A", "5e", "4e C"],
          "lycee": ["2nde 3", "1re STI"], "autre": ["IME", "Centre social"]}
QUIZ_RIGHT = 0.65                  # classes answering right first time


@dataclass
class GroupVisit:
    """What happened, for the caller's schedule: when the screen is free again and the visitor sessions
    a free visit leaves to the caller (a free visit is the home menu with the group's banner)."""
    free_at: datetime
    free_visit: bool


class GroupWriter:
    def __init__(self, rng: np.random.Generator, activities: list[Activity] | None = None):
        self.rng = rng
        self.activities = load_activities()[0] if activities is None else activities

    def visit(self, add: Add, t: datetime, size: int) -> GroupVisit:
        """A class arrives at t: group.start, the activity step by step, the results, group.end."""
        rng = self.rng
        levels = list(LEVEL_SHARES)
        level = str(rng.choice(levels, p=np.array([LEVEL_SHARES[lv] for lv in levels])))
        offered = [a for a in self.activities if a.variant(level) is not None]
        activity = offered[int(rng.integers(len(offered)))] if offered else None
        adults = int(rng.integers(2, 4))
        gid = new_uuid(int(t.timestamp() * 1000))
        add(t, "group.start", {"group_id": gid, "level": level, "pupils": size - adults, "adults": adults,
                               "activity": activity.id if activity else FREE_VISIT,
                               "label": str(rng.choice(LABELS[level]))})
        if activity is None:      # the caller fills the time with the pupils' own sessions
            end = t + timedelta(minutes=float(rng.uniform(30, 50)))
            add(end, "group.end", {"group_id": gid, "reason": "mediator", "step": -1})
            return GroupVisit(end + timedelta(minutes=2), True)
        clock = [t + timedelta(seconds=20)]
        runner = ActivityRunner(activity, level, group_id=gid,
                                record=lambda kind, payload, station=None: add(clock[0], kind, payload, station))
        runner.go_to(0)
        for index, step in enumerate(activity.steps):
            if index:
                runner.next()
            clock[0] += self._play(runner, index, step, clock[0])
        runner.next()                                        # the results screen
        clock[0] += timedelta(minutes=float(rng.uniform(3, 6)))
        add(clock[0], "group.end", {"group_id": gid, "reason": "mediator", "step": runner.index})
        return GroupVisit(clock[0] + timedelta(minutes=2), False)

    def _play(self, runner: ActivityRunner, index: int, step: Step, now: datetime) -> timedelta:
        """One step, as long as a class takes on it; records what the runner records."""
        rng = self.rng
        if step.kind == "quiz":
            right = [i for i, c in enumerate(step.choices) if c.correct]
            wrong = [i for i, c in enumerate(step.choices) if not c.correct] or right
            runner.answer(int(rng.choice(right if rng.random() < QUIZ_RIGHT else wrong)))
            return timedelta(minutes=float(rng.uniform(2, 4)))
        if step.kind != "challenge" or step.score not in SCORES:
            return timedelta(minutes=float(rng.uniform(2, 6)))
        goal = step.goal(runner.variant)
        spent = timedelta(minutes=1)
        for attempt in range(4):                             # until won, or the class moves on
            low, high = SCORES[step.score]
            on_score = [c for c in (goal.conditions if goal else ()) if c.metric == step.score]
            if on_score:      # the goal is on the score itself: the score decides
                value = round(float(rng.uniform(low, high)), 1)
                success = all(c.holds(value) for c in on_score)
            else:             # judged on other readings (no car stopped...): a won attempt scores better
                success = bool(rng.random() < 0.3 + 0.2 * attempt)
                draws = rng.uniform(low, high, 2)
                value = round(float(draws.max() if success == (step.better == "higher") else draws.min()), 1)
            seconds = round(float(rng.uniform(60, 200)), 1)
            spent += timedelta(seconds=seconds)
            runner.add_attempt(Attempt(index, step.score, value, success, seconds))
            spent += timedelta(seconds=float(rng.uniform(20, 60)))
            if success:
                break
        return spent

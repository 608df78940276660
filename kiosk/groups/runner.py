"""An activity's progress for one group, and the judge of each challenge attempt. No pygame: the
manager feeds it metric readings and taps; everything it learns goes to the event log."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from kiosk.groups.activities import Activity, Goal, Step

Record = Callable[..., object]      # Recorder.record(kind, payload, station=...)
QUIZ_METRIC = "quiz"                # group.challenge of a quiz answer: value = choice index


@dataclass(frozen=True)
class Attempt:
    step: int                  # index of the challenge step in the activity
    metric: str                # the step's score metric
    value: float | None        # None: the attempt was stopped before the station could measure it
    success: bool
    seconds: float             # how long the attempt ran
    interrupted: bool = False  # stopped undecided (the group moved on, the station restarted): neither won nor lost


class ChallengeTracker:
    """Judges one attempt from the station's readings, frame after frame.

    check = "end": the station says the attempt is over (attempt_finished) and the goal is judged then.
    check = "hold": every condition must stay true for hold_s (after after_s, so that, e.g., a jam has
    had time to form, and with after_unmet only once the goal has been seen unmet: a jam must exist
    before it can be made to disappear); the attempt fails when the station ends it or after limit_s.
    A `finished` flag already true when the tracker starts is ignored until the station has been seen
    running: a station that still shows the previous attempt's end must not count it twice.
    A condition with a `live` metric (a clock) is lost for this attempt once the clock has passed its
    maximum: `hopeless` says so while the station finishes the attempt and measures it.
    """

    def __init__(self, step_index: int, goal: Goal, score: str):
        self.step_index = step_index
        self.goal = goal
        self.score = score
        self.metrics = tuple(dict.fromkeys((*goal.metrics(), score, *goal.live_metrics())))
        self.elapsed = 0.0
        self.held = 0.0
        self.values: dict[str, float | None] = {}
        self.result: Attempt | None = None
        self._seen_running = False
        self._seen_unmet = False

    @property
    def holds(self) -> bool:
        return self.goal.holds(self.values)

    def passed(self, cond) -> bool:
        """A `max` condition whose metric is not measured yet, but whose live clock is already beyond it."""
        if cond.op != "max" or cond.live is None or self.values.get(cond.metric) is not None:
            return False
        live = self.values.get(cond.live)
        return live is not None and live > cond.value

    @property
    def hopeless(self) -> bool:
        return self.result is None and any(self.passed(c) for c in self.goal.conditions)

    @property
    def armed(self) -> bool:
        """hold: the goal is being watched (after after_s, and once seen unmet when after_unmet)."""
        return self.elapsed >= self.goal.after_s and (self._seen_unmet or not self.goal.after_unmet)

    def update(self, dt: float, read: Callable[[str], float | None], finished: bool) -> Attempt | None:
        """Advance by dt; returns the Attempt on the frame it is decided, else None."""
        if self.result is not None:
            return None
        self.elapsed += dt
        self.values = {name: read(name) for name in self.metrics}
        ok = self.goal.holds(self.values)
        self._seen_running = self._seen_running or not finished
        finished = finished and self._seen_running
        if self.goal.check == "hold":
            counting = self.elapsed >= self.goal.after_s
            self._seen_unmet = self._seen_unmet or (counting and not ok)
            armed = counting and (self._seen_unmet or not self.goal.after_unmet)
            self.held = self.held + dt if ok and armed else 0.0
            if self.held >= self.goal.hold_s:
                return self._decide(True)
            if finished:
                return self._decide(False)
        elif finished:
            return self._decide(ok)
        if self.goal.limit_s is not None and self.elapsed >= self.goal.limit_s:
            return self._decide(False)
        return None

    def stop(self) -> Attempt | None:
        """The group moves on (or starts again) mid-attempt. An attempt already lost (a live clock beyond
        its limit) is a failed attempt; any other that ran long enough to mean something is interrupted:
        neither won nor lost, and never in the event log. None for a few seconds' glance."""
        if self.result is not None:
            return None
        if self.hopeless:
            return self._decide(False, value=None)
        if self.elapsed < 3.0:
            return None
        self.result = Attempt(self.step_index, self.score, self.values.get(self.score), False,
                              round(self.elapsed, 1), interrupted=True)
        return self.result

    def _decide(self, success: bool, **kw) -> Attempt:
        value = kw.get("value", self.values.get(self.score))
        self.result = Attempt(self.step_index, self.score, value, success, round(self.elapsed, 1))
        return self.result


class ActivityRunner:
    """Which step the group is on, its attempts and quiz answers, recorded as group.* events."""

    def __init__(self, activity: Activity, level: str, *, group_id: str, record: Record):
        variant = activity.variant(level)
        if variant is None:
            raise ValueError(f"activity {activity.id!r} has no texts for level {level!r}")
        self.activity = activity
        self.level = level
        self.variant = variant
        self.group_id = group_id
        self.record = record
        self.index = -1
        self.attempts: list[Attempt] = []
        self.answers: dict[int, list[int]] = {}     # quiz step index -> choices tapped, in order

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.activity.steps

    @property
    def step(self) -> Step | None:
        return self.steps[self.index] if 0 <= self.index < len(self.steps) else None

    @property
    def at_results(self) -> bool:
        return self.index >= len(self.steps)

    def go_to(self, index: int) -> None:
        self.index = max(0, min(index, len(self.steps)))
        # step = len(steps) is the results screen: recorded too, it tells the group got to the end
        self.record("group.step", {"group_id": self.group_id, "step": self.index,
                                   "kind": self.step.kind if self.step else "results"})

    def next(self) -> None:
        self.go_to(self.index + 1)

    def add_attempt(self, attempt: Attempt) -> None:
        self.attempts.append(attempt)
        if attempt.value is None or attempt.interrupted:
            return   # nothing measured, or no verdict: kept on the results screen, not in the log
        step = self.steps[attempt.step]
        self.record("group.challenge", {
            "group_id": self.group_id, "metric": attempt.metric, "value": float(attempt.value),
            "success": attempt.success, "activity": self.activity.id, "step": step.id, "seconds": attempt.seconds,
        }, station=step.station or None)

    def answer(self, choice: int) -> bool:
        """A quiz answer on the current step; True when it is right. Only the first answer is scored."""
        step = self.step
        assert step is not None and step.kind == "quiz"
        correct = step.choices[choice].correct
        tapped = self.answers.setdefault(self.index, [])
        if not tapped:
            self.record("group.challenge", {"group_id": self.group_id, "metric": QUIZ_METRIC, "value": choice,
                                            "success": correct, "activity": self.activity.id, "step": step.id})
        tapped.append(choice)
        return correct

    def attempts_of(self, step_index: int) -> list[Attempt]:
        return [a for a in self.attempts if a.step == step_index]

    def shown_attempts(self, step_index: int) -> list[Attempt]:
        """The attempts the results screen lists: those that ended (won or lost); the interrupted ones
        only when no attempt ended."""
        attempts = self.attempts_of(step_index)
        return [a for a in attempts if not a.interrupted] or attempts

    def best(self, step_index: int) -> float | None:
        """The best measured score of a challenge among the successful attempts, else among the ended ones."""
        attempts = [a for a in self.attempts_of(step_index) if a.value is not None and not a.interrupted]
        pool = [a for a in attempts if a.success] or attempts
        if not pool:
            return None
        pick = min if self.steps[step_index].better == "lower" else max
        return pick(a.value for a in pool)

    def first_answer_right(self, step_index: int) -> bool | None:
        tapped = self.answers.get(step_index)
        if not tapped:
            return None
        return self.steps[step_index].choices[tapped[0]].correct

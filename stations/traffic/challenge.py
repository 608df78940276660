"""The ramp challenge: keep the main road flowing by switching the ramp light; score = total travel time.

The reference (the same traffic with the light always green) runs in a worker thread so the frame loop
never waits; it is the same scenario, seed and duration, so the comparison is fair.
"""
from __future__ import annotations

import math
import time
from concurrent.futures import Future
from dataclasses import dataclass


@dataclass
class RampChallenge:
    seconds: float = 180.0
    start_t: float | None = None      # model time when the challenge began (after the warm-up); None before
    start_travel_s: float = 0.0       # total travel time already counted then
    switches: int = 0
    reference: Future | None = None

    @property
    def started(self) -> bool:
        return self.start_t is not None

    def begin(self, model) -> None:
        self.start_t = model.t
        self.start_travel_s = model.total_travel_time_s

    def elapsed(self, model) -> float:
        return 0.0 if self.start_t is None else model.t - self.start_t

    def score(self, model) -> float:
        return 0.0 if self.start_t is None else model.total_travel_time_s - self.start_travel_s


def reference_travel_time(scenario, seed: int, seconds: float, pause_s: float = 0.0005) -> float:
    """Total travel time (vehicle-seconds, queues included) with the light always green.

    Run on a worker thread: it sleeps `pause_s` after every sub-step so that the frame loop, which
    needs the GIL for its own small numpy calls, gets it back within about a millisecond instead of
    Python's 5 ms switch interval (a few seconds of wall time in all, over a challenge of a minute).
    The sub-steps are those of one long step, so the result is the same.
    """
    model = scenario.build(seed=seed, measure=False)
    model.ramp_metering = False
    model.ramp_light_green = True
    _run(model, float(scenario.section("station").get("warmup_s", 0.0)), pause_s)
    before = model.total_travel_time_s
    _run(model, seconds, pause_s)
    return float(model.total_travel_time_s - before)


def _run(model, seconds: float, pause_s: float) -> None:
    n = math.ceil(seconds / model.max_dt - 1e-9) if seconds > 0 else 0
    for _ in range(n):
        model.step(seconds / n)
        if pause_s:
            time.sleep(pause_s)

"""The ramp challenge: keep the main road flowing by switching the ramp light; score = total travel time.

The reference (the same traffic with the light always green) runs in a worker thread so the frame loop
never waits; it is the same scenario, seed and duration, so the comparison is fair.
"""
from __future__ import annotations

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


def warm_up(model, seconds: float) -> None:
    """Fill an open road before a visitor sees it (it starts empty)."""
    if seconds > 0:
        model.step(seconds)


def reference_travel_time(scenario, seed: int, seconds: float) -> float:
    """Total travel time (vehicle-seconds, queues included) with the light always green."""
    model = scenario.build(seed=seed, measure=False)
    model.ramp_metering = False
    model.ramp_light_green = True
    warm_up(model, float(scenario.section("station").get("warmup_s", 0.0)))
    before = model.total_travel_time_s
    model.step(seconds)
    return float(model.total_travel_time_s - before)

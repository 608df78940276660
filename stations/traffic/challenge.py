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
    switches: int = 0
    reference: Future | None = None


def reference_travel_time(scenario, seed: int, seconds: float) -> float:
    """Total travel time (vehicle-seconds, queues included) with the light always green."""
    model = scenario.build(seed=seed, measure=False)
    model.ramp_metering = False
    model.ramp_light_green = True
    model.step(seconds)
    return float(model.total_travel_time_s)

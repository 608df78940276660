"""Step cost of stepping aside and of joining one's stream (README, Validation 2): 2,000 people half
each way in a periodic 100 m x 10 m corridor, 240 steps timed after 60, one run per variant, same
seed. `python -m tests.crowd.stream_cost [variant ...]` (default: evasion, stream-wide, stream-join).
A figure to read, not a test: the machine's load moves it."""
from __future__ import annotations

import sys
import time

import numpy as np

from tests.crowd.corridors import _model, corridor


def step_times(variant: str, people: int = 2000, settle: int = 60, steps: int = 240) -> np.ndarray:
    box = (0, 0, 100.0, 10.0)
    room = corridor(100.0, 10.0, [("E", box, people - people // 2), ("W", box, people // 2)], True)
    model = room.build(seed=1, **_model(variant, None))
    for _ in range(settle):
        model.step()
    times = np.empty(steps)
    for k in range(steps):
        start = time.perf_counter()
        model.step()
        times[k] = time.perf_counter() - start
    return times


if __name__ == "__main__":
    for variant in sys.argv[1:] or ["evasion", "stream-wide", "stream-join"]:
        t = step_times(variant)
        print(f"{variant}: mean step {1000 * t.mean():.2f} ms, median {1000 * np.median(t):.2f} ms")

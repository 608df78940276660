"""Inactivity: after `timeout` seconds without input a warning countdown, then a reset.

Pure logic on an injected clock so it is tested without waiting.
"""
from __future__ import annotations

import time
from typing import Callable

ACTIVE, WARNING, EXPIRED = "active", "warning", "expired"


class IdleWatcher:
    def __init__(self, timeout_s: float, warning_s: float, clock: Callable[[], float] = time.monotonic):
        self.timeout_s = timeout_s
        self.warning_s = warning_s
        self.clock = clock
        self.last_input = clock()

    def poke(self) -> None:
        """Any input: the visitor is still there."""
        self.last_input = self.clock()

    def idle_for(self) -> float:
        return self.clock() - self.last_input

    def state(self) -> str:
        idle = self.idle_for()
        if idle < self.timeout_s:
            return ACTIVE
        if idle < self.timeout_s + self.warning_s:
            return WARNING
        return EXPIRED

    def seconds_left(self) -> float:
        """Seconds of the warning countdown left (meaningful in WARNING)."""
        return max(0.0, self.timeout_s + self.warning_s - self.idle_for())

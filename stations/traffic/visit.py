"""What one visitor did on one scenario, recorded as a `traffic.attempt` when they leave it.

The ramp challenge and the school groups' presets record their own attempts when they end; this covers
free play: which controls were used (and the value they left), how many cars were braked, how long the
visitor stayed, and how the traffic was doing when they left.
"""
from __future__ import annotations

from typing import Any


class ScenarioVisit:
    def __init__(self, scenario: str):
        self.scenario = scenario
        self.seconds = 0.0          # shown seconds on this scenario (the frame loop's dt, capped)
        self.taps = 0               # cars braked
        self.changes: dict[str, dict[str, Any]] = {}

    def note(self, name: str, value: Any, before: Any = None) -> None:
        """A control was used: count the press, keep the value it left (and the value before the first)."""
        entry = self.changes.get(name)
        if entry is None:
            entry = self.changes[name] = {"presses": 0} if before is None else {"from": before, "presses": 0}
        entry["presses"] += 1
        entry["to"] = value

    @property
    def interacted(self) -> bool:
        return bool(self.taps or self.changes)

    def payload(self, *, left_by: str, result: dict[str, Any], challenge: dict[str, Any] | None = None,
                group: bool = False) -> dict[str, Any]:
        """Plain JSON for the event log; `scenario` is the field every traffic event carries."""
        out: dict[str, Any] = {"scenario": self.scenario, "mode": "explore", "left_by": left_by,
                               "seconds": round(self.seconds, 1), "taps": self.taps, "changes": self.changes,
                               **result}
        if challenge is not None:
            out["challenge"] = challenge
        if group:
            out["group"] = True
        return out

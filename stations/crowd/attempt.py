"""One visitor attempt: what they changed, the curve of people remaining, and the event it becomes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .measure import evacuation_time
from .model import CrowdModel

MAX_CHANGES = 40
SAMPLE_EVERY_S = 0.5


@dataclass
class Attempt:
    scenario: str
    agents: int
    parameters: dict[str, float] = field(default_factory=dict)
    changes: list[dict[str, Any]] = field(default_factory=list)
    curve: list[tuple[float, float]] = field(default_factory=list)
    recorded: bool = False
    finished_at: float | None = None
    _next_sample: float = 0.0

    def note(self, t: float, action: str, **details: Any) -> None:
        if len(self.changes) < MAX_CHANGES:
            self.changes.append({"t_s": round(t, 1), "action": action,
                                 **{k: (round(v, 2) if isinstance(v, float) else v) for k, v in details.items()}})

    def sample(self, t: float, value: float) -> None:
        if t >= self._next_sample:
            self.curve.append((t, value))
            self._next_sample = t + SAMPLE_EVERY_S

    @property
    def interacted(self) -> bool:
        return bool(self.changes)

    def payload(self, model: CrowdModel, hurry: float, lane_order: float | None) -> dict[str, Any]:
        geometry = model.geometry
        return {
            "scenario": self.scenario,
            "evacuation_time_s": evacuation_time(model),
            "agents": self.agents,
            "agents_remaining": int(model.count),
            "simulated_s": round(model.time, 1),
            "hurry": round(hurry, 3),
            "desired_speed_m_s": None if model.desired_speed is None else round(model.desired_speed, 2),
            "pillars": sum(1 for p in geometry.pillars if p.by_visitor),
            "walls": len(geometry.visitor_walls),
            "closed_exits": [e.name for e in geometry.exits if not e.is_open],
            "parameters": dict(self.parameters),
            "lane_order": None if lane_order is None else round(lane_order, 3),
            "changes": list(self.changes),
        }

"""The crowd station as a school group's challenge (kiosk/groups): the rooms a mediator can set, set up
as the activity asks, and the figures the activity reads. The station brings `load`, `model`, `hurry`,
`attempt` and `_lane_order`."""
from __future__ import annotations

from typing import Any, Mapping

from kiosk.station import ChallengeSource

from .controls import speed_to_hurry
from .editing import PILLAR_RADIUS
from .measure import evacuation_time
from .scenario import bundled_scenarios, load_scenario


class CrowdChallenges(ChallengeSource):
    @classmethod
    def preset_scenarios(cls) -> list[str]:
        return bundled_scenarios()

    def start_preset(self, scenario: str, settings: Mapping[str, Any] | None = None) -> None:
        settings = dict(settings or {})
        params = {k: float(v) for k, v in settings.items() if k in load_scenario(scenario).parameters}
        hurry = settings.get("hurry")
        if hurry is None and settings.get("desired_speed") is not None:
            hurry = speed_to_hurry(float(settings["desired_speed"]))
        self.load(scenario, record=True, parameters=params, hurry=None if hurry is None else float(hurry))
        geo = self.model.geometry
        for name in settings.get("closed_exits", []):
            geo.set_exit_open(str(name), False)
        for x, y in settings.get("pillars", []):
            geo.add_pillar((float(x), float(y)), PILLAR_RADIUS, by_visitor=False)

    def read_metric(self, name: str) -> float | None:
        m = self.model
        if m is None:
            return None
        geo = m.geometry
        values = {
            "evacuation_time_s": lambda: evacuation_time(m),
            "agents_remaining": lambda: float(m.count),
            "pillars": lambda: float(sum(p.by_visitor for p in geo.pillars)),
            "walls": lambda: float(len(geo.visitor_walls)),
            "closed_exits": lambda: float(sum(not e.is_open for e in geo.exits)),
            "hurry": lambda: float(self.hurry.value),
            "lane_order": self._lane_order,
            "elapsed_s": lambda: float(m.time),
        }
        fn = values.get(name)
        return None if fn is None else fn()

    def attempt_finished(self) -> bool:
        return self.attempt is not None and self.attempt.finished_at is not None

"""School groups' presets and metrics on the « Trafic » station (kiosk.station.ChallengeSource): open a
scenario with given settings, read the figures a group is asked for, record the attempt at its end."""
from __future__ import annotations

from typing import Any, Mapping

from .idm import PARAM_SETS

TIME_LAPSES = (1, 3, 10)


class GroupPresets:
    @classmethod
    def preset_scenarios(cls) -> set[str]:
        """The scenario ids a group activity may name: the content files' and the station's own."""
        from .scenario import load_all
        return {s.id for s in load_all()}

    def start_preset(self, scenario: str, settings: Mapping[str, Any] | None = None) -> None:
        settings = dict(settings or {})
        if scenario not in self.scenarios:
            raise ValueError(f"unknown traffic scenario {scenario!r}")
        params = settings.get("params")
        if params is not None and params not in PARAM_SETS:
            raise ValueError(f"unknown parameter set {params!r}")
        self.calm_drivers = params == "calm"
        vehicles = settings.get("vehicles")
        self.load_scenario(scenario, params=params, vehicles=None if vehicles is None else int(vehicles))
        if settings.get("density") is not None and self.model.road.ring:
            m = self.model
            m.set_vehicle_count(int(round(float(settings["density"]) * m.road.length / 1000 * m.road.lanes)))
        if settings.get("smart_car") is not None:
            self.model.set_smart_car(bool(settings["smart_car"]))
        if settings.get("time_lapse") in TIME_LAPSES:
            self.time_lapse = int(settings["time_lapse"])
        self.preset_seconds = float(settings.get("seconds", 120.0))
        self._preset_start = self.model.t
        self._preset_recorded = False

    def read_metric(self, name: str) -> float | None:
        m = self.model
        if name == "stopped_vehicles":
            return float(m.stopped_count())
        if name == "mean_speed_kmh":
            return m.mean_speed_kmh()
        if name == "speed_std_kmh":
            return float(m.v.std() * 3.6) if m.v.size else None
        if name == "total_travel_time_s":
            return float(m.total_travel_time_s)
        if name == "wave_speed_kmh":
            return self.wave
        return None

    def attempt_finished(self) -> bool:
        if self.preset_seconds is None:
            return False
        done = self.model.t - self._preset_start >= self.preset_seconds
        if done and not self._preset_recorded:
            self._preset_recorded = True
            self.ctx.recorder.record("traffic.attempt", {
                "scenario": self.scenario.id, "mode": "group",
                **{k: self.read_metric(k) for k in self.metrics}}, station=self.id)
        return done

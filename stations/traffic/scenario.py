"""Scenario files (config/content/traffic/*.toml) -> TrafficModel. The format is documented in
config/content/traffic/README.md; every key is optional except [scenario].id and [road].kind."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.paths import CONTENT_DIR as KIOSK_CONTENT_DIR

from .idm import PARAM_SETS, IDMParams
from .mobil import MobilParams
from .cellular import CellularRing
from .model import TrafficModel
from .nasch import CELL_M
from .roads import Closure, Ramp, Road

CONTENT_DIR = KIOSK_CONTENT_DIR / "traffic"
SECTIONS = {
    "scenario": {"id", "title", "summary", "params", "seconds", "model"},
    "road": {"kind", "length_m", "lanes", "inflow_veh_h", "speed_limit_kmh"},
    "vehicles": {"count", "density_veh_km_lane", "perturbation_ms", "smart_car"},
    "ramp": {"merge_start_m", "merge_end_m", "approach_m", "inflow_veh_h", "light_offset_m",
             "meter_green_s", "meter_red_s", "metering"},
    "closure": {"lane", "start_m", "end_m"},
    "params": {"v0_kmh", "T_s", "s0_m", "a", "b", "length_m", "heterogeneity", "noise_q"},
    "mobil": {"politeness", "threshold", "bias_right", "b_safe", "cooldown_s"},
    "nasch": {"p", "vmax", "start"},
    "station": {"density_min", "density_max", "density_step", "challenge", "challenge_s", "detectors_m", "order", "speed_scale_kmh", "warmup_s"},
}
PARAM_KEYS = {"v0_kmh": ("v0", 1 / 3.6), "T_s": ("T", 1.0), "s0_m": ("s0", 1.0), "a": ("a", 1.0),
              "b": ("b", 1.0), "length_m": ("length", 1.0), "heterogeneity": ("heterogeneity", 1.0),
              "noise_q": ("noise_q", 1.0)}


class ScenarioError(ValueError):
    """A scenario file or override is wrong; the message names the key."""


@dataclass
class Scenario:
    data: dict[str, Any]
    path: Path | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.data["scenario"]["id"])

    @property
    def title(self) -> str:
        return str(self.data["scenario"].get("title", self.id))

    @property
    def summary(self) -> str:
        return str(self.data["scenario"].get("summary", ""))

    @property
    def params_name(self) -> str:
        return str(self.data["scenario"].get("params", "exhibit"))

    @property
    def model_kind(self) -> str:
        """"idm" (TrafficModel) or "nasch" (the cellular automaton on a one-lane ring, cellular.py)."""
        return str(self.data["scenario"].get("model", "idm"))

    @property
    def seconds(self) -> float:
        return float(self.data["scenario"].get("seconds", 300))

    def section(self, name: str) -> dict[str, Any]:
        return self.data.get(name, {})

    def road(self) -> Road:
        r = self.section("road")
        ramp = closure = None
        if "ramp" in self.data:
            q = self.section("ramp")
            ramp = Ramp(merge_start=float(q.get("merge_start_m", 600.0)), merge_end=float(q.get("merge_end_m", 800.0)),
                        approach=float(q.get("approach_m", 250.0)), inflow_veh_h=float(q.get("inflow_veh_h", 400.0)),
                        light_offset=float(q.get("light_offset_m", 40.0)),
                        meter_green_s=float(q.get("meter_green_s", 2.0)), meter_red_s=float(q.get("meter_red_s", 6.0)))
        if "closure" in self.data:
            c = self.section("closure")
            closure = Closure(lane=int(c.get("lane", 0)), start=float(c.get("start_m", 700.0)), end=float(c.get("end_m", 900.0)))
        limit = r.get("speed_limit_kmh")
        return Road(kind=str(r.get("kind", "ring")), length=float(r.get("length_m", 1000.0)), lanes=int(r.get("lanes", 1)),
                    inflow_veh_h=float(r.get("inflow_veh_h", 0.0)), ramp=ramp, closure=closure,
                    speed_limit_kmh=None if limit is None else float(limit))

    def params(self, name: str | None = None) -> IDMParams:
        chosen = self.params_name if name is None else name
        if chosen not in PARAM_SETS:
            raise ScenarioError(f"scenario.params: unknown parameter set {chosen!r} (use {', '.join(PARAM_SETS)})")
        base = PARAM_SETS[chosen]
        changes = {PARAM_KEYS[k][0]: float(v) * PARAM_KEYS[k][1] for k, v in self.section("params").items()}
        return base.with_(**changes)

    def mobil(self) -> MobilParams:
        return MobilParams(**{k: float(v) for k, v in self.section("mobil").items()})

    def build(self, *, seed: int = 0, params: str | None = None, vehicles: int | None = None, **extra) -> TrafficModel:
        v = self.section("vehicles")
        count = vehicles if vehicles is not None else v.get("count")
        density = None if count is not None else v.get("density_veh_km_lane")
        detectors = self.section("station").get("detectors_m")
        if self.model_kind == "nasch":
            return self._build_cellular(seed, count, density, detectors, extra)
        model = TrafficModel(road=self.road(), params=self.params(params), vehicles=None if count is None else int(count),
                             density_veh_km_lane=None if density is None else float(density), seed=seed,
                             mobil=self.mobil(), smart_car=bool(v.get("smart_car", False)),
                             perturbation=float(v.get("perturbation_ms", 0.0)),
                             detector_positions=detectors, **extra)
        model.ramp_metering = bool(self.section("ramp").get("metering", False))
        return model


    def _build_cellular(self, seed, count, density, detectors, extra) -> CellularRing:
        """The automaton on this ring: cells of 7.5 m, as many cars as the scenario says (25 veh/km by default)."""
        road = self.road()
        cells = max(3, int(round(road.length / CELL_M)))
        if count is None:
            count = round((25.0 if density is None else float(density)) * cells * CELL_M / 1000.0)
        cars = int(count)
        if not 0 < cars <= cells:
            raise ScenarioError(f"vehicles: {cars} cars do not fit in {cells} cells of {CELL_M} m")
        n = self.section("nasch")
        return CellularRing(cells=cells, cars=cars, p=float(n.get("p", 0.25)), vmax=int(n.get("vmax", 5)),
                            start=str(n.get("start", "uniform")), seed=seed, detector_positions=detectors,
                            **{k: val for k, val in extra.items() if k in ("detector_interval_s", "measure")})


def _check(data: dict[str, Any]) -> list[str]:
    problems = []
    for name, value in data.items():
        if name not in SECTIONS:
            problems.append(f"[{name}]: unknown section")
            continue
        if not isinstance(value, dict):
            problems.append(f"{name}: must be a table")
            continue
        for key in value:
            if key not in SECTIONS[name]:
                problems.append(f"{name}.{key}: unknown key")
    if "id" not in data.get("scenario", {}):
        problems.append("scenario.id: missing")
    model = data.get("scenario", {}).get("model", "idm")
    if model not in ("idm", "nasch"):
        problems.append(f"scenario.model: {model!r} is not idm or nasch")
    elif model == "nasch":
        road = data.get("road", {})
        if road.get("kind", "ring") != "ring" or road.get("lanes", 1) != 1:
            problems.append("scenario.model: the nasch automaton runs on a one-lane ring (road.kind = ring, road.lanes = 1)")
        n = data.get("nasch", {})
        p, vmax = n.get("p", 0.25), n.get("vmax", 5)
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0:
            problems.append(f"nasch.p: {p!r} is not a probability between 0 and 1")
        if isinstance(vmax, bool) or not isinstance(vmax, int) or vmax < 1:
            problems.append(f"nasch.vmax: {vmax!r} is not a whole number of cells per step, at least 1")
        if n.get("start", "uniform") not in ("uniform", "random"):
            problems.append("nasch.start: uniform or random")
    return problems


def parse(data: dict[str, Any], path: Path | None = None) -> Scenario:
    problems = _check(data)
    scenario = Scenario(data, path, problems)
    if not problems:
        try:
            scenario.road()
            scenario.params()
            scenario.mobil()
        except (ScenarioError, ValueError, TypeError) as exc:
            problems.append(str(exc))
    if problems:
        where = f"{path}: " if path else ""
        raise ScenarioError(where + "; ".join(problems))
    return scenario


def load(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML ({exc})") from exc
    return parse(data, path)


def apply_overrides(scenario: Scenario, assignments: list[str]) -> Scenario:
    """--set section.key=value (value in TOML syntax, bare words taken as strings)."""
    data = {k: dict(v) if isinstance(v, dict) else v for k, v in scenario.data.items()}
    for item in assignments:
        key, sep, raw = item.partition("=")
        section, dot, name = key.strip().partition(".")
        if not sep or not dot:
            raise ScenarioError(f"--set {item!r}: expected section.key=value")
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw.strip()
        data.setdefault(section, {})[name] = value
    return parse(data, scenario.path)


def load_all(folder: Path = CONTENT_DIR) -> list[Scenario]:
    """The scenario files of `folder`, in their `[station] order`."""
    found = [load(p) for p in sorted(folder.glob("*.toml"))]
    return sorted(found, key=lambda s: (int(s.section("station").get("order", 99)), s.id))

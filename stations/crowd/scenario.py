"""Scenarios are content: TOML files in config/content/crowd/ (format in README.md).

`load_scenario(path)` validates a file into a `Scenario`; `scenario.build(...)` makes a ready
CrowdModel with its agents placed. Problems are reported as `ScenarioError` with the key path.
"""
from __future__ import annotations

import ast
import inspect
import operator
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .geometry import Exit, Geometry, Pillar, point_segment_distance
from .model import CrowdModel

CONTENT_DIR = Path(__file__).resolve().parents[2] / "config" / "content" / "crowd"
MODEL_KEYS = {name for name, p in inspect.signature(CrowdModel).parameters.items()
              if p.kind is inspect.Parameter.KEYWORD_ONLY} - {"seed", "period_x", "async_navigation"}
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


class ScenarioError(ValueError):
    pass


@dataclass
class Spawn:
    name: str
    rect: tuple[float, float, float, float]
    count: int
    destination: int
    hold_until_empty: str | None = None


@dataclass
class Area:
    name: str
    rect: tuple[float, float, float, float]

    @property
    def size(self) -> float:
        return (self.rect[2] - self.rect[0]) * (self.rect[3] - self.rect[1])

    def contains(self, pos: np.ndarray) -> np.ndarray:
        x0, y0, x1, y1 = self.rect
        return (pos[:, 0] >= x0) & (pos[:, 0] <= x1) & (pos[:, 1] >= y0) & (pos[:, 1] <= y1)


@dataclass
class Scenario:
    id: str
    title: str
    caption: str
    seconds: float
    geometry: Geometry
    destinations: list[tuple[str, list[str]]]
    spawns: list[Spawn]
    areas: list[Area]
    model: dict[str, Any] = field(default_factory=dict)
    periodic_x: tuple[float, float] | None = None
    station: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, float] = field(default_factory=dict)

    @property
    def total_agents(self) -> int:
        return sum(s.count for s in self.spawns)

    def build(self, *, agents: int | None = None, seed: int = 0, overrides: dict[str, Any] | None = None,
              async_navigation: bool = False, model_class: type[CrowdModel] = CrowdModel) -> CrowdModel:
        options = {**self.model, **(overrides or {})}
        unknown = set(options) - MODEL_KEYS
        if unknown:
            raise ScenarioError(f"unknown model parameter(s): {', '.join(sorted(unknown))}")
        model = model_class(self.geometry.copy(), [exits for _, exits in self.destinations],
                           period_x=self.periodic_x, async_navigation=async_navigation, seed=seed, **options)
        self.populate(model, agents=agents)
        return model

    def populate(self, model: CrowdModel, *, agents: int | None = None) -> None:
        scale = 1.0 if agents is None or self.total_agents == 0 else agents / self.total_agents
        names = [s.name for s in self.spawns]
        seg = model.geometry.segments()
        placed = np.zeros((0, 2))
        for tag, spawn in enumerate(self.spawns):
            count = int(round(spawn.count * scale))
            if count == 0:
                continue
            pts = place_agents(spawn.rect, count, seg, model.geometry.pillars, model.radius_range[1], model.rng,
                               placed)
            placed = np.vstack([placed, pts])
            hold = names.index(spawn.hold_until_empty) if spawn.hold_until_empty else -1
            model.add_agents(pts, group=spawn.destination, tag=tag, hold=hold)


def place_agents(rect, count: int, seg: np.ndarray, pillars: list[Pillar], r_max: float,
                 rng: np.random.Generator, placed: np.ndarray | None = None) -> np.ndarray:
    """`count` random points in rect on a hexagonal lattice, away from walls and pillars.

    The lattice spacing is one body diameter when there is room; denser crowds are placed closer
    (bodies overlap a little at first and spread within a few steps).
    """
    x0, y0, x1, y1 = rect
    area = (x1 - x0) * (y1 - y0)
    others = 0 if placed is None else int(((placed[:, 0] >= x0) & (placed[:, 0] <= x1)
                                           & (placed[:, 1] >= y0) & (placed[:, 1] <= y1)).sum())
    spacing = min(2 * r_max + 0.05, np.sqrt(area / ((count + others) * 0.866)) * 0.98)
    margin = r_max + 0.05
    # A hexagonal lattice turned by a random angle: no rows lined up with a corridor (lined-up
    # rows of opposite walkers meet exactly head-on, which no real crowd does).
    angle = rng.uniform(0, np.pi / 3)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    half = np.hypot(x1 - x0, y1 - y0) / 2 + spacing
    while True:
        ys = np.arange(-half, half, spacing * 0.866)
        xs = np.arange(-half, half, spacing)
        gx, gy = np.meshgrid(xs, ys)
        gx = gx + (np.arange(len(ys))[:, None] % 2) * spacing / 2
        pts = np.c_[gx.ravel(), gy.ravel()] @ rot.T + centre
        pts = pts[(pts[:, 0] > x0) & (pts[:, 0] < x1) & (pts[:, 1] > y0) & (pts[:, 1] < y1)]
        if len(seg):
            pts = pts[point_segment_distance(pts, seg).min(axis=1) > min(margin, spacing / 2)]
        for p in pillars:
            pts = pts[np.hypot(pts[:, 0] - p.center[0], pts[:, 1] - p.center[1]) > p.radius + margin]
        if placed is not None and len(placed) and len(pts):
            gap = np.sqrt(((pts[:, None, :] - placed[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
            pts = pts[gap > spacing * 0.9]
        if len(pts) >= count:
            break
        spacing *= 0.92
    chosen = pts[rng.choice(len(pts), count, replace=False)]
    return chosen + rng.uniform(-0.02, 0.02, chosen.shape)


# -- loading ---------------------------------------------------------------------------------
def evaluate(expr: Any, params: dict[str, float]) -> float:
    """A coordinate: a number, or arithmetic (+ - * /) on numbers and [parameters] names."""
    if isinstance(expr, (int, float)) and not isinstance(expr, bool):
        return float(expr)
    if not isinstance(expr, str):
        raise ValueError(expr)

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name) and node.id in params:
            return float(params[node.id])
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        raise ValueError(expr)

    return walk(ast.parse(expr, mode="eval"))


def _points(value: Any, where: str, params: dict[str, float]) -> list[tuple[float, float]]:
    try:
        pts = [(evaluate(p[0], params), evaluate(p[1], params)) for p in value]
    except (TypeError, ValueError, IndexError, SyntaxError, ZeroDivisionError):
        raise ScenarioError(f"{where}: expected a list of [x, y] points in metres") from None
    return pts


def _rect(value: Any, where: str, params: dict[str, float]) -> tuple[float, float, float, float]:
    try:
        x0, y0, x1, y1 = (evaluate(v, params) for v in value)
    except (TypeError, ValueError, SyntaxError, ZeroDivisionError):
        raise ScenarioError(f"{where}: expected [x_min, y_min, x_max, y_max]") from None
    if x1 <= x0 or y1 <= y0:
        raise ScenarioError(f"{where}: empty rectangle")
    return x0, y0, x1, y1


def parse_scenario(data: dict[str, Any], scenario_id: str, parameters: dict[str, float] | None = None) -> Scenario:
    """parameters override the file's [parameters] table (e.g. width = 0.8 for the bottleneck)."""
    params = {k: float(v) for k, v in data.get("parameters", {}).items()}
    for key, value in (parameters or {}).items():
        if key not in params:
            raise ScenarioError(f"parameters.{key}: this scenario has no such parameter ({', '.join(params) or 'none'})")
        params[key] = float(value)
    geometry = Geometry()
    for k, wall in enumerate(data.get("walls", [])):
        pts = _points(wall.get("points"), f"walls[{k}].points", params)
        if len(pts) < 2:
            raise ScenarioError(f"walls[{k}].points: a wall needs at least 2 points")
        geometry.walls.append(pts)
    for k, ob in enumerate(data.get("obstacles", [])):
        if "radius" in ob:
            c = _points([ob.get("center")], f"obstacles[{k}].center", params)[0]
            geometry.pillars.append(Pillar(c, float(ob["radius"])))
        else:
            geometry.polygons.append(_points(ob.get("points"), f"obstacles[{k}].points", params))
    for k, ex in enumerate(data.get("exits", [])):
        line = _points(ex.get("line"), f"exits[{k}].line", params)
        if len(line) != 2 or "name" not in ex:
            raise ScenarioError(f"exits[{k}]: needs a name and a line of 2 points")
        geometry.exits.append(Exit(str(ex["name"]), line[0], line[1], bool(ex.get("open", True))))
    exit_names = {e.name for e in geometry.exits}
    destinations: list[tuple[str, list[str]]] = []
    for k, dest in enumerate(data.get("destinations", [])):
        exits = [str(e) for e in dest.get("exits", [])]
        missing = [e for e in exits if e not in exit_names]
        if missing or not exits:
            raise ScenarioError(f"destinations[{k}].exits: unknown or no exits {missing}")
        destinations.append((str(dest.get("name", f"destination {k}")), exits))
    if not destinations:
        destinations = [("sortie", sorted(exit_names))]
    dest_names = [d[0] for d in destinations]
    spawns: list[Spawn] = []
    for k, sp in enumerate(data.get("spawns", [])):
        dest = sp.get("destination", dest_names[0])
        if dest not in dest_names:
            raise ScenarioError(f"spawns[{k}].destination: unknown destination {dest!r}")
        count = sp.get("count")
        if isinstance(count, str):        # arithmetic on [parameters], e.g. "density * 80"
            try:
                count = int(round(evaluate(count, params)))
            except (ValueError, SyntaxError, ZeroDivisionError):
                count = None
        if not isinstance(count, int) or count < 0:
            raise ScenarioError(f"spawns[{k}].count: expected a whole number >= 0")
        hold = sp.get("hold_until_empty")
        condition = sp.get("hold_when")   # a [parameters] name: hold only when it is not 0
        if condition is not None:
            if condition not in params:
                raise ScenarioError(f"spawns[{k}].hold_when: unknown parameter {condition!r}")
            if params[condition] == 0:
                hold = None
        rect = _rect(sp.get("rect"), f"spawns[{k}].rect", params)
        spawns.append(Spawn(str(sp.get("name", f"spawn {k}")), rect, count, dest_names.index(dest), hold))
    spawn_names = {s.name for s in spawns}
    for k, sp in enumerate(spawns):
        if sp.hold_until_empty is not None and sp.hold_until_empty not in spawn_names:
            raise ScenarioError(f"spawns[{k}].hold_until_empty: unknown spawn {sp.hold_until_empty!r}")
    areas = [Area(str(a.get("name", f"area {k}")), _rect(a.get("rect"), f"areas[{k}].rect", params))
             for k, a in enumerate(data.get("areas", []))]
    model = dict(data.get("model", {}))
    unknown = set(model) - MODEL_KEYS
    if unknown:
        raise ScenarioError(f"model: unknown parameter(s) {', '.join(sorted(unknown))}")
    for key, value in model.items():      # numbers may be arithmetic on [parameters] too
        if isinstance(value, str) and key != "walking":
            try:
                model[key] = evaluate(value, params)
            except (ValueError, SyntaxError, ZeroDivisionError):
                raise ScenarioError(f"model.{key}: expected a number or arithmetic on [parameters]") from None
    periodic = data.get("periodic", {}).get("x")
    if not geometry.exits and periodic is None:
        raise ScenarioError("exits: a scenario needs at least one exit")
    return Scenario(
        id=scenario_id, title=str(data.get("title", scenario_id)), caption=str(data.get("caption", "")),
        seconds=float(data.get("seconds", 120.0)), geometry=geometry, destinations=destinations,
        spawns=spawns, areas=areas, model=model,
        periodic_x=None if periodic is None else (float(periodic[0]), float(periodic[1])),
        station=dict(data.get("station", {})), parameters=params,
    )


def load_scenario(path: str | Path, parameters: dict[str, float] | None = None) -> Scenario:
    path = Path(path)
    if not path.exists() and not path.suffix:
        path = CONTENT_DIR / f"{path}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML ({exc})") from None
    try:
        return parse_scenario(data, path.stem, parameters)
    except (AttributeError, TypeError, KeyError) as exc:
        raise ScenarioError(f"{path}: malformed ({exc})") from None


def bundled_scenarios() -> list[str]:
    return sorted(p.stem for p in CONTENT_DIR.glob("*.toml"))

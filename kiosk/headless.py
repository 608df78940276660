"""Scripts for headless runs: a TOML list of [[step]] tables replayed on a virtual clock.

    [[step]]
    at = 1.0            # seconds since start
    tap = [960, 540]    # or hold = [x, y, seconds], drag = [[x, y], ...], key = "escape",
                        #    text = "Bonjour", screenshot = "file.png"
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.config import ConfigError, ConfigProblem, read_toml

ACTIONS = ("tap", "hold", "drag", "key", "text", "screenshot")
FPS = 60


@dataclass(frozen=True)
class ScriptedInput:
    frame: int
    action: str          # down | move | up | key | text | screenshot
    value: Any


def _point(v: Any) -> bool:
    return isinstance(v, list) and len(v) == 2 and all(isinstance(c, (int, float)) for c in v)


def load_script(path: Path | str) -> list[ScriptedInput]:
    """Parse and validate a script; ConfigError names the step and what is wrong."""
    data = read_toml(Path(path))
    file = str(path)
    problems: list[ConfigProblem] = []
    steps = data.get("step", [])
    if not isinstance(steps, list):
        raise ConfigError([ConfigProblem(file, "step", "not a list", "[[step]] tables")])
    unknown = set(data) - {"step"}
    for key in sorted(unknown):
        problems.append(ConfigProblem(file, key, "unknown key", "only [[step]] tables"))
    out: list[ScriptedInput] = []
    for i, step in enumerate(steps):
        where = f"step[{i}]"
        at = step.get("at")
        if not isinstance(at, (int, float)) or isinstance(at, bool) or at < 0:
            problems.append(ConfigProblem(file, f"{where}.at", repr(at), "seconds since start (a number >= 0)"))
            continue
        actions = [a for a in ACTIONS if a in step]
        extra = set(step) - set(ACTIONS) - {"at"}
        if len(actions) != 1 or extra:
            problems.append(ConfigProblem(file, where, f"keys {sorted(step)}", "'at' and exactly one of " + ", ".join(ACTIONS)))
            continue
        action, value = actions[0], step[actions[0]]
        frame = round(at * FPS)
        if action == "tap" and _point(value):
            out += [ScriptedInput(frame, "down", value), ScriptedInput(frame + 2, "up", value)]
        elif action == "hold" and isinstance(value, list) and len(value) == 3 and _point(value[:2]):
            out += [ScriptedInput(frame, "down", value[:2]), ScriptedInput(frame + max(1, round(value[2] * FPS)), "up", value[:2])]
        elif action == "drag" and isinstance(value, list) and len(value) >= 2 and all(_point(p) for p in value):
            out.append(ScriptedInput(frame, "down", value[0]))
            f = frame
            for a, b in zip(value, value[1:]):
                for k in range(1, 7):  # six frames per segment: a finger's speed
                    f += 1
                    out.append(ScriptedInput(f, "move", [a[0] + (b[0] - a[0]) * k / 6, a[1] + (b[1] - a[1]) * k / 6]))
            out.append(ScriptedInput(f + 1, "up", value[-1]))
        elif action in ("key", "text", "screenshot") and isinstance(value, str) and value:
            out.append(ScriptedInput(frame, action, value))
        else:
            problems.append(ConfigProblem(file, f"{where}.{action}", repr(value), {
                "tap": "[x, y]", "hold": "[x, y, seconds]", "drag": "[[x, y], [x, y], ...]",
            }.get(action, "a non-empty text")))
    if problems:
        raise ConfigError(problems)
    return sorted(out, key=lambda s: s.frame)

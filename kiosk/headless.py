"""Scripts for headless runs: the steps a visitor's fingers take, replayed on a virtual clock.

One vocabulary, two ways to write it. A TOML file (`kiosk run --script`):

    [[step]]
    at = 1.0            # seconds since start
    tap = [960, 540]    # or hold = [x, y, seconds], drag = [[x, y], ...], key = "escape",
                        #    text = "Bonjour", screenshot = "file.png"

or the same steps from Python, one after the other (`Script().tap((960, 540)).wait(2).screenshot("a.png")`),
for tools that read the positions from the screens' own layouts. Both become ScriptedInput lists.
"""
from __future__ import annotations

import difflib
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame

from kiosk.input import DOWN, MOVE, UP
from kiosk.problems import ConfigError, ConfigProblem, read_toml

log = logging.getLogger(__name__)
ACTIONS = ("tap", "hold", "drag", "key", "text", "screenshot")
FPS = 60
TAP_FRAMES = 2          # a tap: down, then up two frames later
DRAG_SEGMENT_FRAMES = 6  # six frames per segment of a drag: a finger's speed


@dataclass(frozen=True)
class ScriptedInput:
    frame: int
    action: str          # down | move | up | key | text | screenshot
    value: Any


def _point(v: Any) -> bool:
    return isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(c, (int, float)) for c in v)


EXPECTED = {"tap": "[x, y]", "hold": "[x, y, seconds]", "drag": "[[x, y], [x, y], ...]",
            "key": "a key name pygame knows: escape, return, backspace, tab, space, left, a, f1 ..."}


def known_key(name: str) -> bool:
    """Is `name` a key SDL can post? Checked when the script loads: an unknown name would stop the run
    halfway, with no kiosk.stop recorded. SDL looks names up without a display: pygame's warning that it
    is not initialised does not apply to this table."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            pygame.key.key_code(name)
        except ValueError:
            return False
    return True


def expand(action: str, value: Any, frame: int) -> list[ScriptedInput] | None:
    """The inputs of one step starting at `frame`; None when `value` does not fit the action."""
    if action == "tap" and _point(value):
        return [ScriptedInput(frame, DOWN, list(value)), ScriptedInput(frame + TAP_FRAMES, UP, list(value))]
    if action == "hold" and isinstance(value, (list, tuple)) and len(value) == 3 and _point(value[:2]):
        pos = list(value[:2])
        return [ScriptedInput(frame, DOWN, pos), ScriptedInput(frame + max(1, round(value[2] * FPS)), UP, pos)]
    if action == "drag" and isinstance(value, (list, tuple)) and len(value) >= 2 and all(_point(p) for p in value):
        out = [ScriptedInput(frame, DOWN, list(value[0]))]
        f = frame
        for a, b in zip(value, value[1:]):
            for k in range(1, DRAG_SEGMENT_FRAMES + 1):
                f += 1
                t = k / DRAG_SEGMENT_FRAMES
                out.append(ScriptedInput(f, MOVE, [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]))
        out.append(ScriptedInput(f + 1, UP, list(value[-1])))
        return out
    if action == "key" and not (isinstance(value, str) and known_key(value)):
        return None
    if action in ("key", "text", "screenshot") and isinstance(value, str) and value:
        return [ScriptedInput(frame, action, value)]
    return None


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
        extra = sorted(set(step) - set(ACTIONS) - {"at"})
        if len(actions) != 1 or extra:
            hint = "".join(_suggest(name) for name in extra)
            problems.append(ConfigProblem(file, where, f"keys {sorted(step)}{hint}",
                                          "'at' and exactly one of " + ", ".join(ACTIONS)))
            continue
        action, value = actions[0], step[actions[0]]
        inputs = expand(action, value, round(at * FPS))
        if inputs is None:
            found = f"unknown key name {value!r}" if action == "key" and isinstance(value, str) else repr(value)
            problems.append(ConfigProblem(file, f"{where}.{action}", found, EXPECTED.get(action, "a non-empty text")))
        else:
            out += inputs
    if problems:
        raise ConfigError(problems)
    return sorted(out, key=lambda s: s.frame)


def _suggest(name: str) -> str:
    close = difflib.get_close_matches(name, ACTIONS, n=1, cutoff=0.6)
    return f" ('{name}': did you mean '{close[0]}'?)" if close else f" ('{name}' is not a step)"


class Script:
    """The same steps written from Python, in order: each starts where the previous one left the clock."""

    def __init__(self, start: float = 0.5) -> None:
        self.t = start
        self.steps: list[ScriptedInput] = []

    def frame(self) -> int:
        return round(self.t * FPS)

    def _add(self, action: str, value: Any, then_wait: float) -> "Script":
        inputs = expand(action, value, self.frame())
        if inputs is None:
            raise ValueError(f"{action} = {value!r}: expected {EXPECTED.get(action, 'a non-empty text')}")
        self.steps += inputs
        self.t += then_wait
        return self

    def tap(self, pos, wait: float = 0.6) -> "Script":
        """`pos`: a point or a pygame.Rect (its centre)."""
        return self._add("tap", list(pos.center if isinstance(pos, pygame.Rect) else pos), wait)

    def hold(self, pos, seconds: float) -> "Script":
        return self._add("hold", [*pos, seconds], seconds + 0.5)

    def drag(self, points, wait: float = 0.6) -> "Script":
        return self._add("drag", [list(p) for p in points], wait + (len(points) - 1) * DRAG_SEGMENT_FRAMES / FPS)

    def key(self, name: str, wait: float = 0.3) -> "Script":
        return self._add("key", name, wait)

    def text(self, text: str, wait: float = 0.3) -> "Script":
        return self._add("text", text, wait)

    def screenshot(self, path) -> "Script":
        return self._add("screenshot", str(path), 0.1)

    def wait(self, seconds: float) -> "Script":
        self.t += seconds
        return self

    @property
    def seconds(self) -> float:
        return self.t + 0.5


def post_scripted(step: ScriptedInput, letterbox) -> None:
    """Scripted input enters as real pygame mouse events, through the same translation as a visitor's."""
    sx, sy = letterbox.offset
    if step.action in (DOWN, UP, MOVE):
        pos = (round(step.value[0] * letterbox.scale + sx), round(step.value[1] * letterbox.scale + sy))
        if step.action == DOWN:
            pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False))
        elif step.action == UP:
            pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1, touch=False))
        else:
            pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(1, 0, 0), touch=False))
    elif step.action == "key":
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.key.key_code(step.value), mod=0, unicode=""))
    elif step.action == "text":
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=step.value))


class VirtualClock:
    """A headless run's clock: exactly one frame per turn of the loop, so scripts and screenshots are reproducible."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t

    def next_frame(self) -> float:
        """Moves on one frame, to a whole number of frames (no drift in the frame pacer's slots); its length."""
        self.t = (round(self.t * FPS) + 1) / FPS
        return 1 / FPS


class ScriptPlayer:
    """Plays a script's steps as their frames come: input as pygame events, screenshots as PNG files."""

    def __init__(self, script: list[ScriptedInput] | None) -> None:
        self.pending = list(script or [])

    def play(self, frame: int, canvas: pygame.Surface, letterbox) -> list[pygame.event.Event]:
        """The steps due at `frame`; returns the events they posted, taken from pygame's queue."""
        events: list[pygame.event.Event] = []
        while self.pending and self.pending[0].frame <= frame:
            step = self.pending.pop(0)
            if step.action == "screenshot":
                save_screenshot(canvas, Path(step.value))
            else:
                post_scripted(step, letterbox)
                events += pygame.event.get()
        return events


def save_screenshot(canvas: pygame.Surface, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pygame.image.save(canvas, str(path))
    log.info("screenshot written to %s", path)

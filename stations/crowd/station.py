"""CrowdStation: glue between the runtime, the crowd model and its view (docs/architecture.md, "The station contract")."""
from __future__ import annotations

import math
import time
from typing import Any, ClassVar, Mapping

import numpy as np
import pygame

from kiosk.access.reach import Reach
from kiosk.chrome import chrome_row
from kiosk.input import DOWN, MOVE, UP, InputEvent
from kiosk.station import Station, StationContext
from kiosk.ui import THEME, Button

from .attempt import Attempt
from .challenge import CrowdChallenges
from .controls import HurrySlider, RoomGestures, hurry_to_speed, speed_to_hurry
from .editing import Caption, RoomEditing
from .measure import area_reading, lane_order
from .preview import CrowdPreview
from .scenario import Scenario, bundled_scenarios, load_scenario
from .telling import WALL_SECOND, WALL_TOOL, DoorSounds, TwoTapWall, describe
from .view import CrowdView

# The "hurry" slider reaches panic in every room: keep bodies from sinking into each other on screen
# (0.30 m in « Quatre sorties » at 5 m/s without these; README "Overlap in panic"). A scenario that
# sets its own values keeps them; `kiosk simulate` and the validations run the scenario files as they are.
PANIC_SAFETY = {"max_substeps": 4, "substep_speed": 2.0, "max_body_overlap": 0.08, "wall_overlap_limit": 0.09}
RESTART_AFTER_S = 12.0                  # an evacuated room starts again by itself after this
STALL_RESTART_S = 45.0                  # ...and so does a room where nobody has left for this long (s)
MAX_OWED_S = 0.1                       # s: a longer frame (a pause) is not caught up
# Room buttons share the band above the slider two by two with the density toggle: beyond seven they
# fall under 72 px high.
MAX_SCENARIOS = 7
FRAME_S, MIN_MODEL_S = 1 / 30, 0.004  # s: the slowest frame we aim for, and the model's least share
READING_SMOOTHING_S = 1.0              # s, the live density and speed caption's averaging time
STALLED = "Plus personne ne sortait : la salle recommence."


class CrowdStation(RoomEditing, Station, CrowdChallenges):
    id: ClassVar[str] = "crowd"
    title: ClassVar[str] = "Foules"
    teaser: ClassVar[str] = "Un mouvement collectif, est-ce la somme des mouvements de chacun ?"
    icon: ClassVar[str] = "users-group"
    config_defaults: ClassVar[dict[str, Any]] = {
        "scenarios": ["evacuation", "corridor", "bottleneck", "four-exits", "platform", "dense"],
        "start_scenario": "evacuation",
        # simulation time per frame at most (and never more than a 30 fps frame leaves after
        # drawing); beyond it the crowd runs in slow motion. 10,000 people need ~15-20 ms of it
        "model_budget_ms": 30.0,
    }
    # under 2 ms even a small crowd crawls; above what a 30 frames/s frame leaves after drawing the station
    # takes only that (tests and benchmarks ask for 1000: "whatever the frame leaves")
    config_ranges: ClassVar[dict[str, tuple[float, float]]] = {"model_budget_ms": (2, 1000)}
    metrics: ClassVar[dict[str, str]] = {
        "evacuation_time_s": "temps pour que tout le monde sorte (s)",
        "agents_remaining": "personnes encore dans la salle",
        "pillars": "piliers posés",
        "walls": "murs tracés",
        "closed_exits": "portes fermées",
        "hurry": "réglage « pressé » (0 = calme, 1 = panique)",
        "lane_order": "ordre des files (0 = mélange, 1 = files parfaites)",
        "elapsed_s": "temps simulé depuis le départ (s)",
    }

    def __init__(self, ctx: StationContext):
        super().__init__(ctx)
        cfg = ctx.config
        self.scenario_ids = [s for s in cfg.get("scenarios", self.config_defaults["scenarios"]) if s in bundled_scenarios()]
        start = cfg.get("start_scenario", self.config_defaults["start_scenario"])
        self.start_id = start if start in self.scenario_ids else self.scenario_ids[0]
        self.budget_s = float(cfg.get("model_budget_ms", self.config_defaults["model_budget_ms"])) / 1000
        # A reproducible run gives the same frames every time: every step in full, fields built in the frame.
        self.asynchronous = not ctx.reproducible
        if ctx.reproducible:
            self.budget_s = math.inf
        self.seed = int(ctx.rng.integers(0, 2**31))
        w, h = ctx.canvas_size
        self._layout(w, h)
        self.view = CrowdView(self.room_rect)
        self.gestures = RoomGestures()
        self.hurry = HurrySlider(self.slider_rect, on_adjust=self._hurry_changed)
        self.door_sounds = DoorSounds()
        self.wall_tool = TwoTapWall()
        self.scenario: Scenario | None = None
        self.model = None
        self.attempt: Attempt | None = None
        self.ghosts: dict[str, list[tuple[float, float]]] = {}
        self.parameters: dict[str, float] = {}
        self.finished_since: float | None = None
        self.stalled_s = 0.0                 # frame seconds since someone last left the room
        self._last_count = 0
        self.sim_rate = 1.0
        self._draw_s = 0.0                   # the last frame's drawing (s)
        self._owed = 0.0                     # simulated seconds the crowd owes the clock
        self.reading: tuple[float, float | None] | None = None   # density (/m²), speed (m/s) in the frame
        self._reset_editing()
        self._build_buttons()
        self._prefetch_rooms()

    # -- layout ------------------------------------------------------------------------------
    def _layout(self, w: int, h: int) -> None:
        top = 128
        if w >= h:
            panel = pygame.Rect(w - 560, top, 544, h - top - 16)
            self.room_rect = pygame.Rect(16, top, w - 592, h - top - 96)
            self.grid_columns = 2
            # four rows of room buttons at least THEME.min_touch tall with a gap (a smaller button's touch
            # area would grow over its neighbour's), then the slider, the tools and the chart
            self.slider_rect = pygame.Rect(panel.x, panel.y + 410, panel.width, 150)
            self.tools_y = self.slider_rect.bottom + 10
            self.chart_rect = pygame.Rect(panel.x, self.tools_y + 116, panel.width, panel.bottom - self.tools_y - 116)
        else:
            # A portrait totem: every control within reach of a wheelchair, under the chrome's row in the
            # reach band; the room (the scene) and the chart above it.
            chrome = chrome_row((w, h), Reach.of(self.ctx.kiosk))
            band_bottom = Reach.of(self.ctx.kiosk).band()[1]
            panel = pygame.Rect(16, chrome.bottom + 8, w - 32, band_bottom - chrome.bottom - 8)
            self.grid_columns = 4
            self.slider_rect = pygame.Rect(panel.x, panel.y + 204, panel.width, 150)
            self.tools_y = self.slider_rect.bottom + 10
            self.chart_rect = pygame.Rect(16, chrome.top - 210, w - 32, 200)
            top = 150      # two lines of caption under the title
            self.room_rect = pygame.Rect(16, top, w - 32, self.chart_rect.top - 88 - top)
        self.hint_rect = pygame.Rect(self.room_rect.x, self.room_rect.bottom + 8, self.room_rect.width, 72)
        self.panel = panel

    def _build_buttons(self) -> None:
        p = self.panel
        cols = self.grid_columns
        bw = (p.width - 16 * (cols - 1)) // cols
        self.scenario_buttons: list[tuple[str, Button]] = []
        # the room buttons and the density toggle share the band above the slider
        rows = (len(self.scenario_ids) + cols) // cols
        pitch = min(106, (self.slider_rect.y - p.y) // rows)

        def cell(k: int) -> pygame.Rect:
            return pygame.Rect(p.x + (k % cols) * (bw + 16), p.y + (k // cols) * pitch, bw, pitch - 10)

        for k, sid in enumerate(self.scenario_ids):
            self.scenario_buttons.append((sid, Button(cell(k), on_press=lambda s=sid: self.load(s, record=True))))
        y = self.tools_y
        # the density toggle takes the next free slot of the grid
        self.heat_button = Button(cell(len(self.scenario_ids)), on_press=self._toggle_heat,
                                  icon=self.ctx.assets.icon("flame", 36, THEME.text))
        tw = (p.width - 32) // 3       # restart, the two-tap wall, the room's own setting
        self.restart_button = Button(pygame.Rect(p.x, y, tw, 100), on_press=self.restart,
                                     icon=self.ctx.assets.icon("refresh", 40, THEME.on_accent),
                                     color=THEME.accent, text_color=THEME.on_accent)
        self.wall_button = Button(pygame.Rect(p.x + tw + 16, y, tw, 100), on_press=self._toggle_wall_tool,
                                  icon=self.ctx.assets.icon("pencil", 40, THEME.text), name=WALL_TOOL)
        self.extra_button = Button(pygame.Rect(p.x + 2 * (tw + 16), y, tw, 100), on_press=self._extra)
        self.buttons = [b for _, b in self.scenario_buttons] + [self.restart_button, self.heat_button,
                                                                self.wall_button, self.extra_button]
        # laid out left to right; drawn mirrored in a right-to-left language (drawing._panel)
        self.button_layout = [(b, pygame.Rect(b.rect)) for b in self.buttons]

    def _prefetch_rooms(self) -> None:
        """Every room's navigation field is computed now, in the worker process (the first room
        first), so that switching rooms shows people walking at once: nothing runs on this thread
        but reading the scenario files. (Headless runs build each field when its room opens.)"""
        if not self.asynchronous:
            return
        for sid in sorted(self.scenario_ids, key=lambda s: s != self.start_id):
            load_scenario(sid).build(agents=0, async_navigation=True).close()

    # -- lifecycle ---------------------------------------------------------------------------
    def reset(self) -> None:
        self._record_attempt()       # the previous visitor's attempt, if they changed anything
        self.ghosts.clear()
        self.gestures.clear()
        self.view.show_heat = False
        self.load(self.start_id, record=False)

    def enter(self) -> None:
        if self.model is None:
            self.load(self.start_id, record=False)

    def exit(self) -> None:
        self._record_attempt()
        self.gestures.clear()

    def load(self, scenario_id: str, *, record: bool = True, parameters: Mapping[str, float] | None = None,
             hurry: float | None = None) -> None:
        if record:
            self._record_attempt()
        if self.model is not None:
            self.model.close()
        if scenario_id != (self.scenario.id if self.scenario else None):
            self.parameters = {}
        self.parameters.update(parameters or {})
        self.scenario = load_scenario(scenario_id, self.parameters)
        self.parameters = dict(self.scenario.parameters)
        safety = {k: v for k, v in PANIC_SAFETY.items() if k not in self.scenario.model}
        self.model = self.scenario.build(seed=self.seed, async_navigation=self.asynchronous, overrides=safety)
        self._reset_editing()
        self.wall_tool = TwoTapWall()
        default_hurry = speed_to_hurry(float(self.scenario.station.get("desired_speed", 1.34)))
        self.hurry.value = default_hurry if hurry is None else hurry
        self.model.desired_speed = hurry_to_speed(self.hurry.value)
        self.view.fit(self.model)
        self.view.hidden_exits = set(self.scenario.station.get("hidden_exits", []))
        hint = self.scenario.station.get("pillar_hint")
        self.view.hint = None if hint is None else (float(hint[0]), float(hint[1]))
        self._new_attempt()

    def restart(self) -> None:
        """Same room, same changes, fresh crowd: compare with the ghost curve."""
        self._record_attempt()
        geometry = self.model.geometry
        self.model.reset()
        self.model.geometry = geometry
        self.model.geometry_changed()
        self.scenario.populate(self.model)
        self.model.desired_speed = hurry_to_speed(self.hurry.value)
        self._new_attempt()

    def _new_attempt(self) -> None:
        # a room refilled by itself after the last one emptied (or stalled) is not watched: busy() is
        # False until a visitor touches something, so an unattended kiosk still returns to its attract loop
        self.self_started = False
        self.attempt = Attempt(self.scenario.id, self.model.count, dict(self.parameters))
        # the curve this attempt is compared with: recording the attempt replaces the scenario's ghost
        self.attempt_ghost = list(self.ghosts.get(self.scenario.id, []))
        self.finished_since = None
        self._edited()

    def _edited(self) -> None:
        self.stalled_s = 0.0                 # a change may unblock the room: give it time again
        self._last_count = self.model.count

    def _record_attempt(self) -> None:
        a = self.attempt
        if a is None or a.recorded or self.model is None:
            return
        a.recorded = True
        if a.curve:
            self.ghosts[a.scenario] = list(a.curve)
        if not a.interacted and a.finished_at is None:
            return   # nobody touched anything and nothing finished: not an attempt
        payload = a.payload(self.model, self.hurry.value, self._lane_order())
        self.ctx.recorder.record("crowd.attempt", payload, station=self.id)

    def attract_preview(self) -> CrowdPreview:
        return CrowdPreview(seed=self.seed, asynchronous=self.asynchronous)

    # -- frame -------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        model = self.model
        self._check_edits(dt)
        if self.finished_since is not None:
            self.finished_since += dt
            if self.finished_since > RESTART_AFTER_S:
                self.restart()
                self.self_started = True     # not a run the visitor is watching: the idle time goes on
            return
        # whole steps owed to the clock; the fraction is carried to the next frame (rounding each
        # frame's share lost or added a part of a step every frame: 0.85 x the pace at 20 ms frames)
        self._owed = min(self._owed + dt, MAX_OWED_S)
        want = int(self._owed / model.dt + 1e-6)
        start = time.perf_counter()
        done = 0
        # the model gets what is left of a 30 frames/s frame once the last drawing is paid for (at
        # most the budget): more steps than that would lengthen the next frame, which asks for more
        # (a reproducible run, whose budget is unlimited, must not depend on how long drawing took)
        budget = self.budget_s
        if not math.isinf(budget):
            budget = min(budget, max(MIN_MODEL_S, FRAME_S - self._draw_s))
        while done < want and (done == 0 or time.perf_counter() - start < budget):
            model.step()
            done += 1
        # steps cut by the budget stay owed, up to MAX_OWED_S: a neighbour-list rebuild that
        # overran one frame is caught up in the next ones; past that the crowd goes in slow motion
        self._owed -= done * model.dt
        self.sim_rate = done / want if want else 1.0
        self._read_frame(dt)
        self.door_sounds.follow(self, dt)
        self.attempt.sample(model.time, float(self._chart_value() or 0.0))
        if model.period is None and model.count == 0 and self.attempt.finished_at is None:
            self.attempt.finished_at = model.time
            self.attempt.curve.append((model.time, 0.0))
            self.finished_since = 0.0
            self._record_attempt()
            if self.ctx.access is not None:
                self.ctx.access.play("success")
                self.ctx.access.announce(self.ctx._("Tout le monde est sorti en {t} s").format(t=f"{model.time:.1f}"))
        self._watch_progress(dt)

    def _read_frame(self, dt: float) -> None:
        """Density and mean speed in the room's measurement frame (its first [[areas]]), smoothed
        over about a second: the caption that lets a visitor see speed fall where it is crowded."""
        if not self.scenario.areas or not self.model.ready:
            self.reading = None
            return
        density, speed = area_reading(self.model, self.scenario.areas[0])
        if self.reading is None:
            self.reading = (density, speed)
            return
        k = min(1.0, dt / READING_SMOOTHING_S)
        old_density, old_speed = self.reading
        if speed is not None and old_speed is not None:
            speed = old_speed + k * (speed - old_speed)
        self.reading = (old_density + k * (density - old_density), speed)

    def _watch_progress(self, dt: float) -> None:
        """A room where nobody has left for STALL_RESTART_S (people stuck for good, whatever the
        cause) starts again by itself: a kiosk never stays frozen in a dead state."""
        model = self.model
        if model.period is not None or not model.ready or model.count == 0:
            return
        if model.count < self._last_count:
            self._edited()
            return
        self.stalled_s += dt
        if self.stalled_s > STALL_RESTART_S:
            self.attempt.note(model.time, "restart", reason="nobody_left", seconds=round(self.stalled_s, 1))
            self.restart()
            self.self_started = True
            self.caption = Caption(STALLED)

    @property
    def charts_speed(self) -> bool:
        """A corridor where everybody walks the same way charts the speed in its frame (a two-way
        corridor charts its lanes, a room the people still inside)."""
        return self.model.period is not None and len(self.scenario.destinations) == 1

    def _chart_value(self) -> float | None:
        if self.model.period is None:
            return float(self.model.count)
        if self.charts_speed:
            return None if self.reading is None else self.reading[1]
        return self._lane_order()

    def _lane_order(self) -> float | None:
        m = self.model
        if m is None or m.period is None or m.count < 2 or len(self.scenario.destinations) < 2:
            return None
        return lane_order(m.pos, np.where(m.group == 0, 1, -1))

    # -- every visitor -------------------------------------------------------------------------
    def describe(self) -> str:
        return describe(self)

    def busy(self) -> bool:
        """People still leaving a room: a visitor may watch it to the end without touching anything."""
        m = self.model
        return m is not None and m.period is None and m.count > 0 and self.attempt is not None \
            and self.attempt.finished_at is None and not self.self_started

    def _toggle_wall_tool(self) -> None:
        prompt = self.wall_tool.toggle()
        self.wall_button.selected = self.wall_tool.armed
        if prompt and self.ctx.access is not None:
            self.ctx.access.say(self.ctx._(prompt))

    def _hurry_changed(self) -> None:
        """The slider moved by keys (a step) or released by a finger."""
        self.self_started = False
        speed = hurry_to_speed(self.hurry.value)
        if abs(speed - (self.model.desired_speed or 0)) > 0.05:
            self.attempt.note(self.model.time, "hurry", value=self.hurry.value)
        self.model.desired_speed = speed

    # -- input -------------------------------------------------------------------------------
    def handle_event(self, ev: InputEvent) -> bool:
        if not ev.is_pointer:
            return False
        self.self_started = False       # a visitor is here: the room they see is theirs to watch
        if self.hurry.handle_event(ev):
            speed = hurry_to_speed(self.hurry.value)
            if ev.kind == UP and abs(speed - (self.model.desired_speed or 0)) > 0.05:
                self.attempt.note(self.model.time, "hurry", value=self.hurry.value)
            self.model.desired_speed = speed
            return True
        if self.gestures.owns(ev) or (ev.kind == DOWN and self.view.inside(ev.pos)):
            return self._room_event(ev)
        return any(b.handle_event(ev) for b in self.buttons)

    def _room_event(self, ev: InputEvent) -> bool:
        metres = self.view.to_m(ev.pos)
        if ev.kind == DOWN:
            self.gestures.down(ev, metres)
        elif ev.kind == MOVE:
            self.gestures.move(ev, metres)
        elif ev.kind == UP:
            g = self.gestures.up(ev)
            if g is not None:
                if g.dragging:
                    self._draw_wall(g.start_m, metres)
                elif self.wall_tool.armed:
                    wall = self.wall_tool.tap(g.start_m)
                    if wall is not None:
                        self._draw_wall(*wall)
                    elif self.ctx.access is not None:
                        self.ctx.access.say(self.ctx._(WALL_SECOND))
                    self.wall_button.selected = self.wall_tool.armed
                else:
                    self._tap(g.start_m)
        return True

    def _toggle_heat(self) -> None:
        self.view.show_heat = not self.view.show_heat

    def _extra(self) -> None:
        adjustable = self.scenario.station.get("adjustable")
        toggle = self.scenario.station.get("toggle")
        if adjustable:
            values = [float(v) for v in self.scenario.station.get("adjustable_values", [])]
            current = self.parameters.get(adjustable, values[0])
            nxt = values[(min(range(len(values)), key=lambda k: abs(values[k] - current)) + 1) % len(values)]
            self.attempt.note(self.model.time, "set", **{adjustable: nxt})
            self.load(self.scenario.id, parameters={adjustable: nxt}, hurry=self.hurry.value)
        elif toggle:
            now = self.parameters.get(toggle, 1.0)
            self.attempt.note(self.model.time, "set", **{toggle: 0.0 if now else 1.0})
            self.load(self.scenario.id, parameters={toggle: 0.0 if now else 1.0}, hurry=self.hurry.value)

    # -- content validation (kiosk check-config) ----------------------------------------------
    @classmethod
    def check_content(cls, section: Mapping[str, Any], key_path: str) -> list:
        from kiosk.config import ConfigProblem

        from .scenario import CONTENT_DIR, ScenarioError

        problems = []
        names = section.get("scenarios", cls.config_defaults["scenarios"])
        if len(names) > MAX_SCENARIOS:
            problems.append(ConfigProblem("config", f"{key_path}.scenarios", f"{len(names)} scenarios",
                                          f"at most {MAX_SCENARIOS} (the room buttons beside the crowd)"))
        for k, name in enumerate(names):
            try:
                load_scenario(str(name)).build(agents=0)
            except ScenarioError as exc:
                problems.append(ConfigProblem(str(CONTENT_DIR / f"{name}.toml"), f"{key_path}.scenarios[{k}]",
                                              str(exc)[:200], "a valid crowd scenario (stations/crowd/README.md)"))
        start = section.get("start_scenario", cls.config_defaults["start_scenario"])
        if start not in names:
            problems.append(ConfigProblem("config", f"{key_path}.start_scenario", repr(start),
                                          "one of " + ", ".join(map(str, names))))
        return problems

    # -- drawing -----------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        from .drawing import draw_station
        start = time.perf_counter()
        draw_station(self, surface)
        self._draw_s = time.perf_counter() - start

"""Station « Trafic »: brake a car, watch the jam travel backwards; glue between model, view and log."""
from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Mapping

import numpy as np
import pygame

from kiosk.access.reach import Reach
from kiosk.chrome import chrome_row
from kiosk.groups.panel import panel_rect
from kiosk.input import DOWN, KEYS_POINTER, UP
from kiosk.station import ChallengeSource, Station, StationContext
from kiosk.ui import THEME, Button

from .cellular import CellularRing, fundamental_curve
from .challenge import RampChallenge, reference_travel_time
from .charts import FundamentalDiagram, SpaceTimeDiagram
from .detectors import wave_speed_kmh
from .idm import CALM, fundamental_diagram
from .nasch import CELL_M
from .preview import TrafficPreview
from .layout import Layout
from .scenario import ScenarioError, load_all
from .presets import TIME_LAPSES, GroupPresets
from .readout import readout_lines
from .screen import TrafficScreen, dice_icon
from .view import RoadView
from .visit import ScenarioVisit

DETECTOR_INTERVAL_S = 10.0
FILL_BUDGET_S = 0.004        # wall time per frame given to an open road's warm-up: the frame loop never stalls


def _(text: str) -> str:      # marks strings for extraction; translated at draw time
    return text


class TrafficStation(TrafficScreen, GroupPresets, Station, ChallengeSource):
    id = "traffic"
    title = "Trafic"
    teaser = "Freinez une voiture et regardez le bouchon remonter la file."
    icon = "car"
    config_defaults = {"start_scenario": "sugiyama", "challenge_s": 180.0}
    # simulated seconds, shown three times faster: from 20 s to 5 min of a visitor's time
    config_ranges = {"challenge_s": (60, 900)}
    metrics = {
        "stopped_vehicles": "Voitures à l’arrêt",
        "mean_speed_kmh": "Vitesse moyenne (km/h)",
        "speed_std_kmh": "Écart entre les vitesses (km/h)",
        "total_travel_time_s": "Temps de trajet total de toutes les voitures (s)",
        "wave_speed_kmh": "Vitesse de la vague de bouchon (km/h, négative quand elle recule)",
    }

    def __init__(self, ctx: StationContext):
        super().__init__(ctx)
        # A reproducible run gives the same frames every time: an open road's warm-up in one frame.
        self.fill_budget_s = math.inf if ctx.reproducible else FILL_BUDGET_S
        self.scenarios = {s.id: s for s in load_all()}
        reach = Reach.of(ctx.kiosk)
        self.layout = Layout(ctx.canvas_size, chrome_row(ctx.canvas_size, reach), reach.band()[1],
                             panel_rect(ctx.canvas_size, reach))
        self.space_time = SpaceTimeDiagram(self.layout.space_time)
        self.fd = FundamentalDiagram(self.layout.fundamental)
        self.seed = int(ctx.rng.integers(0, 2**31 - 1))
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="traffic-ref")
        self._curve_cache: dict[Any, tuple[np.ndarray, np.ndarray]] = {}
        self._curve_jobs: dict[Any, Any] = {}
        self.scenario_buttons = [Button(rect, on_press=lambda sid=sid: self.load_scenario(sid))
                                 for rect, sid in zip(self.layout.scenario_buttons(len(self.scenarios)), self.scenarios)]
        icons = ctx.assets
        size = 44
        self.controls = {
            "fewer": Button(pygame.Rect(0, 0, 1, 1), on_press=lambda: self.change_density(-1), icon=icons.icon("minus", size)),
            "more": Button(pygame.Rect(0, 0, 1, 1), on_press=lambda: self.change_density(+1), icon=icons.icon("plus", size)),
            "lapse": Button(pygame.Rect(0, 0, 1, 1), on_press=self.next_time_lapse, icon=icons.icon("player-skip-forward", size)),
            "drivers": Button(pygame.Rect(0, 0, 1, 1), on_press=self.toggle_drivers, icon=icons.icon("mood-nervous", size)),
            "smart": Button(pygame.Rect(0, 0, 1, 1), on_press=self.toggle_smart, icon=icons.icon("steering-wheel", size)),
            "light": Button(pygame.Rect(0, 0, 1, 1), on_press=self.cycle_light, icon=icons.icon("traffic-lights", size)),
            "challenge": Button(pygame.Rect(0, 0, 1, 1), on_press=self.start_challenge, icon=icons.icon("trophy", size),
                                color=THEME.accent, text_color=THEME.on_accent),
            "random": Button(pygame.Rect(0, 0, 1, 1), on_press=self.toggle_dawdling, icon=dice_icon(size)),
        }
        self.reset()

    # -- lifecycle ---------------------------------------------------------------------------
    def reset(self) -> None:
        self.frames = 0
        self.time_lapse = TIME_LAPSES[0]
        self.calm_drivers = False
        self.challenge: RampChallenge | None = None
        self.last_result: dict[str, Any] | None = None
        self.preset_seconds: float | None = None
        start = str(self.ctx.config.get("start_scenario", "sugiyama"))
        self.load_scenario(start if start in self.scenarios else next(iter(self.scenarios)))

    def exit(self) -> None:
        self._leave_scenario("exit")
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="traffic-ref")
        self._curve_jobs.clear()

    def load_scenario(self, sid: str, *, params: str | None = None, vehicles: int | None = None) -> None:
        self._leave_scenario("scenario")
        self.scenario = self.scenarios[sid]
        self.visit = ScenarioVisit(sid)
        name = params if params is not None else ("calm" if self.calm_drivers else None)
        self.model = self.scenario.build(seed=self.seed, params=name, vehicles=vehicles,
                                         detector_interval_s=DETECTOR_INTERVAL_S)
        # Open roads start empty and are filled before the visitor plays: the warm-up runs a few sub-steps
        # per frame (see _fill) while the road fills on screen, instead of ~0.2-0.8 s in one frame.
        warmup = float(self.scenario.section("station").get("warmup_s", 0.0))
        self._fill_steps = max(0, math.ceil(warmup / self.model.max_dt - 1e-9))
        self._fill_total = self._fill_steps
        self._fill_h = warmup / self._fill_steps if self._fill_steps else 0.0
        self.cellular = isinstance(self.model, CellularRing)     # « Le modèle le plus simple »
        if self.cellular:       # the ring on the right, its four rules on the left (screen.py)
            ring_rect, self.rules_rect = self.layout.split_road()
            self.road_view = RoadView(self.model.road, ring_rect, cell_m=CELL_M)
        else:
            self.rules_rect = None
            self.road_view = RoadView(self.model.road, self.layout.road)
        self.space_time = SpaceTimeDiagram(self.layout.space_time)
        self.top_kmh = float(self.scenario.section("station").get("speed_scale_kmh", 120))
        self.highlight_until: dict[int, float] = {}
        self.tapped_once = False
        self.summary_until = self.frames + 8 * 60      # the scenario's one-line story, for 8 s
        self.wave: float | None = None
        self._next_readout = 0.0
        self.challenge = None
        self.light_mode = "auto" if self.model.ramp_metering else "off"
        self._arrange_controls()

    def _leave_scenario(self, left_by: str) -> None:
        """The visitor leaves this scenario (another one, or the station): record what they did, if anything."""
        visit = getattr(self, "visit", None)
        if visit is None or not visit.interacted:
            return
        m, ch = self.model, self.challenge
        challenge = None if ch is None else {"finished": False, "played_s": round(ch.elapsed(m), 1),
                                             "light_switches": ch.switches}
        result = {"vehicles": int(m.x.size), "mean_speed_kmh": round(m.mean_speed_kmh(), 1),
                  "stopped_vehicles": m.stopped_count(),
                  "wave_speed_kmh": None if self.wave is None else round(self.wave, 1)}
        self.ctx.recorder.record("traffic.attempt", visit.payload(
            left_by=left_by, result=result, challenge=challenge, group=self.preset_seconds is not None), station=self.id)
        self.visit = ScenarioVisit(visit.scenario)        # recorded once

    @property
    def preparing(self) -> bool:
        """True while an open road is still filling (its warm-up); only scenario buttons respond."""
        return self._fill_steps > 0

    def fill_fraction(self) -> float:
        return 1.0 - self._fill_steps / self._fill_total if self._fill_total else 1.0

    def _fill(self) -> None:
        """Some of the warm-up, for at most FILL_BUDGET_S of this frame (at least one sub-step). The
        sub-steps are those one long model.step(warmup) would take, so the road is the same."""
        m = self.model
        start = time.perf_counter()
        while self._fill_steps > 0:
            m.step(self._fill_h)
            self._fill_steps -= 1
            if time.perf_counter() - start >= self.fill_budget_s:
                break
        if self._fill_steps == 0:
            self.summary_until = self.frames + 8 * 60
            self._arrange_controls()
            if self.challenge is not None:
                self.challenge.begin(m)

    def _arrange_controls(self) -> None:
        road = self.model.road
        shown = ["fewer", "more", "lapse", "random" if self.cellular else "drivers"]
        if road.ring and not self.cellular:
            shown.append("smart")
        if road.ramp:
            shown.append("light")
            if self.scenario.section("station").get("challenge", False):
                shown.append("challenge")
        self.shown_controls = shown
        for key in shown:
            self.controls[key].enabled = not self.preparing      # greyed while the road fills
        self._arranged_rtl = rtl = self.ctx.i18n.rtl
        for key, rect in zip(shown, self.layout.control_buttons(len(shown), rtl)):
            self.controls[key].rect = pygame.Rect(rect)
        for button, sid, rect in zip(self.scenario_buttons, self.scenarios,
                                     self.layout.scenario_buttons(len(self.scenarios), rtl)):
            button.selected = sid == self.scenario.id
            button.rect = pygame.Rect(rect)

    # -- visitor actions ---------------------------------------------------------------------
    def change_density(self, direction: int) -> None:
        m = self.model
        if m.road.ring:
            station = self.scenario.section("station")
            lo, hi = float(station.get("density_min", 10)), float(station.get("density_max", 100))
            step = float(station.get("density_step", 5.0 if m.road.length >= 500 else 10.0))
            before = m.density_veh_km_lane()
            target = float(np.clip(before + direction * step, lo, hi))
            m.set_vehicle_count(int(round(target * m.road.length / 1000 * m.road.lanes)))
            self.visit.note("density_veh_km_lane", round(m.density_veh_km_lane(), 1), before=round(before, 1))
        else:
            before = m.inflow_scale
            m.inflow_scale = float(np.clip(m.inflow_scale + 0.1 * direction, 0.3, 1.5))
            m.ramp_inflow_scale = m.inflow_scale
            self.visit.note("demand", round(m.inflow_scale, 2), before=round(before, 2))

    def next_time_lapse(self) -> None:
        self.time_lapse = TIME_LAPSES[(TIME_LAPSES.index(self.time_lapse) + 1) % len(TIME_LAPSES)]
        self.visit.note("time_lapse", self.time_lapse)

    def toggle_drivers(self) -> None:
        self.calm_drivers = not self.calm_drivers
        base = self.scenario.params("calm" if self.calm_drivers else None)
        self.model.set_params(base)
        self.controls["drivers"].icon = self.ctx.assets.icon("mood-smile" if self.calm_drivers else "mood-nervous", 44)
        self.visit.note("drivers", "calm" if self.calm_drivers else "nervous")

    def toggle_smart(self) -> None:
        self.model.set_smart_car(not self.model.smart.any())
        self.visit.note("calm_car", bool(self.model.smart.any()))

    def toggle_dawdling(self) -> None:
        """The automaton's rule 3 (slow down at random) off, or back to the scenario's probability."""
        m = self.model
        if not self.cellular:
            return
        scenario_p = float(self.scenario.section("nasch").get("p", 0.25))
        m.set_dawdling(0.0 if m.p > 0 else (scenario_p if scenario_p > 0 else 0.25))
        self.visit.note("dawdling", m.p)

    def model_curve(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(density veh/km, flow veh/h) of the model's fundamental diagram; None while the automaton's
        (a simulation of a few tenths of a second) is computed on the worker thread."""
        m = self.model
        key = m.params
        if key in self._curve_cache:
            return self._curve_cache[key]
        if not self.cellular:
            d, q, _v = fundamental_diagram(m.params)
            self._curve_cache[key] = (d, q)
            return self._curve_cache[key]
        job = self._curve_jobs.get(key)
        if job is None:
            self._curve_jobs[key] = self._executor.submit(fundamental_curve, m.p, m.ca.vmax)
        elif job.done():
            del self._curve_jobs[key]
            if not job.cancelled() and job.exception() is None:
                self._curve_cache[key] = job.result()
        return self._curve_cache.get(key)

    def cycle_light(self) -> None:
        """Off (always green) -> automatic metering (one car at a time) -> off."""
        if self.challenge is not None:
            self.toggle_light()
            return
        self.light_mode = "auto" if self.light_mode == "off" else "off"
        self.model.ramp_metering = self.light_mode == "auto"
        if not self.model.ramp_metering:
            self.model.ramp_light_green = True
        self.visit.note("ramp_light", self.light_mode)

    def toggle_light(self) -> None:
        m = self.model
        m.ramp_metering = False
        m.ramp_light_green = not m.ramp_light_green
        if self.challenge is not None:
            self.challenge.switches += 1

    def tap_car(self, index: int) -> None:
        m = self.model
        vid = int(m.vid[index])
        self.tapped_once = True
        if m.tap(vid):
            self.highlight_until[vid] = m.t + 12.0
            self.visit.taps += 1
            if self.ctx.access is not None:
                self.ctx.access.play("brake")
            self.ctx.recorder.record("traffic.tap", {
                "scenario": self.scenario.id, "vehicles": int(m.x.size),
                "density_veh_km_lane": round(m.density_veh_km_lane(), 1),
                "drivers": "calm" if self.calm_drivers else "nervous", "smart_car": bool(m.smart.any()),
                "model": self.scenario.model_kind,
            }, station=self.id)

    def start_challenge(self) -> None:
        self.load_scenario("onramp")
        seconds = float(self.ctx.config.get("challenge_s", 180.0))
        self.challenge = RampChallenge(seconds=seconds)      # begins once the road has filled (_fill)
        if not self.preparing:
            self.challenge.begin(self.model)
        self.challenge.reference = self._executor.submit(reference_travel_time, self.scenario, self.seed, seconds)
        self.model.ramp_metering = False
        self.model.ramp_light_green = True
        self.time_lapse = 3
        self.last_result = None
        self.visit.note("challenge", "started")

    def _finish_challenge(self) -> None:
        ch = self.challenge
        ref = None
        if ch.reference is not None and ch.reference.done() and not ch.reference.cancelled():
            ref = ch.reference.result() if ch.reference.exception() is None else None
        score = ch.score(self.model)
        self.last_result = {"score_s": score, "reference_s": ref}
        self.ctx.recorder.record("traffic.attempt", {
            "scenario": self.scenario.id, "mode": "ramp_challenge", "total_travel_time_s": round(score, 1),
            "reference_s": None if ref is None else round(ref, 1), "light_switches": ch.switches,
            "seconds": ch.seconds,
        }, station=self.id)
        self.challenge = None
        self.time_lapse = 1
        self.visit = ScenarioVisit(self.scenario.id)      # the challenge is recorded; free play starts afresh

    def attract_preview(self) -> TrafficPreview:
        return TrafficPreview(seed=int(self.ctx.rng.integers(0, 2**31)))

    # -- frame -------------------------------------------------------------------------------
    def handle_event(self, ev) -> bool:
        for button in self.scenario_buttons:
            if button.handle_event(ev):
                return True
        if self.preparing:           # the road is filling: only the scenario buttons respond
            return ev.is_pointer and self.layout.road.collidepoint(ev.pos)
        for key in self.shown_controls:
            if self.controls[key].handle_event(ev):
                return True
        if ev.kind == DOWN and self.layout.road.collidepoint(ev.pos):
            if self.model.road.ramp and self.road_view.light_hit(ev.pos):
                self.toggle_light() if self.challenge is not None else self.cycle_light()
                return True
            m = self.model
            # a key aims with a cursor, not a finger: it brakes the car nearest the cursor, however far
            reach = 1e9 if ev.pointer == KEYS_POINTER else 45.0
            k = self.road_view.hit(ev.pos, m.positions(), m.lane, m.length, radius=reach)
            if k is not None:
                self.tap_car(k)
            return True
        return ev.kind == UP and self.layout.road.collidepoint(ev.pos)

    def update(self, dt: float) -> None:
        self.frames += 1
        self.visit.seconds += dt
        if self.ctx.i18n.rtl != self._arranged_rtl:      # the visitor picked Arabic, or left it
            self._arrange_controls()
        m = self.model
        if self.preparing:
            self._fill()
            return
        m.step(min(dt, 0.1) * self.time_lapse)
        if m.t >= self._next_readout:
            self._next_readout = m.t + 2.0
            field = m.field.array(60.0)
            had_wave = self.wave is not None and -40 < self.wave < -5
            self.wave = wave_speed_kmh(field, m.field.dx, m.field.sample_s, m.road.ring) if m.stopped_count() else None
            if not had_wave and self.wave is not None and -40 < self.wave < -5:
                self._wave_found()
        if self.challenge is not None and self.challenge.elapsed(m) >= self.challenge.seconds:
            self._finish_challenge()
        self.highlight_until = {v: t for v, t in self.highlight_until.items() if t > m.t}

    # -- every visitor -------------------------------------------------------------------------
    def describe(self) -> str:
        _t = self.ctx._
        head, figures = readout_lines(self, _t)
        return f"{_t(self.title)}. {_t(self.scenario.title)}. {head} {figures}."

    def busy(self) -> bool:
        """A ramp challenge runs for minutes by itself: watching it is using the station."""
        return self.challenge is not None or self.preparing

    def _wave_found(self) -> None:
        """The jam's wave is measured travelling backwards: heard as a swell, said to a listener."""
        if self.ctx.access is not None:
            self.ctx.access.play("wave")
            self.ctx.access.announce(self.ctx._("Cet embouteillage recule à {c} km/h, à contre-sens des voitures !")
                                     .replace("{c}", f"{-self.wave:.0f}"))

    # -- content validation ------------------------------------------------------------------
    @classmethod
    def check_content(cls, section: Mapping[str, Any], key_path: str) -> list:
        from kiosk.config import ConfigProblem
        try:
            found = load_all()
        except ScenarioError as exc:
            return [ConfigProblem("config/content/traffic", "(scenario)", str(exc), "valid traffic scenarios")]
        ids = {s.id for s in found}
        start = section.get("start_scenario", "sugiyama")
        if start not in ids:
            return [ConfigProblem("config", f"{key_path}.start_scenario", repr(start), "one of " + ", ".join(sorted(ids)))]
        return []


# Strings only built dynamically above, listed for the translation catalogue.
_EXTRA = (_("Anneau de Sugiyama"), _("Périphérique"), _("Bretelle"), _("Travaux"), _("La voiture calme"), CALM)

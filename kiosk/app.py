"""The App: the window, the frame loop, signals, start-up and shutdown (docs/architecture.md, "The frame loop").

It builds the runtime's parts and hands each the few collaborators it needs (kiosk/context.py); what
is on screen is the Navigator's business (kiosk/navigation.py). Only the entry point holds the App."""
from __future__ import annotations

import logging
import math
import signal
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pygame

from eventlog.wire import db_path
from hardware.fake import FakeRig
from hardware.service import SensorService, parse_sensor_config
from kiosk import __version__
from kiosk.access.controls import ON_SCREEN
from kiosk.access.service import Access
from kiosk.assets import Assets
from kiosk.chrome import Chrome
from kiosk.config import KioskConfig
from kiosk.context import RuntimeContext
from kiosk.display_power import PowerControl, ScreenPower
from kiosk.display_power import detect as detect_power
from kiosk.errors import StationErrors
from kiosk.frames import FramePacer, frame_rate_of, invalidated
from kiosk.groups.manager import GroupManager
from kiosk.groups.panel import GroupOverlay
from kiosk.health import HealthMonitor
from kiosk.headless import ScriptedInput, post_scripted
from kiosk.hours import OpeningHours
from kiosk.i18n import Translator
from kiosk.idle import IdleWatcher
from kiosk.input import DOWN, KEY, KEYS_POINTER, SENSOR, UP, InputEvent
from kiosk.navigation import Navigator
from kiosk.pin import PinGuard
from kiosk.registry import station_classes
from kiosk.screens.names import ScreenName
from kiosk.session import VisitorSession
from kiosk.station_set import StationContexts, StationSet
from kiosk.store.reader import StoreReader
from kiosk.storage import StorageWatch, storage_status
from kiosk.store.recorder import Recorder
from kiosk.supervision import Notifier
from kiosk.sync.uploader import uploader_from_config
from kiosk.window import Window

log = logging.getLogger(__name__)
FPS = 60
HEADLESS_MAX_FPS = 240
# A headless run without --seed draws its stations' seeds from this one: the same command, the same PNG.
HEADLESS_SEED = 0
IDLE_WAKE_S = 0.25          # a still screen's loop wakes this often at least (sensors, idle rule, signals)
SCREEN_OFF_WAKE_S = 1.0     # ... and this often with the screen off (the opening time, signals)
INPUT_LOOK_S = 1 / FPS      # a still screen answers a touch within a frame
SCREEN_OFF_INPUT_LOOK_S = 0.25   # a touch on a dark screen wakes it within a quarter of a second
SCREEN_OFF_AFTER_S = 30.0   # the closed screen shows this long after closing or a touch, then sleeps


class VirtualClock:
    """Headless runs advance exactly one frame per loop: scripts and screenshots are reproducible."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


class App:
    def __init__(self, config: KioskConfig, *, headless: bool = False, windowed: bool = False,
                 start_station: str | None = None, fake_sensors: bool = False,
                 now: Callable[[], datetime] | None = None, classes: dict[str, type] | None = None,
                 seed: int | None = None, reproducible: bool | None = None, full_redraw: bool = False,
                 notifier: Notifier | None = None):
        """`reproducible` (default: headless) makes the same run give the same frames: seeded (HEADLESS_SEED
        unless `seed`), stations told to work in the frame, the store reader in step with the recorder.
        Benchmarks turn it off to measure what a live kiosk does. `full_redraw` draws and presents every
        frame at 60 fps whatever changes (kiosk/frames.py): a diagnostic, and the display benchmark's baseline.
        `notifier` speaks to systemd (READY, the watchdog's pings from the frame loop, STOPPING); the entry
        point builds it from the environment."""
        self.config = config
        self.headless = headless
        self.windowed = windowed or headless
        self.canvas_size = config.canvas_size
        self.virtual = VirtualClock() if headless else None
        self.clock: Callable[[], float] = self.virtual or time.monotonic
        now = now or (lambda: datetime.now(config.tz))
        self.running = False
        self.exit_code = 0
        self.stop_reason = ""        # why the loop ended; recorded as kiosk.stop on a clean exit
        self._stop_signal = ""       # set by a SIGTERM/SIGINT handler, acted on at the next frame
        self._old_handlers: dict[int, Any] = {}
        self.headless_fps_cap = HEADLESS_MAX_FPS  # 0: as fast as possible (tests)
        self._fake_sensors = fake_sensors
        self.sensors: SensorService | None = None
        self.fake_rig: FakeRig | None = None
        self.uploader = None
        # systemd's watchdog runs on real time, even in a headless run on the virtual clock
        self.notifier = notifier or Notifier(clock=time.monotonic)
        self.health: HealthMonitor | None = None

        config.data_dir.mkdir(parents=True, exist_ok=True)
        self.recorder = Recorder(config.data_dir, config.kiosk_id)
        # free space looked at off the frame loop; a headless run (tests, screenshots) keeps no ballast
        self.storage = StorageWatch(config.data_dir, ballast=None if headless else self.recorder.ballast)
        reproducible = headless if reproducible is None else reproducible
        self.reader = StoreReader(config.data_dir, in_step_with=self.recorder if reproducible else None)
        i18n = Translator(list(config.languages), default=config.languages[0])
        assets = Assets(config.font, locale=i18n)
        visit = VisitorSession(self.recorder, clock=self.clock)
        self.errors = StationErrors(self.recorder.record, clock=self.clock)
        self.access = Access(config, now=now, i18n=i18n, cache_dir=config.data_dir / "speech", live=not reproducible)
        self.contexts = StationContexts(
            config=config, assets=assets, i18n=i18n, recorder=self.recorder, reader=self.reader,
            rng=np.random.default_rng(HEADLESS_SEED if seed is None and reproducible else seed),
            clock=self.clock, now=now, visit=visit, reproducible=reproducible, access=self.access)
        classes = station_classes() if classes is None else classes
        self.stations = StationSet(classes, config, self.errors, self.contexts)
        idle = IdleWatcher(config.idle_timeout_s, config.idle_warning_s, clock=self.clock)
        self.nav = Navigator(visit=visit, idle=idle, start_station=start_station)
        self.ctx = RuntimeContext(
            config=config, assets=assets, i18n=i18n, recorder=self.recorder, reader=self.reader, clock=self.clock,
            now=now, stations=self.stations, errors=self.errors, hours=OpeningHours(config, i18n, now),
            pin_guard=PinGuard(config.pin_hash, max_attempts=config.pin_max_attempts,
                               lockout_s=config.pin_lockout_s, clock=self.clock),
            nav=self.nav, access=self.access, storage=self.storage)
        self.groups = GroupManager(self.ctx)
        self.contexts.groups = self.groups
        self.nav.attach(self.ctx, self.groups)
        self.chrome: Chrome | None = None
        self.pacer = FramePacer(full_redraw=full_redraw)
        self._chrome_picture: tuple = ()
        self.power_control: PowerControl | None = None   # how to switch the screen; run() detects it if None
        self.power = ScreenPower(PowerControl("none"))
        self._shown: tuple[str, int] = ("", -1)       # the screen last described (name, its switch count)
        self._visit_seen: str | None = None

    # -- start-up ------------------------------------------------------------------------------
    def start(self) -> None:
        """Build the stations and the chrome, show the first screen (pygame is initialised)."""
        self.access.open(press=self._press_at, back=self._back)
        self.stations.build()
        self.chrome = Chrome(self.ctx, self.groups, GroupOverlay(self.groups))
        self.nav.enter_initial_screen()

    def _start_sensors(self) -> None:
        section = dict(self.config.sensors)
        if not section.get("devices") and not self._fake_sensors:
            return
        try:
            if self._fake_sensors:
                self.fake_rig = FakeRig.start(kinds=("footfall", "sds011", "mhz19"))
                section = self.fake_rig.config_section()
            self.sensors = SensorService(devices=parse_sensor_config(section), record=self.recorder.record,
                                         clock=time.time, db_path=db_path(self.config.data_dir), tz=self.config.tz)
            self.sensors.start()
            self.contexts.sensors = self.sensors
        except Exception as exc:  # sensors are a bonus: the kiosk serves visitors without them
            self.errors.report("sensors", exc)

    def _start_uploader(self) -> None:
        if self.headless:
            return
        try:
            self.uploader = uploader_from_config(self.config)
            if self.uploader is not None:  # None: no hub configured, USB export only
                self.uploader.start()
        except Exception as exc:  # no upload today; the log keeps everything for later
            self.uploader = None
            self.errors.report("uploader", exc)

    def _start_health(self) -> None:
        """The kiosk.health reports of a live kiosk (a headless run's clock is virtual: none)."""
        if self.headless:
            return
        try:
            self.health = HealthMonitor(
                record=self.recorder.record, config=self.config, version=__version__, is_open=self.ctx.hours.is_open,
                sensors=lambda: self.sensors.snapshot() if self.sensors is not None else None,
                storage=lambda: storage_status(self.storage, self.recorder)).start()
        except Exception as exc:  # a report about the kiosk, never a reason for it not to serve
            self.health = None
            self.errors.report("health", exc)

    # -- signals ----------------------------------------------------------------------------------
    def _catch_signals(self) -> None:
        """SIGTERM (systemctl stop, a nightly shutdown) and SIGINT stop the kiosk cleanly.

        Installed before pygame.init(): SDL only takes a signal whose handler is still the default, so
        it no longer turns SIGTERM into a QUIT event (which fullscreen must ignore: that is Alt+F4)."""
        if threading.current_thread() is not threading.main_thread():
            return  # tests may run an App off the main thread; signals are the main thread's
        for sig in (signal.SIGTERM, signal.SIGINT):
            self._old_handlers[sig] = signal.signal(sig, self._on_signal)

    def _on_signal(self, signum: int, _frame) -> None:
        self._stop_signal = signal.Signals(signum).name  # only a flag: the frame loop stops at its next turn

    def _restore_signals(self) -> None:
        for sig, old in self._old_handlers.items():
            signal.signal(sig, old if old is not None else signal.SIG_DFL)
        self._old_handlers = {}

    # -- the frame loop ----------------------------------------------------------------------------
    def run(self, *, frames: int | None = None, script: list[ScriptedInput] | None = None,
            screenshot: Path | None = None) -> int:
        self._catch_signals()
        pygame.init()
        window = Window(self.canvas_size, headless=self.headless, windowed=self.windowed)
        canvas = pygame.Surface(self.canvas_size)
        control = self.power_control or (PowerControl("none") if self.headless else detect_power())
        self.power = ScreenPower(control)
        self.recorder.record("kiosk.start", {"version": __version__})
        self._start_sensors()
        self._start_uploader()
        self.storage.start()
        self.notifier.alive()              # building the stations takes seconds on a small machine
        self._start_health()
        self.start()
        pending = list(script or [])
        clock = pygame.time.Clock()
        frame = 0
        self.running = True
        clean = False
        try:
            while self.running and (frames is None or frame < frames):
                if self._stop_signal or self.nav.stop_reason:
                    self.quit(self._stop_signal or self.nav.stop_reason)
                    break
                if self.virtual is not None:
                    dt = 1 / FPS
                    frame_index = round(self.virtual.t * FPS) + 1
                    self.virtual.t = frame_index / FPS   # whole frames: no drift in the pacer's slots
                    clock.tick(self.headless_fps_cap)  # leave worker threads (queries, files) time to answer
                    events = pygame.event.get()
                else:
                    events = self._wait_for_frame(window, clock)
                    dt = min(clock.tick() / 1000, 0.1)
                turn_started = time.perf_counter()
                while pending and pending[0].frame <= frame:
                    step = pending.pop(0)
                    if step.action == "screenshot":
                        self._save(canvas, Path(step.value))
                    else:
                        post_scripted(step, window.letterbox)
                        events += pygame.event.get()
                for raw in events:
                    if raw.type == pygame.QUIT and self.windowed and not self.headless:
                        self.quit("window closed")  # development window only: fullscreen ignores it
                    ev = window.translate(raw)
                    if ev is not None:
                        self.dispatch(ev)
                if self.sensors is not None:
                    for reading in self.sensors.drain():
                        self.dispatch(InputEvent(SENSOR, data=reading), from_visitor=False)
                self.tick(dt)
                was_on = self.power.on
                self.power.want(self._screen_wanted())
                if self.power.on != was_on:
                    # SDL keeps the screen awake by resetting X's screen saver every 30 s, which would wake
                    # a sleeping screen: it stops while the screen sleeps.
                    pygame.display.set_allow_screensaver(not self.power.on)
                if window.take_exposed() or (self.power.on and not was_on):
                    self.pacer.mark()
                changed = self._changed()        # asked every frame: it takes the screen's invalidation
                due = self.pacer.due(self.clock(), self.frame_rate())
                if self.power.on and (due or changed):
                    self.draw(canvas)
                    window.present(canvas)
                    self.notifier.ready()          # once: the first frame is on screen
                    if self.health is not None:     # the frame's working time, handed over (no I/O here)
                        self.health.frames.add(time.perf_counter() - turn_started)
                frame += 1
                self.notifier.alive()              # every turn: a hung loop stops the watchdog's pings
            if self.running:
                self.quit("frames")  # --frames N reached
            if screenshot is not None:
                self._save(canvas, screenshot)
            clean = True
        finally:
            # An exception out of the loop is a crash: no kiosk.stop, the next start counts as unclean.
            self.shutdown(record_stop=clean)
        return self.exit_code

    def _wait_for_frame(self, window: Window, clock: pygame.time.Clock) -> list[pygame.event.Event]:
        """A live kiosk's pause between frames: a full-rate screen ticks at 60 fps; a slower or still one
        sleeps until its next frame is due, looking for input every INPUT_LOOK_S, at most IDLE_WAKE_S so
        that sensors, the idle rule and signals are seen — longer with the screen off (closed hours)."""
        rate = self.frame_rate()
        wait = self.pacer.seconds_to_next(self.clock(), rate) if self.power.on else math.inf
        if wait <= 0 or rate >= FPS:
            clock.tick(FPS)
            return pygame.event.get()
        if not self.power.on:
            return window.wait_for_input(SCREEN_OFF_WAKE_S, SCREEN_OFF_INPUT_LOOK_S)
        return window.wait_for_input(min(wait, IDLE_WAKE_S), INPUT_LOOK_S)

    def frame_rate(self) -> float:
        """Frames a second the picture needs now: the screen's and the chrome's (kiosk/frames.py)."""
        rate = self.chrome.frame_rate() if self.chrome is not None else 0.0
        if self.nav.screen is not None:
            rate = max(rate, frame_rate_of(self.nav.screen))
        return rate

    def _changed(self) -> bool:
        """Did the screen invalidate itself, or the chrome's picture change, since the last frame?"""
        changed = self.nav.screen is not None and invalidated(self.nav.screen)
        picture = self.chrome.picture() if self.chrome is not None else ()
        if picture != self._chrome_picture:
            self._chrome_picture = picture
            changed = True
        return changed

    def _screen_wanted(self) -> bool:
        """The screen sleeps once the closed screen has shown for SCREEN_OFF_AFTER_S without a touch."""
        return not (self.nav.screen_name == ScreenName.CLOSED and self.nav.idle.idle_for() >= SCREEN_OFF_AFTER_S)

    def _save(self, canvas: pygame.Surface, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(canvas, str(path))
        log.info("screenshot written to %s", path)

    def dispatch(self, ev: InputEvent, *, from_visitor: bool = True) -> None:
        self.pacer.mark()          # input and readings may change anything on screen: redraw
        if from_visitor:
            self.nav.idle.poke()
            if ev.kind == KEY:
                self.access.listening = True     # keys and switches are how a visitor who cannot see gets in
        if self.chrome.warning and ev.kind == KEY and from_visitor:
            self.chrome.warning = False      # a key answers "Encore là ?" as a touch does, and does nothing else
            return
        if self.access.focus.handle_event(ev):
            return
        consumed = self.chrome.handle_event(ev)
        if not consumed and self.nav.screen is not None:
            consumed = self.nav.guard_screen("handle_event", ev)
        if consumed and ev.kind == DOWN:
            self.access.play("tap")
        elif not consumed and ev.kind == KEY and self.access.focus.is_select(ev.key):
            self.access.focus.select_unanswered()

    def _press_at(self, pos: tuple[float, float]) -> None:
        """A key pressed the focused control: a finger's down and up at that place."""
        for kind in (DOWN, UP):
            self.dispatch(InputEvent(kind, pos, KEYS_POINTER))

    def _back(self) -> None:
        """Escape or the switch's "back": closes the language menu, else the screen's own step back if it
        has one, else home."""
        if self.chrome.menu.is_open:
            self.chrome.menu.close()
            return
        if callable(getattr(self.nav.screen, "back", None)):
            self.nav.guard_screen("back")
        elif self.nav.screen_name in self.stations:
            self.nav.go_home()

    def tick(self, dt: float) -> None:
        warning = self.nav.tick()
        self._follow_visitor()
        self.chrome.update(dt, warning=warning)
        if self.nav.screen is not None:
            self.nav.guard_screen("update", dt)
        self.access.tick()

    def _follow_visitor(self) -> None:
        """A new visitor starts in silence with the venue's settings; a new screen gets its focus reset
        and, for a visitor who listens, is described at once."""
        if self.nav.visit.session_id != self._visit_seen:
            if self._visit_seen is not None:
                self.access.new_visit()
            self._visit_seen = self.nav.visit.session_id
        shown = (self.nav.screen_name, self.nav.switches)
        if shown != self._shown:
            self._shown = shown
            self.access.focus.reset()
            ON_SCREEN.clear()
            if self.access.listening:
                self.chrome.describe_screen(pressed=False)

    def draw(self, canvas: pygame.Surface) -> None:
        ON_SCREEN.begin_frame()
        if self.nav.screen is not None:
            self.nav.guard_screen("draw", canvas)
        self.chrome.draw(canvas)
        ON_SCREEN.end_frame()
        self.access.focus.draw(canvas)

    def quit(self, reason: str) -> None:
        """Stop after this frame; shutdown() records kiosk.stop with the reason."""
        self.stop_reason = self.stop_reason or reason
        self.running = False

    def shutdown(self, record_stop: bool = True) -> None:
        """End the visit, stop sensor and upload threads, record kiosk.stop, flush the log, close pygame."""
        if record_stop:
            self.notifier.stopping(self.stop_reason or "shutdown")
        if self.nav.visit.active:
            self.nav.visit.end("shutdown")
        for name, part in (("sensors", self.sensors), ("fake sensors", self.fake_rig)):
            if part is not None:
                try:
                    part.stop()
                except Exception:
                    log.exception("stopping %s failed", name)
        self.power.close()
        self.storage.stop()
        if self.health is not None:
            self.health.close()
        if self.uploader is not None:
            try:
                self.uploader.close()
            except Exception:
                log.exception("stopping the uploader failed")
        if record_stop:
            self.recorder.record("kiosk.stop", {"reason": self.stop_reason or "shutdown"})
        if not self.recorder.flush():
            log.error("the event log could not be flushed before stopping")
        self.reader.close()
        self.access.close()
        self.recorder.close()      # the log's last connection: it checkpoints the WAL away
        pygame.quit()
        self.notifier.close()
        self._restore_signals()
        log.info("kiosk stopped (%s)", (self.stop_reason or "shutdown") if record_stop else "after an error")

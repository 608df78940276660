"""The App: the window, the frame loop, signals, start-up and shutdown (docs/architecture.md, "The frame loop").

It builds the runtime's parts and hands each the few collaborators it needs (kiosk/context.py); what
is on screen is the Navigator's business (kiosk/navigation.py), what runs on threads beside the loop
the Services' (kiosk/services.py). Only the entry point holds the App."""
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

from kiosk.access.controls import ON_SCREEN
from kiosk.assets import Assets
from kiosk.chrome import Chrome
from kiosk.config import KioskConfig
from kiosk.context import RuntimeContext
from kiosk.display_power import PowerControl
from kiosk.errors import StationErrors
from kiosk.frames import FramePacer, frame_rate_of, invalidated
from kiosk.groups.manager import GroupManager
from kiosk.groups.panel import GroupOverlay
from kiosk.headless import ScriptedInput, ScriptPlayer, VirtualClock, save_screenshot
from kiosk.hours import OpeningHours
from kiosk.i18n import Translator
from kiosk.idle import IdleWatcher
from kiosk.input import DOWN, KEY, KEYS_POINTER, SENSOR, UP, InputEvent
from kiosk.navigation import Navigator
from kiosk.pin import PinGuard
from kiosk.registry import station_classes
from kiosk.services import Services
from kiosk.session import VisitorSession
from kiosk.station_set import StationContexts, StationSet
from kiosk.supervision import Notifier
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
        # systemd's watchdog runs on real time, even in a headless run on the virtual clock
        self.notifier = notifier or Notifier(clock=time.monotonic)
        self.power_control: PowerControl | None = None   # how to switch the screen; detected at start if None

        reproducible = headless if reproducible is None else reproducible
        i18n = Translator(list(config.languages), default=config.languages[0])
        self.services = Services(config, i18n=i18n, now=now, headless=headless, reproducible=reproducible,
                                 fake_sensors=fake_sensors)
        self.recorder, self.access = self.services.recorder, self.services.access
        assets = Assets(config.font, locale=i18n)
        visit = VisitorSession(self.recorder, clock=self.clock)
        self.errors = StationErrors(self.recorder.record, clock=self.clock)
        self.contexts = StationContexts(
            config=config, assets=assets, i18n=i18n, recorder=self.recorder, reader=self.services.reader,
            rng=np.random.default_rng(HEADLESS_SEED if seed is None and reproducible else seed),
            clock=self.clock, now=now, visit=visit, reproducible=reproducible, access=self.access)
        classes = station_classes() if classes is None else classes
        self.stations = StationSet(classes, config, self.errors, self.contexts)
        idle = IdleWatcher(config.idle_timeout_s, config.idle_warning_s, clock=self.clock)
        self.nav = Navigator(visit=visit, idle=idle, start_station=start_station)
        self.ctx = RuntimeContext(
            config=config, assets=assets, i18n=i18n, recorder=self.recorder, reader=self.services.reader,
            clock=self.clock, now=now, stations=self.stations, errors=self.errors,
            hours=OpeningHours(config, i18n, now), nav=self.nav, access=self.access, storage=self.services.storage,
            pin_guard=PinGuard(config.pin_hash, max_attempts=config.pin_max_attempts,
                               lockout_s=config.pin_lockout_s, clock=self.clock))
        self.groups = GroupManager(self.ctx)
        self.contexts.groups = self.groups
        self.nav.attach(self.ctx, self.groups)
        self.chrome: Chrome | None = None
        self.pacer = FramePacer(full_redraw=full_redraw)
        self._chrome_picture: tuple = ()

    def start(self) -> None:
        """Build the stations and the chrome, show the first screen (pygame is initialised)."""
        self.access.open(press=self._press_at, back=self._back)
        self.contexts.sensors = self.services.sensors       # stations and pages see the sensors that run
        self.stations.build()
        self.chrome = Chrome(self.ctx, self.groups, GroupOverlay(self.groups))
        self.nav.enter_initial_screen()

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
        self.services.start(report=self.errors.report, is_open=self.ctx.hours.is_open, power_control=self.power_control)
        self.notifier.alive()              # building the stations takes seconds on a small machine
        self.start()
        player = ScriptPlayer(script)
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
                    dt = self.virtual.next_frame()
                    clock.tick(self.headless_fps_cap)  # leave worker threads (queries, files) time to answer
                    events = pygame.event.get()
                else:
                    events = self._wait_for_frame(window, clock)
                    dt = min(clock.tick() / 1000, 0.1)
                turn_started = time.perf_counter()
                events += player.play(frame, canvas, window.letterbox)
                for raw in events:
                    if raw.type == pygame.QUIT and self.windowed and not self.headless:
                        self.quit("window closed")  # development window only: fullscreen ignores it
                    ev = window.translate(raw)
                    if ev is not None:
                        self.dispatch(ev)
                if self.services.sensors is not None:
                    for reading in self.services.sensors.drain():
                        self.dispatch(InputEvent(SENSOR, data=reading), from_visitor=False)
                self.tick(dt)
                power = self.services.power
                was_on = power.on
                power.want(self.nav.screen_wanted())
                if power.on != was_on:
                    # SDL keeps the screen awake by resetting X's screen saver every 30 s, which would wake
                    # a sleeping screen: it stops while the screen sleeps.
                    pygame.display.set_allow_screensaver(not power.on)
                if window.take_exposed() or (power.on and not was_on):
                    self.pacer.mark()
                changed = self._changed()        # asked every frame: it takes the screen's invalidation
                due = self.pacer.due(self.clock(), self.frame_rate())
                if power.on and (due or changed):
                    self.draw(canvas)
                    window.present(canvas)
                    self.notifier.ready()          # once: the first frame is on screen
                    self.services.frame_drawn(time.perf_counter() - turn_started)
                frame += 1
                self.notifier.alive()              # every turn: a hung loop stops the watchdog's pings
            if self.running:
                self.quit("frames")  # --frames N reached
            if screenshot is not None:
                save_screenshot(canvas, screenshot)
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
        screen_on = self.services.power.on
        wait = self.pacer.seconds_to_next(self.clock(), rate) if screen_on else math.inf
        if wait <= 0 or rate >= FPS:
            clock.tick(FPS)
            return pygame.event.get()
        if not screen_on:
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
        """Escape or the switch's "back": closes the language menu, else the screen's (kiosk/navigation.py)."""
        if self.chrome.menu.is_open:
            self.chrome.menu.close()
        else:
            self.nav.back()

    def tick(self, dt: float) -> None:
        warning = self.nav.tick()
        self.access.follow(self.nav.visit.session_id, (self.nav.screen_name, self.nav.switches),
                           describe=lambda: self.chrome.describe_screen(pressed=False))
        self.chrome.update(dt, warning=warning)
        if self.nav.screen is not None:
            self.nav.guard_screen("update", dt)
        self.access.tick()

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
        """End the visit, stop the services (kiosk.stop recorded, the log flushed and closed), close pygame."""
        if record_stop:
            self.notifier.stopping(self.stop_reason or "shutdown")
        if self.nav.visit.active:
            self.nav.visit.end("shutdown")
        self.services.stop((self.stop_reason or "shutdown") if record_stop else None)
        pygame.quit()
        self.notifier.close()
        self._restore_signals()
        log.info("kiosk stopped (%s)", (self.stop_reason or "shutdown") if record_stop else "after an error")

"""The App: window, clock, the frame loop, the active screen, the idle watcher (GUIDE.md §3)."""
from __future__ import annotations

import logging
import signal
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pygame

from eventlog.wire import db_path
from kiosk import __version__
from kiosk.assets import Assets
from kiosk.chrome import Chrome
from kiosk.config import KioskConfig
from kiosk.errors import StationErrors
from kiosk.headless import ScriptedInput
from kiosk.i18n import Translator
from kiosk.idle import EXPIRED, WARNING, IdleWatcher
from kiosk.input import SENSOR, InputEvent, InputTranslator, Letterbox
from kiosk.pin import PinGuard
from kiosk.registry import station_classes
from kiosk.session import VisitorSession
from kiosk.station import StationContext
from kiosk.store.reader import StoreReader
from kiosk.store.recorder import Recorder

log = logging.getLogger(__name__)
FPS = 60
MEDIATOR_IDLE_S = 300
# The closed screen's line, whole sentences so that each language orders its words its own way.
REOPENS_TODAY = "Réouverture aujourd'hui à {time}"
REOPENS_TOMORROW = "Réouverture demain à {time}"
REOPENS_ON = ("Réouverture lundi à {time}", "Réouverture mardi à {time}", "Réouverture mercredi à {time}",
              "Réouverture jeudi à {time}", "Réouverture vendredi à {time}", "Réouverture samedi à {time}",
              "Réouverture dimanche à {time}")
HEADLESS_MAX_FPS = 240


class VirtualClock:
    """Headless runs advance exactly one frame per loop: scripts and screenshots are reproducible."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


class App:
    def __init__(self, config: KioskConfig, *, headless: bool = False, windowed: bool = False,
                 start_station: str | None = None, fake_sensors: bool = False, now: Callable[[], datetime] | None = None,
                 classes: dict[str, type] | None = None):
        self.config = config
        self.headless = headless
        self.windowed = windowed or headless
        self.start_station = start_station
        self.canvas_size = config.canvas_size
        self.virtual = VirtualClock() if headless else None
        self.clock: Callable[[], float] = self.virtual or time.monotonic
        self._now = now or (lambda: datetime.now(config.tz))
        self.running = False
        self.exit_code = 0
        self.stop_reason = ""        # why the loop ended; recorded as kiosk.stop on a clean exit
        self._stop_signal = ""       # set by a SIGTERM/SIGINT handler, acted on at the next frame
        self._old_handlers: dict[int, Any] = {}
        self.headless_fps_cap = HEADLESS_MAX_FPS  # 0: as fast as possible (tests)

        config.data_dir.mkdir(parents=True, exist_ok=True)
        self.recorder = Recorder(config.data_dir, config.kiosk_id)
        self.reader = StoreReader(config.data_dir)
        self.i18n = Translator(list(config.languages), default=config.languages[0])
        self.assets = Assets(config.font)
        self.rng = np.random.default_rng()
        self.visit = VisitorSession(self.recorder, clock=self.clock)
        self.errors = StationErrors(self, clock=self.clock)
        self.pin_guard = PinGuard(config.pin_hash, max_attempts=config.pin_max_attempts,
                                  lockout_s=config.pin_lockout_s, clock=self.clock)
        self.idle = IdleWatcher(config.idle_timeout_s, config.idle_warning_s, clock=self.clock)
        self.services: dict[str, Any] = {"go_home": self.go_home, "clock": self.clock, "now": self._now}
        self.sensors = None
        self.fake_rig = None
        self._fake_sensors = fake_sensors
        found = station_classes() if classes is None else classes
        self.classes = {sid: cls for sid, cls in found.items() if sid in config.stations}
        self.stations: dict[str, Any] = {}
        self._previews: dict[str, Any] = {}
        self.screen = None
        self.screen_name = ""
        self.in_mediator = False
        self._start_groups()

    def _start_groups(self) -> None:
        """School groups (kiosk/groups): a service the chrome asks for its overlay every frame."""
        try:
            from kiosk.groups.manager import GroupManager
        except ImportError:
            return
        self.services["group"] = GroupManager(self)

    # -- start-up ------------------------------------------------------------------------------
    def _open_window(self) -> pygame.Surface:
        pygame.display.set_allow_screensaver(False)
        if self.windowed:
            size = self.canvas_size if self.headless else (self.canvas_size[0] // 2, self.canvas_size[1] // 2)
            window = pygame.display.set_mode(size, 0 if self.headless else pygame.RESIZABLE)
        else:
            window = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
            pygame.mouse.set_visible(False)
        pygame.display.set_caption("QSEC² · Mobilités")
        return window

    def _build_stations(self) -> None:
        for sid in self.config.stations:
            cls = self.classes.get(sid)
            if cls is None:
                continue
            ctx = self.make_context(sid)
            station = self.guard(f"{sid}.__init__", cls, ctx, station=sid)
            if station is not None:
                self.stations[sid] = station

    def make_context(self, sid: str) -> StationContext:
        return StationContext(
            station_id=sid, config=self.config.station_config(sid), kiosk=self.config, assets=self.assets,
            i18n=self.i18n, recorder=self.recorder, reader=self.reader,
            rng=np.random.default_rng(self.rng.integers(2**63)), canvas_size=self.canvas_size,
            data_dir=self.config.data_dir, services=self.services,
        )

    def page_context(self, key: str) -> StationContext:
        return self.make_context(f"mediator.{key}")

    def _start_sensors(self) -> None:
        section = dict(self.config.sensors)
        if not section.get("devices") and not self._fake_sensors:
            return
        try:
            from hardware.service import SensorService, parse_sensor_config
            if self._fake_sensors:
                from hardware.fake import FakeRig
                self.fake_rig = FakeRig.start(kinds=("footfall", "sds011", "mhz19"))
                section = self.fake_rig.config_section()
            self.sensors = SensorService(devices=parse_sensor_config(section), record=self.recorder.record,
                                         clock=time.time, db_path=db_path(self.config.data_dir), tz=self.config.tz)
            self.sensors.start()
            self.services["sensors"] = self.sensors
        except Exception as exc:  # sensors are a bonus: the kiosk serves visitors without them
            self.report_error("sensors", exc)

    def _start_uploader(self) -> None:
        if self.headless:
            return
        try:
            from kiosk.sync.uploader import uploader_from_config
            self.uploader = uploader_from_config(self.config)
            if self.uploader is None:  # no hub configured: USB export only
                return
            self.uploader.start()
            self.services["uploader"] = self.uploader
            self.services.setdefault("shutdown_hooks", []).append(self.uploader.close)
        except Exception as exc:  # no upload today; the log keeps everything for later
            self.report_error("uploader", exc)

    # -- the frame loop ----------------------------------------------------------------------------
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

    def run(self, *, frames: int | None = None, script: list[ScriptedInput] | None = None,
            screenshot: Path | None = None) -> int:
        self._catch_signals()
        pygame.init()
        window = self._open_window()
        letterbox = Letterbox(self.canvas_size, window.get_size())
        translate = InputTranslator(letterbox)
        canvas = pygame.Surface(self.canvas_size)
        self.recorder.record("kiosk.start", {"version": __version__})
        self._build_stations()
        self._start_sensors()
        self._start_uploader()
        self.chrome = Chrome(self)
        self._enter_initial_screen()
        pending = list(script or [])
        clock = pygame.time.Clock()
        frame = 0
        self.running = True
        clean = False
        try:
            while self.running and (frames is None or frame < frames):
                if self._stop_signal:
                    self.quit(self._stop_signal)
                    break
                if self.virtual is not None:
                    dt = 1 / FPS
                    self.virtual.t += dt
                    clock.tick(self.headless_fps_cap)  # leave worker threads (queries, files) time to answer
                else:
                    dt = min(clock.tick(FPS) / 1000, 0.1)
                while pending and pending[0].frame <= frame:
                    step = pending.pop(0)
                    if step.action == "screenshot":
                        self._save(canvas, Path(step.value))
                    else:
                        _post_scripted(step, letterbox)
                for raw in pygame.event.get():
                    if raw.type == pygame.VIDEORESIZE and not self.headless:
                        letterbox = Letterbox(self.canvas_size, window.get_size())
                        translate.letterbox = letterbox
                    if raw.type == pygame.QUIT and self.windowed and not self.headless:
                        self.quit("window closed")  # development window only: fullscreen ignores it
                    ev = translate.translate(raw)
                    if ev is not None:
                        self.dispatch(ev)
                if self.sensors is not None:
                    for reading in self.sensors.drain():
                        self.dispatch(InputEvent(SENSOR, data=reading), from_visitor=False)
                self._tick(dt)
                self.draw(canvas)
                if letterbox.window == self.canvas_size:
                    window.blit(canvas, (0, 0))
                else:
                    window.fill((0, 0, 0))
                    x, y, w, h = letterbox.dest_rect()
                    window.blit(pygame.transform.smoothscale(canvas, (w, h)), (x, y))
                pygame.display.flip()
                frame += 1
            if self.running:
                self.quit("frames")  # --frames N reached
            if screenshot is not None:
                self._save(canvas, screenshot)
            clean = True
        finally:
            # An exception out of the loop is a crash: no kiosk.stop, the next start counts as unclean.
            self.shutdown(record_stop=clean)
        return self.exit_code

    def _save(self, canvas: pygame.Surface, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(canvas, str(path))
        log.info("screenshot written to %s", path)

    def dispatch(self, ev: InputEvent, *, from_visitor: bool = True) -> None:
        if from_visitor:
            self.idle.poke()
        if self.chrome.handle_event(ev):
            return
        if self.screen is not None:
            self.guard_screen("handle_event", ev)

    def _tick(self, dt: float) -> None:
        self._check_hours()
        state = self.idle.state()
        if self.screen_name not in ("attract", "closed") and state == EXPIRED:
            if self.in_mediator:
                self.close_mediator()
            self.end_visit("timeout", idle_s=self.idle.timeout_s + self.idle.warning_s)
        self.chrome.update(dt, warning=(state == WARNING and self.screen_name not in ("attract", "closed")))
        if self.screen is not None:
            self.guard_screen("update", dt)

    def draw(self, canvas: pygame.Surface) -> None:
        if self.screen is not None:
            self.guard_screen("draw", canvas)
        self.chrome.draw(canvas)

    # -- navigation --------------------------------------------------------------------------------
    def _enter_initial_screen(self) -> None:
        if self.start_station and self.start_station in self.stations:
            self.visit.start()
            self.open_station(self.start_station)
        else:
            self.go_to_attract()

    def _switch(self, name: str, screen) -> None:
        old = self.screen
        if old is not None:
            self.guard_screen("exit")
        if self.screen_name in self.stations:
            self.visit.leave_station()
        self.screen, self.screen_name = screen, name
        self.guard_screen("reset")
        self.guard_screen("enter")
        self.idle.timeout_s = self._idle_timeout()
        self.idle.poke()

    def _idle_timeout(self) -> float:
        if self.in_mediator:
            return MEDIATOR_IDLE_S
        group = self.services.get("group")
        if group is not None and getattr(group, "active", False):
            return self.config.group_idle_timeout_s
        if self.screen_name in self.stations:
            own = self.config.station_config(self.screen_name).get("idle_timeout_s")
            if own is not None:
                return float(own)
        return self.config.idle_timeout_s

    def go_to_attract(self) -> None:
        from kiosk.screens.attract import AttractScreen
        self._switch("attract", AttractScreen(self))

    def go_home(self) -> None:
        from kiosk.screens.home import HomeScreen
        if self.start_station and self.start_station in self.stations and len(self.config.stations) == 1:
            self.open_station(self.start_station)  # single-purpose kiosk: its station is home
            return
        self._switch("home", HomeScreen(self))

    def start_visit(self) -> None:
        self.visit.start()
        self.go_home()

    def end_visit(self, reason: str, idle_s: float = 0.0) -> None:
        if self.screen_name in self.stations:
            self.guard_screen("exit")
            self.screen = None
        self.visit.end(reason, idle_s=idle_s)
        self.i18n.set_language(self.config.languages[0])
        if not self.in_mediator:
            self.go_to_attract()

    def open_station(self, sid: str) -> None:
        station = self.stations.get(sid)
        if station is None or self.errors.is_disabled(sid):
            return
        if not self.visit.active:
            self.visit.start()
        self._switch(sid, station)
        self.visit.enter_station(sid)

    def restart_station(self, sid: str) -> None:
        self.errors.enable(sid)
        self._previews.pop(sid, None)
        if sid in self.stations:
            self.guard("%s.reset" % sid, self.stations[sid].reset, station=sid)
        elif sid in self.classes:
            station = self.guard(f"{sid}.__init__", self.classes[sid], self.make_context(sid), station=sid)
            if station is not None:
                self.stations[sid] = station

    def open_pin_pad(self) -> None:
        from kiosk.screens.mediator import PinPadScreen
        if not self.in_mediator:
            self._return_to = self.screen_name
            self._visitor_lang = self.i18n.lang   # the mediator may switch language; the visitor gets theirs back
            self._switch("pin", PinPadScreen(self))

    def open_mediator_menu(self) -> None:
        from kiosk.screens.mediator import MediatorMenu
        self.in_mediator = True
        self._switch("mediator", MediatorMenu(self))

    def close_mediator(self) -> None:
        self.in_mediator = False
        self.i18n.set_language(getattr(self, "_visitor_lang", self.i18n.lang))
        back = getattr(self, "_return_to", "attract")
        group = self.services.get("group")
        if back == "group" and group is not None and self.guard("group.resume", group.resume):
            return  # the class goes on with its activity
        if back in self.stations and self.visit.active:
            self.open_station(back)
        elif back == "home" and self.visit.active:
            self.go_home()
        else:
            self.go_to_attract()

    def quit(self, reason: str) -> None:
        """Stop after this frame; shutdown() records kiosk.stop with the reason."""
        self.stop_reason = self.stop_reason or reason
        self.running = False

    # -- opening hours -----------------------------------------------------------------------------
    def is_open(self, now: datetime | None = None) -> bool:
        if not self.config.enforce_hours:
            return True
        now = now or self._now()
        hours = self.config.hours[now.strftime("%A").lower()]
        return hours is not None and hours[0] <= now.time() < hours[1]

    def _check_hours(self) -> None:
        if self.in_mediator or self.screen_name == "pin":
            return
        open_now = self.is_open()
        if not open_now and self.screen_name != "closed":
            self.end_visit("closing")
            group = self.services.get("group")
            if group is not None and getattr(group, "active", False):
                group.end("closing")
            from kiosk.screens.closed import ClosedScreen
            self._switch("closed", ClosedScreen(self))
        elif open_now and self.screen_name == "closed":
            self.go_to_attract()

    def next_opening(self) -> tuple[int, datetime] | None:
        """(days from today, opening time) of the next opening, within a week; None if the hours never open."""
        now = self._now()
        for offset in range(8):
            day = now + timedelta(days=offset)
            hours = self.config.hours[day.strftime("%A").lower()]
            if hours is None or (offset == 0 and now.time() >= hours[0]):
                continue
            return offset, datetime.combine(day.date(), hours[0])
        return None

    def next_opening_text(self, lang: str | None = None) -> str:
        """"Réouverture demain à 10 h 00" in `lang` (default: the source language, French); "" if none."""
        found = self.next_opening()
        if found is None:
            return ""
        offset, at = found
        msgid = REOPENS_TODAY if offset == 0 else REOPENS_TOMORROW if offset == 1 else REOPENS_ON[at.weekday()]
        tr = (lambda m: m) if lang is None else (lambda m: self.i18n.translate_to(lang, m))
        clock = tr("{hour} h {minute}").format(hour=at.hour, minute=f"{at.minute:02d}")
        return tr(msgid).format(time=clock)

    # -- helpers for screens -----------------------------------------------------------------------
    def menu_stations(self) -> list[str]:
        return [sid for sid in self.config.stations if sid in self.stations]

    def station_class(self, sid: str):
        return self.classes[sid]

    def is_disabled(self, sid: str) -> bool:
        return self.errors.is_disabled(sid)

    def home_cards(self) -> list[Callable]:
        cards = []
        for sid in self.menu_stations():
            card = self.guard(f"{sid}.home_card", self.stations[sid].home_card, station=sid)
            if card is not None:
                cards.append(card)
        return cards

    def attract_preview(self, sid: str):
        """The station's live miniature for the attract loop, made once; None without one (or if making
        it failed: the slide then shows the icon alone)."""
        if sid not in self._previews:
            station = self.stations.get(sid)
            make = getattr(station, "attract_preview", None)
            self._previews[sid] = None if make is None or self.is_disabled(sid) else \
                self.guard(f"{sid}.attract_preview", make, station=sid)
        return None if self.is_disabled(sid) else self._previews[sid]

    def approved_contributions(self):
        """A future of a few approved wall texts for the attract loop, or None without a wall.

        The wall station class offers `attract_quotes(conn, limit)`; only approved contributions."""
        wall = self.classes.get("wall")
        fn = getattr(wall, "attract_quotes", None) if wall else None
        if fn is None:
            return None
        return self.reader.submit(lambda conn: list(fn(conn, 8)))

    def count_sessions_today(self, conn) -> int:
        midnight = self._now().replace(hour=0, minute=0, second=0, microsecond=0)
        since = midnight.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        row = conn.execute("SELECT COUNT(*) FROM events WHERE kind = 'session.start' AND ts >= ?", (since,)).fetchone()
        return int(row[0])

    # -- crash isolation -------------------------------------------------------------------------------
    def guard(self, where: str, fn: Callable, *args, station: str | None = None, on_error: Callable | None = None):
        return self.errors.guard(where, fn, *args, station=station, on_error=on_error)

    def guard_screen(self, method: str, *args):
        screen = self.screen
        fn = getattr(screen, method, None)
        if fn is None:
            return None
        sid = self.screen_name if self.screen_name in self.stations else None
        return self.errors.guard(f"{self.screen_name}.{method}", fn, *args, station=sid)

    def report_error(self, where: str, exc: BaseException) -> None:
        self.errors.report(where, exc)

    def shutdown(self, record_stop: bool = True) -> None:
        """End the visit, stop sensor and upload threads, record kiosk.stop, flush the log, close pygame."""
        if self.visit.active:
            self.visit.end("shutdown")
        if self.sensors is not None:
            try:
                self.sensors.stop()
            except Exception:
                log.exception("stopping sensors failed")
        if self.fake_rig is not None:
            try:
                self.fake_rig.stop()
            except Exception:
                log.exception("stopping fake sensors failed")
        for hook in self.services.get("shutdown_hooks", []):
            try:
                hook()
            except Exception:
                log.exception("shutdown hook failed")
        if record_stop:
            self.recorder.record("kiosk.stop", {"reason": self.stop_reason or "shutdown"})
        if not self.recorder.flush():
            log.error("the event log could not be flushed before stopping")
        self.recorder.close()
        self.reader.close()
        pygame.quit()
        self._restore_signals()
        log.info("kiosk stopped (%s)", (self.stop_reason or "shutdown") if record_stop else "after an error")


def _post_scripted(step: ScriptedInput, letterbox: Letterbox) -> None:
    """Scripted input enters as real pygame mouse events, through the same translation as a visitor's."""
    sx, sy = letterbox.offset
    if step.action in ("down", "up", "move"):
        pos = (round(step.value[0] * letterbox.scale + sx), round(step.value[1] * letterbox.scale + sy))
        if step.action == "down":
            pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False))
        elif step.action == "up":
            pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1, touch=False))
        else:
            pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(1, 0, 0), touch=False))
    elif step.action == "key":
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.key.key_code(step.value), mod=0, unicode=""))
    elif step.action == "text":
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=step.value))

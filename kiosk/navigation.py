"""The Navigator: what is on screen, the visitor's session, mediator mode, opening hours and the idle rule.

Screens, the chrome and the group manager reach it through their RuntimeContext (`ctx.nav`); the
App only drives it once a frame (`tick`, `guard_screen`). Switching screens follows the station
contract: `old.exit()`, `new.reset()`, `new.enter()`."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kiosk.context import RuntimeContext
from kiosk.groups.views import StepScreen
from kiosk.idle import EXPIRED, WARNING
from kiosk.screens.attract import AttractScreen
from kiosk.screens.closed import ClosedScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.mediator import MediatorMenu, PinPadScreen
from kiosk.screens.names import UNATTENDED, ScreenName

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.groups.manager import GroupManager
    from kiosk.idle import IdleWatcher
    from kiosk.session import VisitorSession
    from kiosk.station import StationContext

log = logging.getLogger(__name__)
MEDIATOR_IDLE_S = 300
TOAST_S = 5.0
SCREEN_OFF_AFTER_S = 30.0   # the closed screen shows this long after closing or a touch, then sleeps
STATION_PAUSED = "Oups ! Cette activité fait une petite pause. Essayez une autre !"


class Navigator:
    def __init__(self, *, visit: "VisitorSession", idle: "IdleWatcher", start_station: str | None = None):
        self.visit = visit
        self.idle = idle
        self.start_station = start_station
        self.ctx: RuntimeContext | None = None
        self.groups: GroupManager | None = None
        self.screen: Any = None
        self.screen_name: str = ""
        self.in_mediator = False
        self.toast_text = ""
        self.toast_until = 0.0
        self.stop_reason = ""              # set by the mediator's « Quitter »; the App stops at the next frame
        self.switches = 0
        self._return_to: str = ScreenName.ATTRACT
        self._visitor_lang: str | None = None

    def attach(self, ctx: RuntimeContext, groups: "GroupManager | None") -> None:
        """The context the screens get (it names this navigator) and the school groups' manager."""
        self.ctx, self.groups = ctx, groups
        ctx.errors.when_a_station_fails(self._station_failed)

    @property
    def single_station(self) -> bool:
        """A single-purpose kiosk (`--station` with one station enabled): its station is home."""
        ctx = self.ctx
        return bool(self.start_station and self.start_station in ctx.stations and len(ctx.config.stations) == 1)

    # -- every frame ---------------------------------------------------------------------------------
    def tick(self) -> bool:
        """Opening hours and the idle rule; True while the "Encore là ?" countdown shows."""
        self._check_hours()
        if self._watched():
            self.idle.poke()         # idle counts from the end of a run or of the motion, not during it
        state = self.idle.state()
        waiting = self.screen_name not in UNATTENDED
        if waiting and state == EXPIRED:
            if self.in_mediator:
                self.close_mediator()
            self.end_visit("timeout", idle_s=self.idle.timeout_s + self.idle.warning_s)
        return state == WARNING and self.screen_name not in UNATTENDED

    def _watched(self) -> bool:
        """A station running something a visitor may be watching (a crowd leaving, a challenge) says so
        through `busy()`: the visitor is still there, and the time counts as the visit's."""
        if self.screen_name not in self.ctx.stations or self.in_mediator:
            return False
        return bool(self.guard_screen("busy"))

    def screen_wanted(self) -> bool:
        """Should the screen be on? It sleeps once the closed screen has shown SCREEN_OFF_AFTER_S untouched."""
        return not (self.screen_name == ScreenName.CLOSED and self.idle.idle_for() >= SCREEN_OFF_AFTER_S)

    def guard_screen(self, method: str, *args: Any) -> Any:
        """Call the screen's method; a station that raises is paused (kiosk/errors.py) and the visitor sent home."""
        fn = getattr(self.screen, method, None)
        if fn is None:
            return None
        sid = self.screen_name if self.screen_name in self.ctx.stations else None
        return self.ctx.errors.guard(f"{self.screen_name}.{method}", fn, *args, station=sid)

    def _station_failed(self, sid: str) -> None:
        if self.screen_name == sid:
            self.screen = None  # never call the broken station again this frame
            self.toast(STATION_PAUSED)
            self.go_home()

    def back(self) -> None:
        """Escape or a switch's "back": the screen's own step back if it has one, else home from a station."""
        if callable(getattr(self.screen, "back", None)):
            self.guard_screen("back")
        elif self.screen_name in self.ctx.stations:
            self.go_home()

    def toast(self, text: str) -> None:
        """A short message (a French source string) the chrome shows for a few seconds."""
        self.toast_text, self.toast_until = text, self.ctx.clock() + TOAST_S

    def request_stop(self, reason: str) -> None:
        self.stop_reason = self.stop_reason or reason

    # -- switching -------------------------------------------------------------------------------------
    def enter_initial_screen(self) -> None:
        if self.start_station and self.start_station in self.ctx.stations:
            self.visit.start()
            self.open_station(self.start_station)
        else:
            self.go_to_attract()

    def _switch(self, name: str, screen: Any) -> None:
        if self.screen is not None:
            self.guard_screen("exit")
        if self.screen_name in self.ctx.stations:
            self.visit.leave_station()
        self.screen, self.screen_name = screen, name
        self.switches += 1
        self.guard_screen("reset")
        self.guard_screen("enter")
        self.idle.timeout_s = self._idle_timeout()
        self.idle.poke()

    def _idle_timeout(self) -> float:
        config = self.ctx.config
        if self.in_mediator:
            return MEDIATOR_IDLE_S
        if self.groups is not None and self.groups.active:
            return config.group_idle_timeout_s
        if self.screen_name in self.ctx.stations:
            own = config.station_config(self.screen_name).get("idle_timeout_s")
            if own is not None:
                return float(own)
        return config.idle_timeout_s

    def go_to_attract(self) -> None:
        self._switch(ScreenName.ATTRACT, AttractScreen(self.ctx))

    def go_home(self) -> None:
        if self.single_station:
            self.open_station(self.start_station)
            return
        self._switch(ScreenName.HOME, HomeScreen(self.ctx))

    def start_visit(self) -> None:
        self.visit.start()
        self.go_home()

    def end_visit(self, reason: str, idle_s: float = 0.0) -> None:
        if self.screen_name in self.ctx.stations:
            self.guard_screen("exit")
            self.screen = None
        self.visit.end(reason, idle_s=idle_s)
        self.ctx.i18n.set_language(self.ctx.config.languages[0])
        if not self.in_mediator:
            self.go_to_attract()

    def open_station(self, sid: str) -> None:
        station = self.ctx.stations.get(sid)
        if station is None or self.ctx.stations.is_disabled(sid):
            return
        if not self.visit.active:
            self.visit.start()
        self._switch(sid, station)
        self.visit.enter_station(sid)

    def restart_station(self, sid: str) -> None:
        self.ctx.stations.restart(sid)

    def show_group_step(self) -> None:
        """The school group's current full-screen step (instruction, quiz, results)."""
        self._switch(ScreenName.GROUP, StepScreen(self.groups))

    def page_context(self, key: str) -> "StationContext":
        return self.ctx.stations.contexts.for_page(key)

    # -- mediator mode ---------------------------------------------------------------------------------
    def open_pin_pad(self) -> None:
        if not self.in_mediator:
            self._return_to = self.screen_name
            self._visitor_lang = self.ctx.i18n.lang   # the mediator may switch language; the visitor gets theirs back
            self._switch(ScreenName.PIN, PinPadScreen(self.ctx))

    def open_mediator_menu(self) -> None:
        self.in_mediator = True
        self._switch(ScreenName.MEDIATOR, MediatorMenu(self.ctx))

    def close_mediator(self) -> None:
        self.in_mediator = False
        if self._visitor_lang is not None:
            self.ctx.i18n.set_language(self._visitor_lang)
        back = self._return_to
        if back == ScreenName.GROUP and self.groups is not None and self.ctx.guard("group.resume", self.groups.resume):
            return  # the class goes on with its activity
        if back in self.ctx.stations and self.visit.active:
            self.open_station(back)
        elif back == ScreenName.HOME and self.visit.active:
            self.go_home()
        else:
            self.go_to_attract()

    # -- opening hours ---------------------------------------------------------------------------------
    def _check_hours(self) -> None:
        if self.in_mediator or self.screen_name == ScreenName.PIN:
            return
        open_now = self.ctx.hours.is_open()
        if not open_now and self.screen_name != ScreenName.CLOSED:
            self.end_visit("closing")
            if self.groups is not None and self.groups.active:
                self.groups.end("closing")
            self._switch(ScreenName.CLOSED, ClosedScreen(self.ctx))
        elif open_now and self.screen_name == ScreenName.CLOSED:
            self.go_to_attract()

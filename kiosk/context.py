"""What the runtime's own screens, the chrome and the school-group manager may use — never the App.

Like a station's StationContext, a RuntimeContext is a handful of named collaborators. `nav` is the
navigator, seen through the `Navigation` protocol below: screens ask it to go somewhere, they do not
know how screens are switched."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.access.service import Access
    from kiosk.assets import Assets
    from kiosk.config import KioskConfig
    from kiosk.errors import StationErrors
    from kiosk.hours import OpeningHours
    from kiosk.i18n import Translator
    from kiosk.idle import IdleWatcher
    from kiosk.pin import PinGuard
    from kiosk.session import VisitorSession
    from kiosk.station import StationContext
    from kiosk.station_set import StationSet
    from kiosk.storage import StorageWatch
    from kiosk.store.reader import StoreReader
    from kiosk.store.recorder import Recorder


class Navigation(Protocol):
    """Where the kiosk is (`screen_name`: a kiosk.screens.names.ScreenName or a station id) and the ways
    to go elsewhere; kiosk/navigation.py's Navigator is the one implementation."""

    screen: Any
    screen_name: str
    in_mediator: bool
    visit: "VisitorSession"
    idle: "IdleWatcher"
    start_station: str | None      # `kiosk run --station`
    toast_text: str                # a short message the chrome shows until toast_until (clock seconds)
    toast_until: float
    switches: int                  # how many times the screen was switched (a new screen, or the same anew)

    def go_to_attract(self) -> None: ...
    def go_home(self) -> None: ...
    def start_visit(self) -> None: ...
    def end_visit(self, reason: str, idle_s: float = 0.0) -> None: ...
    def open_station(self, sid: str) -> None: ...
    def restart_station(self, sid: str) -> None: ...
    def open_pin_pad(self) -> None: ...
    def open_mediator_menu(self) -> None: ...
    def close_mediator(self) -> None: ...
    def show_group_step(self) -> None: ...
    def page_context(self, key: str) -> "StationContext": ...
    def toast(self, text: str) -> None: ...
    def request_stop(self, reason: str) -> None: ...


@dataclass(frozen=True)
class RuntimeContext:
    config: "KioskConfig"
    assets: "Assets"
    i18n: "Translator"
    recorder: "Recorder"              # the only way to write data
    reader: "StoreReader"             # queries over the event log, run off the frame loop
    clock: Callable[[], float]        # seconds of the frame loop (virtual in headless runs)
    now: Callable[[], datetime]       # the venue's wall clock
    stations: "StationSet"
    errors: "StationErrors"
    hours: "OpeningHours"
    pin_guard: "PinGuard"
    nav: Navigation
    access: "Access"                  # reach, keys and switches, speech, sound, reduced motion
    storage: "StorageWatch | None" = None   # the data disk's free-space watch (the mediator's alarm reads it)

    @property
    def canvas_size(self) -> tuple[int, int]:
        return self.config.canvas_size

    def _(self, text: str) -> str:
        return self.i18n.gettext(text)

    def guard(self, where: str, fn: Callable, *args: Any, station: str | None = None,
              on_error: Callable | None = None) -> Any:
        """Call fn(*args); an exception is logged and recorded, never raised (kiosk/errors.py)."""
        return self.errors.guard(where, fn, *args, station=station, on_error=on_error)

"""The stations this kiosk runs: built from their classes, each with its own StationContext, paused
when they fail (kiosk/errors.py), restarted from mediator mode; their home cards and attract previews.
The runtime knows no particular station: it reads only the contract of kiosk/station.py."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Mapping

import numpy as np

from kiosk.session import VisitorSession, VisitRecorder
from kiosk.station import SensorFeed, Station, StationContext

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.assets import Assets
    from kiosk.config import KioskConfig
    from kiosk.errors import StationErrors
    from kiosk.i18n import Translator
    from kiosk.store.reader import StoreReader
    from kiosk.store.recorder import Recorder


@dataclass
class StationContexts:
    """Makes the context of each station and of each mediator page. Every station gets its own seeded
    generator, drawn from `rng` in the order the stations are built: one seed, the same stations.
    A station records through the visit (its events carry the visitor's session); a mediator page
    records as the kiosk (no session)."""

    config: "KioskConfig"
    assets: "Assets"
    i18n: "Translator"
    recorder: "Recorder"
    reader: "StoreReader"
    rng: np.random.Generator
    clock: Callable[[], float]
    now: Callable[[], datetime]
    visit: VisitorSession
    reproducible: bool = False
    sensors: SensorFeed | None = None    # set once the sensor service runs
    groups: Any = None                   # the school-group manager, for the groups mediator page
    access: Any = None                   # kiosk.access.service.Access: sound, speech, reach, reduced motion

    def for_station(self, sid: str) -> StationContext:
        return self._context(sid, VisitRecorder(self.recorder, self.visit))

    def for_page(self, key: str) -> StationContext:
        ctx = self._context(f"mediator.{key}", self.recorder)
        ctx.groups = self.groups
        return ctx

    def _context(self, sid: str, recorder) -> StationContext:
        return StationContext(
            station_id=sid, config=self.config.station_config(sid), kiosk=self.config, assets=self.assets,
            i18n=self.i18n, recorder=recorder, reader=self.reader,
            rng=np.random.default_rng(self.rng.integers(2**63)), canvas_size=self.config.canvas_size,
            data_dir=self.config.data_dir, now=self.now, clock=self.clock, sensors=self.sensors,
            reproducible=self.reproducible, access=self.access,
        )


class StationSet:
    def __init__(self, classes: Mapping[str, type], config: "KioskConfig", errors: "StationErrors",
                 contexts: StationContexts):
        self.config = config
        self.classes = {sid: cls for sid, cls in classes.items() if sid in config.stations}
        self.errors = errors
        self.contexts = contexts
        self.stations: dict[str, Station] = {}
        self._previews: dict[str, Any] = {}

    def build(self) -> None:
        """Build every enabled station, in the configured order; one that raises is left out (logged)."""
        for sid in self.config.stations:
            if sid in self.classes:
                self._build(sid)

    def _build(self, sid: str) -> None:
        station = self.errors.guard(f"{sid}.__init__", self.classes[sid], self.contexts.for_station(sid), station=sid)
        if station is not None:
            self.stations[sid] = station

    def __contains__(self, sid: object) -> bool:
        return sid in self.stations

    def __getitem__(self, sid: str) -> Station:
        return self.stations[sid]

    def get(self, sid: str) -> Station | None:
        return self.stations.get(sid)

    def restart(self, sid: str) -> None:
        """From mediator mode: a paused station serves again, back to a new visitor's state."""
        self.errors.enable(sid)
        self._previews.pop(sid, None)
        if sid in self.stations:
            self.errors.guard(f"{sid}.reset", self.stations[sid].reset, station=sid)
        elif sid in self.classes:
            self._build(sid)

    def menu(self) -> list[str]:
        """The stations a visitor can open, in the configured order."""
        return [sid for sid in self.config.stations if sid in self.stations and self._has_its_sensors(sid)]

    def _has_its_sensors(self, sid: str) -> bool:
        needs = getattr(self.classes[sid], "needs_sensors", ())
        if not needs:
            return True
        running = {d.kind for d in getattr(self.contexts.sensors, "devices", [])}
        return bool(running & set(needs))

    def station_class(self, sid: str) -> type:
        return self.classes[sid]

    def is_disabled(self, sid: str) -> bool:
        return self.errors.is_disabled(sid)

    def home_cards(self) -> list[Callable]:
        cards = []
        for sid in self.menu():
            card = self.errors.guard(f"{sid}.home_card", self.stations[sid].home_card, station=sid)
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
                self.errors.guard(f"{sid}.attract_preview", make, station=sid)
        return None if self.is_disabled(sid) else self._previews[sid]

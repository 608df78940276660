"""« L'air de la salle »: glue between today's air/crowd series, the live sensors and the view."""
from __future__ import annotations

import logging
import time
from concurrent.futures import Future
from datetime import date, datetime

from kiosk.input import DOWN, MOVE, SENSOR, UP
from kiosk.station import Station, StationContext
from stations.air.card import draw_air_card
from stations.air.model import AirDay, minute_index, query_day
from stations.air.view import AirView

log = logging.getLogger(__name__)
SNAPSHOT_EVERY_S = 0.5


class AirStation(Station):
    id = "air"
    title = "L’air de la salle"
    teaser = "Quand la salle se remplit, le CO₂ monte : voyez-le en direct."
    icon = "wind"
    config_defaults = {"refresh_s": 60.0}
    # the day's query reads the whole day's log: more often than every 10 s is load for nothing
    config_ranges = {"refresh_s": (10, 3600)}
    needs_sensors = ("mhz19", "sds011")     # no air sensor: nothing to show, the menu hides it

    def __init__(self, ctx: StationContext):
        super().__init__(ctx)
        self.tz = ctx.kiosk.tz
        self.now = lambda: ctx.now().astimezone(self.tz)     # the runtime's wall clock (tests fix the day)
        self.day = AirDay(self.now().date())
        self.snapshot = None
        self.cursor_minute: int | None = None
        self._pending: Future | None = None
        self._refresh_in = 0.0
        self._snapshot_in = 0.0
        self._card_snapshot = None
        self._card_at = 0.0
        # Live readings not yet in the log (minute events are written at the end of each minute).
        self._live: list[tuple[str, int, str, tuple]] = []   # (date iso, minute, kind, values)
        self.view = AirView(self)

    # -- helpers the view uses ------------------------------------------------------------------
    def sensors(self):
        return self.ctx.sensors

    def now_minute(self) -> int:
        now = self.now()
        return now.hour * 60 + now.minute

    def correlation(self) -> float | None:
        start, end = self.day.span(self.now_minute())
        return self.day.correlation(start, end)

    # -- lifecycle ---------------------------------------------------------------------------------
    def reset(self) -> None:
        self.cursor_minute = None

    def enter(self) -> None:
        self._refresh_in = 0.0
        self._snapshot_in = 0.0

    def handle_event(self, ev) -> bool:
        if ev.kind == SENSOR:
            self._on_reading(ev.data)
            return False       # readings are information: other listeners may want them too
        if ev.kind in (DOWN, MOVE):
            minute = self.view.minute_at(ev.pos)
            if minute is not None or ev.kind == DOWN:
                self.cursor_minute = minute
            return minute is not None
        if ev.kind == UP:
            return self.cursor_minute is not None
        return False

    def update(self, dt: float) -> None:
        today = self.now().date()
        if today != self.day.day:
            self.day = AirDay(today)
            self._refresh_in = 0.0
            self.invalidate()
        self._refresh_in -= dt
        if self._pending is None and self._refresh_in <= 0:
            self._refresh_in = float(self.ctx.config.get("refresh_s", 60.0))
            self._pending = self.ctx.reader.submit(lambda conn, d=today: query_day(conn, d))
        if self._pending is not None and self._pending.done():
            future, self._pending = self._pending, None
            try:
                self._apply(today, future.result())
                self.invalidate()
            except Exception:   # no log yet, or a locked file: keep the live data and retry later
                log.warning("air: reading today's data failed", exc_info=True)
        self._snapshot_in -= dt
        sensors = self.sensors()
        if sensors is not None and self._snapshot_in <= 0:
            self._snapshot_in = SNAPSHOT_EVERY_S
            self.snapshot = sensors.snapshot()
            self.invalidate()

    def frame_rate(self) -> float:
        """Nothing moves: readings and the day's curves arrive now and then (each redraws, above)."""
        return 0.0

    def draw(self, surface) -> None:
        self.view.draw(surface)

    def home_card(self):
        sensors = self.sensors()
        if sensors is None or not any(d.kind in self.needs_sensors for d in getattr(sensors, "devices", [])):
            return None
        return self._draw_card

    def _draw_card(self, surface, rect) -> None:
        now = time.monotonic()
        if self._card_snapshot is None or now - self._card_at >= SNAPSHOT_EVERY_S:
            self._card_snapshot, self._card_at = self.sensors().snapshot(), now
        draw_air_card(surface, rect, self._card_snapshot, self.ctx.assets, self.ctx.i18n)

    # -- data ---------------------------------------------------------------------------------------
    def _local(self, t: float) -> tuple[str, int]:
        dt = datetime.fromtimestamp(t, self.tz)
        return dt.date().isoformat(), dt.hour * 60 + dt.minute

    def _on_reading(self, reading) -> None:
        kind = type(reading).__name__
        if kind not in ("AirReading", "FootfallReading"):
            return
        day, minute = self._local(reading.t)
        if day != self.day.day.isoformat():
            return
        if kind == "AirReading" and reading.co2_ppm is not None:
            values: tuple = (reading.sensor, reading.co2_ppm)
            self.day.add_co2(reading.sensor, minute, reading.co2_ppm)
        elif kind == "FootfallReading":
            values = (reading.passages_in, reading.passages_out)
            self.day.add_passages(minute, *values)
        else:
            return
        self._live.append((day, minute, kind, values))

    def _apply(self, day: date, rows) -> None:
        """Replace the series by the log's, then replay live readings newer than what the log holds."""
        fresh = AirDay.from_rows(day, rows)
        last = {kind: max((minute_index(m) or -1 for m, _p in rows.get(event, [])), default=-1)
                for kind, event in (("AirReading", "sensor.air"), ("FootfallReading", "footfall.minute"))}
        keep = []
        for entry in self._live:
            d, minute, kind, values = entry
            if d != day.isoformat() or minute <= last[kind]:
                continue
            keep.append(entry)
            if kind == "AirReading":
                fresh.add_co2(values[0], minute, values[1])
            else:
                fresh.add_passages(minute, *values)
        self._live = keep
        self.day = fresh

"""« Au programme »: glue between the agenda model, its view and the clock.

The programme comes from the website when the kiosk has ever synced (the copy the uploader keeps,
kiosk/sync/content_feed.py), else from the content file. The copy is read again every CLOCK_CHECK_S
on the store's reader thread, never on the frame loop, and replaces the programme only if it passes
the content file's checks.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Callable, Mapping

from kiosk.config import ConfigProblem
from kiosk.station import Station, StationContext
from kiosk.sync.content_feed import read_cached_feed
from stations.agenda.model import AgendaEvent, load_agenda, parse_agenda, parse_feed, remaining_stops, upcoming
from stations.agenda.view import AgendaView
from kiosk.content import read_content

log = logging.getLogger(__name__)
CLOCK_CHECK_S = 30.0     # how often the list is re-filtered: an event vanishes within half a minute of its end


class AgendaStation(Station):
    id = "agenda"
    title = "Au programme"
    teaser = "Débats, ateliers, ciné-débats : les prochains rendez-vous."
    icon = "calendar-event"
    config_defaults = {"content": "agenda.toml"}

    def __init__(self, ctx: StationContext, *, clock: Callable[[], dt.datetime] | None = None):
        super().__init__(ctx)
        self.tz = ctx.kiosk.tz
        self.events, self.tour = load_agenda(ctx.config["content"], self.tz)     # ContentError if bad
        self.source: str | None = None          # the website copy's fetched_at, None: the content file
        self._feed_check = None                 # Future of the reader thread's look at the copy
        self._use_feed(read_cached_feed(ctx.data_dir))   # start-up: before the first frame
        self.clock = ctx.now if clock is None else clock   # the runtime's wall clock, unless a test gives one
        self.view = AgendaView(self)
        self.reset()

    @classmethod
    def check_content(cls, section: Mapping[str, Any], key_path: str) -> list[ConfigProblem]:
        from zoneinfo import ZoneInfo

        file, data, problems = read_content(section.get("content", cls.config_defaults["content"]))
        return problems if data is None else parse_agenda(data, file, ZoneInfo("Europe/Paris"))[2]

    def reset(self) -> None:
        self.tab = "here"
        self.detail: AgendaEvent | None = None
        self.list_page = 0
        self._since_check = 0.0
        self.view.zones.cancel()
        self.refresh()

    def refresh(self) -> None:
        self.now_local = self.clock().astimezone(self.tz)
        self.upcoming = upcoming(self.events, self.now_local)
        self.stops = remaining_stops(self.tour, self.now_local.date())
        pages = max(1, -(-max(0, len(self.upcoming) - 1) // self.view.rows_per_page))
        self.list_page = min(self.list_page, pages - 1)
        if self.detail is not None and self.detail not in self.upcoming:
            self.detail = None
        self.invalidate()               # an event past its end leaves the list

    def frame_rate(self) -> float:
        """Nothing moves: the lists change with a tap or with the clock check (refresh)."""
        return 0.0

    def enter(self) -> None:
        self.refresh()

    def handle_event(self, ev) -> bool:
        return self.view.zones.handle_event(ev)

    def update(self, dt_s: float) -> None:
        self._since_check += dt_s
        if self._since_check >= CLOCK_CHECK_S:
            self._since_check = 0.0
            if self._feed_check is None:
                data_dir = self.ctx.data_dir
                self._feed_check = self.ctx.reader.submit(lambda conn: read_cached_feed(data_dir))
            self.refresh()
        if self._feed_check is not None and self._feed_check.done():
            check, self._feed_check = self._feed_check, None
            if check.exception() is None and self._use_feed(check.result()):
                self.refresh()

    def _use_feed(self, cached: dict | None) -> bool:
        """Show the website's programme if this copy is new and passes the checks; True if it changed."""
        if cached is None or cached.get("fetched_at") == self.source:
            return False
        events, tour, problems = parse_feed(cached["feed"], self.tz)
        if problems:
            log.warning("programme from the website refused, %d problem(s): %s", len(problems), problems[0])
            return False
        self.events, self.tour, self.source = events, tour, cached.get("fetched_at")
        return True

    def draw(self, surface) -> None:
        self.view.draw(surface)

    # -- actions -----------------------------------------------------------------------------
    def set_tab(self, tab: str) -> None:
        self.tab = tab
        self.detail = None

    def open_detail(self, event: AgendaEvent) -> None:
        self.detail = event

    def close_detail(self) -> None:
        self.detail = None

    def next_page(self) -> None:
        self.list_page += 1

    def prev_page(self) -> None:
        self.list_page = max(0, self.list_page - 1)

"""« Au programme »: the venue's events and the exhibition's tour, from content, filtered by the
clock. No pygame.

Times in the content file are local to the venue; they are made time-zone aware with the kiosk's
zone so that comparisons with "now" are right across daylight-saving changes. An event without an
end lasts DEFAULT_DURATION; it stays listed until it ends ("en ce moment"), then disappears.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from kiosk.content import Checker, ContentError, Text, read_content

DEFAULT_DURATION = dt.timedelta(hours=2)
KIND_ICONS = {
    "debat": "message-circle", "cine-debat": "movie", "atelier": "tools", "conference": "presentation",
    "spectacle": "mood-smile", "balade": "walk", "scolaires": "school", "inauguration": "calendar-event",
    "finissage": "users-group",
}
KIND_LABELS = {   # French source strings, translated through the agenda's .po
    "debat": "Débat", "cine-debat": "Ciné-débat", "atelier": "Atelier", "conference": "Conférence",
    "spectacle": "Spectacle", "balade": "Balade", "scolaires": "Scolaires", "inauguration": "Inauguration",
    "finissage": "Finissage",
}
DEPARTEMENTS = {"75": "Paris", "77": "Seine-et-Marne", "78": "Yvelines", "91": "Essonne", "92": "Hauts-de-Seine",
                "93": "Seine-Saint-Denis", "94": "Val-de-Marne", "95": "Val-d’Oise"}


@dataclass(frozen=True)
class AgendaEvent:
    id: str
    kind: str
    title: Text
    start: dt.datetime          # aware, venue time zone
    end: dt.datetime
    place: Text
    audience: Text
    url: str | None = None
    description: Text | None = None

    @property
    def icon(self) -> str:
        return KIND_ICONS[self.kind]

    def qr_url(self, public_url: str) -> str:
        return self.url or f"{public_url.rstrip('/')}/agenda/{self.id}"


@dataclass(frozen=True)
class TourStop:
    departement: str
    venue: str
    city: str
    operator: str
    start: dt.date
    end: dt.date
    here: bool = False

    @property
    def departement_name(self) -> str:
        return DEPARTEMENTS[self.departement]


EVENT_KEYS = {"id", "kind", "title", "start", "end", "place", "audience", "url", "description"}
TOUR_KEYS = {"departement", "venue", "city", "operator", "start", "end", "here"}


def parse_agenda(data: Mapping[str, Any], file: str, tz: ZoneInfo) -> tuple[list[AgendaEvent], list[TourStop], list]:
    check = Checker(file)
    check.unknown_keys(data, "(top level)", {"event", "tour"})
    events: list[AgendaEvent] = []
    ids: set[str] = set()
    for i, raw in enumerate(check.table_list(data, "event", "event", required=False)):
        key = f"event[{i}]"
        check.unknown_keys(raw, key, EVENT_KEYS)
        eid = check.unique_id(raw, key, ids, "event")
        kind = check.string(raw, "kind", key)
        if kind is not None and kind not in KIND_ICONS:
            check.problem(f"{key}.kind", repr(kind), "one of: " + ", ".join(KIND_ICONS))
            kind = None
        start = _datetime(check, raw, "start", key, tz, required=True)
        end = _datetime(check, raw, "end", key, tz, required=False)
        if start is not None and end is not None and end <= start:
            check.problem(f"{key}.end", str(raw["end"]), "a time after start")
        url = check.string(raw, "url", key, required=False)
        if url is not None and not url.startswith(("https://", "http://")):
            check.problem(f"{key}.url", repr(url), "an address starting with https://")
            url = None
        title = check.text(raw, "title", key)
        place = check.text(raw, "place", key)
        audience = check.text(raw, "audience", key)
        description = check.text(raw, "description", key, required=False)
        if eid and kind and start and title and place and audience:
            events.append(AgendaEvent(eid, kind, title, start, end or start + DEFAULT_DURATION, place, audience,
                                      url, description))
    tour: list[TourStop] = []
    for i, raw in enumerate(check.table_list(data, "tour", "tour", required=False)):
        key = f"tour[{i}]"
        check.unknown_keys(raw, key, TOUR_KEYS)
        dep = check.string(raw, "departement", key)
        if dep is not None and dep not in DEPARTEMENTS:
            check.problem(f"{key}.departement", repr(dep), "one of the eight: " + ", ".join(DEPARTEMENTS))
            dep = None
        venue, city = check.string(raw, "venue", key), check.string(raw, "city", key)
        operator = check.string(raw, "operator", key)
        start, end = _date(check, raw, "start", key), _date(check, raw, "end", key)
        if start and end and end < start:
            check.problem(f"{key}.end", str(end), "a date on or after start")
        here = check.boolean(raw, "here", key, False)
        if dep and venue and city and operator and start and end:
            tour.append(TourStop(dep, venue, city, operator, start, end, here))
    if not events and not tour and not check.problems:
        check.problem("(file)", "no [[event]] and no [[tour]]", "at least one event or tour stop")
    return sorted(events, key=lambda e: e.start), sorted(tour, key=lambda s: s.start), check.problems


def _datetime(check: Checker, raw, name, key, tz, *, required: bool) -> dt.datetime | None:
    value = raw.get(name)
    if value is None:
        if required:
            check.problem(f"{key}.{name}", "missing", "a local date and time, e.g. 2026-12-05T15:00:00")
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=tz)
    if isinstance(value, dt.datetime):
        return value.astimezone(tz)
    check.problem(f"{key}.{name}", repr(value), "a local date and time without quotes, e.g. 2026-12-05T15:00:00")
    return None


def _date(check: Checker, raw, name, key) -> dt.date | None:
    value = raw.get(name)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    check.problem(f"{key}.{name}", "missing" if value is None else repr(value), "a date without quotes, e.g. 2026-12-12")
    return None


def load_agenda(name: str, tz: ZoneInfo) -> tuple[list[AgendaEvent], list[TourStop]]:
    file, data, problems = read_content(name)
    if data is None:
        raise ContentError(problems)
    events, tour, problems = parse_agenda(data, file, tz)
    if problems:
        raise ContentError(problems)
    return events, tour


def _from_iso(value: Any, kind: type) -> Any:
    """The website sends dates as ISO 8601 text; the content file's checks expect TOML's date types."""
    if not isinstance(value, str):
        return value
    try:
        return dt.datetime.fromisoformat(value) if kind is dt.datetime else dt.date.fromisoformat(value)
    except ValueError:
        return value           # left as text: the check below says what was expected


def parse_feed(feed: Mapping[str, Any], tz: ZoneInfo) -> tuple[list[AgendaEvent], list[TourStop], list]:
    """The website's programme (GET /api/v1/agenda, kiosk/sync/content_feed.py) checked with exactly the
    rules of agenda.toml."""
    events = [{k: _from_iso(v, dt.datetime) if k in ("start", "end") else v for k, v in e.items()}
              if isinstance(e, dict) else e for e in feed.get("event", [])]
    tour = [{k: _from_iso(v, dt.date) if k in ("start", "end") else v for k, v in t.items()}
            if isinstance(t, dict) else t for t in feed.get("tour", [])]
    return parse_agenda({"event": events, "tour": tour}, "(programme du site)", tz)


def upcoming(events: list[AgendaEvent], now: dt.datetime) -> list[AgendaEvent]:
    """Events not yet over, soonest first: past ones disappear by themselves."""
    return sorted((e for e in events if e.end > now), key=lambda e: e.start)


def is_ongoing(event: AgendaEvent, now: dt.datetime) -> bool:
    return event.start <= now < event.end


def remaining_stops(tour: list[TourStop], today: dt.date) -> list[TourStop]:
    """The stop running today and those to come; past stops are hidden."""
    return [s for s in tour if s.end >= today]

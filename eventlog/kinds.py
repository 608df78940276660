"""The catalogue of event kinds: what each fact in the log means and what its payload holds.

One source of truth for the kiosk (what stations record), statistics (what queries read) and the hub
(which validates every uploaded event against it). Each listed field has a type and bounds: a hostile or
broken kiosk cannot put a negative door count, a 5,000-character wall text or a path in place of a
drawing's hash into the season's totals or onto a public page. Fields not listed are allowed (a newer
kiosk may record more than an older hub knows) but stay plain JSON within the hub's size limits.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Iterable

DAY_S = 86_400.0
ID_CHARS = 128              # names, ids, scenario and question ids
WALL_TEXT_CHARS = 280       # what the wall's keyboard lets a visitor type (stations/wall MAX_TEXT)
MESSAGE_CHARS = 2_000       # error messages (the traceback itself stays in the kiosk's log file)
DOOR_PASSAGES_MAX = 50_000  # one minute's count; passages seen while the kiosk was off land in one minute
BOARD_COUNTER_MAX = 2**32 - 1   # the door counter's totals are uint32


@dataclass(frozen=True)
class Field:
    kind: str                       # text | whole | number | flag | list | object
    required: bool = True
    nullable: bool = False
    low: float | None = None
    high: float | None = None
    max_len: int | None = None      # characters of a text, items of a list
    pattern: re.Pattern | None = None
    choices: tuple[str, ...] | None = None
    items: "Field | None" = None

    def check(self, value: Any) -> str | None:
        """None when the value fits, else what is wrong with it."""
        if value is None:
            return None if self.nullable else "must not be null"
        if self.kind == "flag":
            return None if isinstance(value, bool) else "must be true or false"
        if self.kind in ("whole", "number"):
            return self._check_number(value)
        if self.kind == "text":
            return self._check_text(value)
        if self.kind == "list":
            if not isinstance(value, list):
                return "must be a list"
            if self.max_len is not None and len(value) > self.max_len:
                return f"must hold at most {self.max_len} items"
            for item in value:
                reason = self.items.check(item) if self.items else None
                if reason:
                    return "item " + reason
            return None
        if not isinstance(value, dict):
            return "must be an object"
        if self.max_len is not None and len(value) > self.max_len:
            return f"must hold at most {self.max_len} entries"
        for name, item in value.items():
            if len(name) > ID_CHARS:
                return f"has a name longer than {ID_CHARS} characters"
            reason = self.items.check(item) if self.items else None
            if reason:
                return f"entry {name[:40]!r} {reason}"
        return None

    def _check_number(self, value: Any) -> str | None:
        whole = self.kind == "whole"
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
            return "must be a whole number" if whole else "must be a number"
        if not math.isfinite(value):
            return "must be finite"
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            return f"must be between {self.low:g} and {self.high:g}"
        return None

    def _check_text(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return "must be text"
        if self.max_len is not None and len(value) > self.max_len:
            return f"must be at most {self.max_len} characters"
        if self.pattern is not None and not self.pattern.fullmatch(value):
            return "has the wrong shape"
        if self.choices is not None and value not in self.choices:
            return "must be one of " + ", ".join(self.choices)
        return None


def text(max_len: int = ID_CHARS, *, required: bool = True, nullable: bool = False, pattern: str | None = None,
         choices: tuple[str, ...] | None = None) -> Field:
    return Field("text", required, nullable, max_len=max_len, choices=choices,
                 pattern=None if pattern is None else re.compile(pattern, re.ASCII))


def whole(low: float = 0, high: float = 1_000_000, *, required: bool = True, nullable: bool = False) -> Field:
    return Field("whole", required, nullable, low=low, high=high)


def number(low: float, high: float, *, required: bool = True, nullable: bool = False) -> Field:
    return Field("number", required, nullable, low=low, high=high)


def flag(*, required: bool = True) -> Field:
    return Field("flag", required)


def list_of(item: Field, max_len: int, *, required: bool = True) -> Field:
    return Field("list", required, max_len=max_len, items=item)


def obj(*, required: bool = True) -> Field:
    return Field("object", required)


def table_of(item: Field, max_len: int, *, required: bool = True, nullable: bool = False) -> Field:
    """An object whose every value is an `item` (names: at most ID_CHARS characters)."""
    return Field("object", required, nullable, max_len=max_len, items=item)


SLUG = r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}"      # content ids (kiosk.content checks them): came_by, bike, 93
MINUTE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
SHA256 = r"[0-9a-f]{64}"
LANGUAGE = r"[a-z]{2,3}([_-][A-Za-z0-9]{2,8})?"   # fr, en, pt_BR, and variants kept as folders: fr-falc (easy French)
SENSOR_STATES = ("connected", "offline", "warming_up")
STORAGE_STATES = ("ok", "low", "full", "read-only")
SECONDS = number(0, 2 * DAY_S)
OPENING = r"closed|[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}"
YEARS_S = 10 * 365 * DAY_S

# kind -> {field: Field}; a required field must be present, an optional one may be absent
KINDS: dict[str, dict[str, Field]] = {
    # runtime
    "kiosk.start": {"version": text(64)},
    "kiosk.stop": {"reason": text()},
    "session.start": {},                                        # first touch on the attract loop
    "session.end": {"reason": text(), "duration_s": SECONDS, "stations": list_of(obj(), 100)},
    "station.enter": {},                                        # the station column names it
    "station.exit": {"seconds": SECONDS},
    "error": {"where": text(), "message": text(MESSAGE_CHARS)},  # the traceback stays in the log file
    "mediator.login": {"ok": flag()},
    "language.change": {"lang": text(16, pattern=LANGUAGE)},
    # every five minutes while open (kiosk/health.py); the hub's back office shows it (hub/health.py).
    # Frame times are the drawn frames' working time; cpu_share is of one core (1.0 = a whole core);
    # hours: the kiosk's weekly opening hours ("closed" or "HH:MM-HH:MM"), null when it ignores them
    "kiosk.health": {"version": text(64), "uptime_s": number(0, YEARS_S), "interval_s": SECONDS,
                     "frames": whole(0, 10**8), "frame_ms_p50": number(0, 3_600_000, nullable=True),
                     "frame_ms_p99": number(0, 3_600_000, nullable=True), "cpu_share": number(0, 1024, nullable=True),
                     "rss_mb": number(0, 10**7, nullable=True), "disk_free_share": number(0, 1, nullable=True),
                     "disk_free_mb": number(0, 10**10, nullable=True),
                     # the data disk as the kiosk's watch sees it (kiosk/storage.py): under its reserve, full with
                     # events held in memory, read-only; absent from kiosks older than it
                     "storage": text(16, required=False, choices=STORAGE_STATES),
                     "events_held": whole(0, 10**9, required=False),
                     "upload_backlog": whole(0, 10**10, nullable=True),
                     "oldest_unsent_age_s": number(0, YEARS_S, nullable=True),
                     "sensors": table_of(text(16, choices=SENSOR_STATES), 32), "errors": whole(0, 10**9),
                     "timezone": text(64, required=False),
                     "hours": table_of(text(11, pattern=OPENING), 7, required=False, nullable=True),
                     # the wall clock: {"state": "ok"}, or distrusted (kiosk/store/wall_clock.py): state behind,
                     # ahead or jump, what it reads, the estimated time, correction_s (estimate − reading), since
                     "clock": obj(required=False)},
    # crowd / traffic
    "crowd.attempt": {"scenario": text(), "evacuation_time_s": number(0, DAY_S, nullable=True),
                      "agents": whole(required=False), "agents_remaining": whole(required=False),
                      "changes": list_of(obj(), 1000, required=False)},
    "traffic.tap": {"scenario": text()},
    "traffic.attempt": {"scenario": text()},
    # participatory
    "survey.answer": {"question": text(pattern=SLUG), "choices": list_of(text(pattern=SLUG), 50),
                      "run": text(64, required=False)},
    "survey.complete": {"answered": whole(1, 1000), "run": text(64, required=False)},
    "wall.message": {"question": text(pattern=SLUG), "text": text(WALL_TEXT_CHARS, required=False),
                     "drawing_sha256": text(64, required=False, pattern=SHA256),
                     "flags": list_of(text(32, pattern=SLUG), 20, required=False),
                     "lang": text(16, required=False, pattern=LANGUAGE)},
    "moderation.approved": {"target": text(36, pattern=UUID)},   # target = uuid of the wall.message
    "moderation.rejected": {"target": text(36, pattern=UUID)},
    # sensors
    "footfall.minute": {"sensor": text(), "minute": text(16, pattern=MINUTE),
                        "in": whole(0, DOOR_PASSAGES_MAX), "out": whole(0, DOOR_PASSAGES_MAX),
                        "device": text(64, required=False),      # the board's id from its line
                        "boot_id": text(64, required=False), "seq": whole(0, BOARD_COUNTER_MAX, required=False),
                        "total_in": whole(0, BOARD_COUNTER_MAX, required=False),
                        "total_out": whole(0, BOARD_COUNTER_MAX, required=False)},
    "footfall.state": {"sensor": text(), "device": text(64, required=False), "boot_id": text(64, nullable=True), "seq": whole(0, BOARD_COUNTER_MAX),
                       "total_in": whole(0, BOARD_COUNTER_MAX), "total_out": whole(0, BOARD_COUNTER_MAX)},
    "sensor.air": {"sensor": text(), "minute": text(16, pattern=MINUTE),     # medians of the minute, when known
                   "co2_ppm": number(0, 100_000, required=False), "pm25": number(0, 2_000, required=False),
                   "pm10": number(0, 2_000, required=False)},
    "sensor.status": {"sensor": text(), "state": text(16, choices=SENSOR_STATES)},
    # school groups
    "group.start": {"group_id": text(), "level": text(), "pupils": whole(0, 999),
                    "adults": whole(0, 999), "activity": text(), "label": text(64, required=False)},
    "group.step": {"group_id": text(), "step": whole(0, 10_000)},
    "group.challenge": {"group_id": text(), "metric": text(), "value": number(-1e12, 1e12),
                        "success": flag()},
    "group.end": {"group_id": text(), "reason": text()},
    # sync
    "sync.bundle": {"events": whole(0, 10**9)},
}

# kinds that must carry at least one of these optional fields
ONE_OF: dict[str, tuple[str, ...]] = {"wall.message": ("text", "drawing_sha256")}


def validate_payload(kind: str, payload: Any) -> str | None:
    """None when the payload fits its kind, else a short reason."""
    if kind not in KINDS:
        return f"unknown kind {kind!r}"
    if not isinstance(payload, dict):
        return "payload must be a JSON object"
    for name, spec in KINDS[kind].items():
        if name not in payload:
            if spec.required:
                return f"payload field {name!r} missing for {kind}"
            continue
        reason = spec.check(payload[name])
        if reason:
            return f"payload field {name!r} {reason}"
    wanted = ONE_OF.get(kind)
    if wanted and not any(payload.get(name) for name in wanted):
        return f"{kind} needs one of: " + ", ".join(wanted)
    return None


def count_restarts(rows: Iterable[tuple[str, str]], lo: str, hi: str) -> tuple[int, int]:
    """(starts in [lo, hi), starts among them not preceded by a kiosk.stop since the previous start: a
    crash, a hang the supervisor killed, a power cut), from one kiosk's (ts, kind) rows of kiosk.start and
    kiosk.stop in log order. The kiosk's statistics and the hub's health rules count the same way."""
    starts = unclean = 0
    previous = None
    for ts, kind in rows:
        if ts >= hi:
            break
        if kind == "kiosk.start" and ts >= lo:
            starts += 1
            unclean += previous == "kiosk.start"
        previous = kind
    return starts, unclean

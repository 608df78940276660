"""The results screen's figures: other groups' best scores (anonymous), our place among them, and
the teacher's take-home link. Queries run on the StoreReader thread, never in the frame loop."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from eventlog.shortcode import short_code
from kiosk import formats
from kiosk.store.wall_clock import PLACED

# Best successful score per other group of the same level, on the same challenge, at this venue
# (since the exhibition opened here). The level is in the group's group.start event. Both sides are
# read once through the (kind, placed time) index and matched with IN, which SQLite answers from a temporary
# index: a JOIN on json_extract would compare every challenge with every group (quadratic).
_OTHERS_SQL = """
SELECT json_extract(payload, '$.group_id') AS gid, {agg}(json_extract(payload, '$.value'))
FROM events
WHERE kind = 'group.challenge' AND {placed} >= ?
  AND json_extract(payload, '$.activity') = ? AND json_extract(payload, '$.step') = ?
  AND json_extract(payload, '$.success') = 1 AND json_extract(payload, '$.group_id') <> ?
  AND json_extract(payload, '$.group_id') IN (
      SELECT json_extract(payload, '$.group_id') FROM events
      WHERE kind = 'group.start' AND {placed} >= ? AND json_extract(payload, '$.level') = ?)
GROUP BY gid
"""


def since_utc(opened_on: date | None, tz: ZoneInfo) -> str:
    """The start of the stay at this venue (local midnight of opened_on) as an event timestamp."""
    if opened_on is None:
        return ""
    start = datetime.combine(opened_on, time(0, 0), tzinfo=tz).astimezone(timezone.utc)
    return start.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def other_groups_best(conn: sqlite3.Connection, *, activity: str, step: str, level: str, better: str,
                      since: str, exclude_group: str) -> list[float]:
    agg = "MIN" if better == "lower" else "MAX"
    rows = conn.execute(_OTHERS_SQL.format(agg=agg, placed=PLACED),
                        (since, activity, step, exclude_group, since, level)).fetchall()
    return sorted(float(r[1]) for r in rows if r[1] is not None)


@dataclass(frozen=True)
class Comparison:
    others: int          # other groups of the same level that succeeded here
    did_better: int      # how many of them did strictly better than us

    @property
    def rank(self) -> int:
        return self.did_better + 1


def compare(own: float | None, others: list[float], better: str) -> Comparison | None:
    if own is None:
        return None
    if better == "lower":
        return Comparison(len(others), sum(1 for v in others if v < own))
    return Comparison(len(others), sum(1 for v in others if v > own))


def takehome_code(group_id: str) -> str:
    """The group's short code: the same function as for wall contributions, so the hub finds the
    group from its code as it finds a contribution (group_id is the group's UUIDv7)."""
    return short_code(group_id)


def takehome_url(public_url: str, group_id: str) -> str:
    return f"{public_url.rstrip('/')}/g/{takehome_code(group_id)}"


def format_value(value: float | None, unit: str, lang: str = "fr", near: Iterable[float] = ()) -> str:
    """A score as a pupil reads it: whole numbers when they are large, one decimal (a comma in
    French) below ten, the unit after a space. Near a goal's limit (`near`), as many decimals as it
    takes (two at most) for the shown value to sit on the same side of the limit as the real one:
    135.4 s against « 135 max » reads "135,4 s", never "135 s". Digits and decimal sign are the language's."""
    if value is None:
        return "…"
    digits = 0 if abs(value) >= 10 or float(value).is_integer() else 1
    while digits < 2 and not _same_side(value, round(value, digits), near):
        digits += 1
    return f"{formats.number(value, lang, digits)} {unit}".strip()


def _same_side(value: float, shown: float, limits: Iterable[float]) -> bool:
    def side(x: float, limit: float) -> int:
        return (x > limit) - (x < limit)
    return all(side(value, limit) == side(shown, limit) for limit in limits)

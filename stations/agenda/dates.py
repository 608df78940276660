"""Dates in words for the agenda without relying on the system locale: French and English written here
(« 14 h 30 » is a French sign's style), every other language from Babel's CLDR data."""
from __future__ import annotations

import datetime as dt

from kiosk import formats

DAYS = {"fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
        "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]}
NBSP = "\u00a0"
MONTHS = {"fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre"],
          "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"]}


def day_label(day: dt.date, lang: str, *, weekday: bool = True, year: bool = False) -> str:
    """« samedi 28 novembre » / « Saturday 28 November » / « sábado, 28 de novembro »."""
    if lang not in DAYS:
        return formats.day(day, lang, weekday=weekday, year=year)
    text = f"{day.day}{NBSP}{MONTHS[lang][day.month - 1]}"   # « 9 janvier » never split over two lines
    if weekday:
        text = f"{DAYS[lang][day.weekday()]} {text}"
    if year:
        text += f"{NBSP}{day.year}"
    return text


def clock(t: dt.datetime, lang: str) -> str:
    """« 14 h 30 » (French typography) / « 14:30 »."""
    if lang.split("-")[0] == "fr":
        return f"{t.hour}{NBSP}h{NBSP}{t.minute:02d}" if t.minute else f"{t.hour}{NBSP}h"
    return f"{t.hour}:{t.minute:02d}"


def when_label(start: dt.datetime, end: dt.datetime, lang: str) -> str:
    day = day_label(start.date(), lang)
    day = day[:1].upper() + day[1:]
    if end.date() == start.date():
        return f"{day} · {clock(start, lang)} – {clock(end, lang)}"
    return f"{day} {clock(start, lang)} – {day_label(end.date(), lang)} {clock(end, lang)}"


def range_label(start: dt.date, end: dt.date, lang: str) -> str:
    """« du 17 octobre au 12 décembre 2026 » / « 17 October – 12 December 2026 »."""
    if lang not in DAYS:
        return formats.day_range(start, end, lang)
    a = day_label(start, lang, weekday=False, year=start.year != end.year)
    b = day_label(end, lang, weekday=False, year=True)
    return f"du {a} au {b}" if lang == "fr" else f"{a} – {b}"

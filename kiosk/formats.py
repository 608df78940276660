"""Numbers, percentages, times and dates as each language writes them (Babel, CLDR data): « 10,6 » and
« 35 % » in French, "10.6" and "35%" in English, Western digits in Arabic as in the Maghreb. No pygame."""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_interval, format_time
from babel.numbers import format_decimal, format_percent

from kiosk.i18n import babel_locale

# English as written in Europe ("Tuesday 3 March"), Portuguese of Portugal.
BABEL_LOCALES = {"en": "en_GB", "pt": "pt_PT"}
# Arabic as written in Algeria, Morocco and Tunisia (and on French signs): digits 0-9, not ٠-٩.
NUMBERING = {"ar": "latn"}


@lru_cache(maxsize=None)
def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(BABEL_LOCALES.get(babel_locale(lang), babel_locale(lang)))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("fr")


def _numbering(lang: str) -> str:
    return NUMBERING.get(babel_locale(lang), "default")


def number(value: float, lang: str, decimals: int = 0) -> str:
    """1 234,5 (fr) · 1,234.5 (en) · 1.234,5 (pt, es): grouping and decimal sign of the language."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(round(value, decimals), format=pattern, locale=_locale(lang),
                          numbering_system=_numbering(lang))


def percent(value: float, lang: str) -> str:
    """A share already in percent (35 -> « 35 % », "35%")."""
    return format_percent(value / 100, locale=_locale(lang), numbering_system=_numbering(lang))


def clock(t: dt.time | dt.datetime, lang: str) -> str:
    """A time of day: 14:30 in every language here, « 14 h 30 » being a French sign's style, not CLDR's."""
    return format_time(t, "HH:mm", locale=_locale(lang))


def day(d: dt.date, lang: str, *, weekday: bool = True, year: bool = False) -> str:
    """« mardi 3 mars » · "Tuesday 3 March" · « terça-feira, 3 de março » · « الثلاثاء، 3 مارس »:
    the language's full date, its year left out unless asked for."""
    locale = _locale(lang)
    pattern = (locale.date_formats["full"] if weekday else locale.date_formats["long"]).pattern
    if not year:
        pattern = re.sub(r"[\s,،]*(?:'de'\s*)?y+", "", pattern).strip(" ,،")
    if d.day == 1 and locale.language == "fr":   # « le 1er décembre », never « 1 décembre »
        pattern = re.sub(r"(?<![d'])d(?![d'])", "'1er'", pattern)
    return format_date(d, pattern, locale=locale)


def day_range(start: dt.date, end: dt.date, lang: str) -> str:
    """"17 Oct – 12 Dec 2026", the year once when both days share it; « 1er–12 déc. 2026 » in French."""
    locale = _locale(lang)
    text = format_interval(start, end, "yMMMMd", locale=locale)
    if locale.language == "fr":   # a lone 1 before a month or the range's dash is a first of the month
        text = re.sub(r"(?<![\d,.])1(?=\s*[–-]|\s+[^\d\s–-])", "1er", text)
    return text

"""The website's dates the French way: « 1er mai », months told apart in short (« 3 juin », « 3 juil. »),
« 17 h 00 »; English untouched."""
from __future__ import annotations

import datetime as dt

from django.utils import translation

from hub.site.templatetags.site_tags import clock, day, short_day, when

MAY_DAY = dt.datetime(2026, 5, 1, 15, 0, tzinfo=dt.timezone.utc)


def test_french_dates():
    with translation.override("fr"):
        assert when(MAY_DAY) == "vendredi 1er mai 2026 à 17\u202fh\u202f00"
        assert day(MAY_DAY.date()) == "vendredi 1er mai 2026"
        assert day(dt.date(2026, 5, 11)) == "lundi 11 mai 2026"
        assert short_day(dt.date(2026, 6, 3)) != short_day(dt.date(2026, 7, 3))
        assert short_day(dt.date(2026, 7, 1)) == "1er juil. 2026"
        assert clock(MAY_DAY) == "17\u202fh\u202f00"


def test_english_dates():
    with translation.override("en"):
        assert day(MAY_DAY.date()) == "Friday 1 May 2026"
        assert short_day(dt.date(2026, 7, 3)) == "3 Jul 2026"

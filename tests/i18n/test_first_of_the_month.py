"""French writes the first day of a month « 1er » (« mardi 1er décembre »), other days as numbers; other
languages keep their own way."""
import datetime as dt

import pytest

from kiosk import formats


@pytest.mark.parametrize("lang", ["fr", "fr-falc"])
def test_the_first_of_the_month_in_french(lang):
    assert formats.day(dt.date(2026, 12, 1), lang) == "mardi 1er décembre"
    assert formats.day(dt.date(2027, 1, 1), lang, weekday=False, year=True) == "1er janvier 2027"
    assert formats.day(dt.date(2026, 12, 11), lang) == "vendredi 11 décembre"
    assert formats.day(dt.date(2026, 12, 21), lang) == "lundi 21 décembre"


def test_other_languages_keep_their_numbers():
    assert formats.day(dt.date(2026, 12, 1), "en") == "Tuesday, 1 December"
    assert formats.day(dt.date(2026, 12, 1), "es") == "martes, 1 de diciembre"


def test_a_range_of_days_in_french():
    assert formats.day_range(dt.date(2026, 12, 1), dt.date(2026, 12, 12), "fr") == "1er–12 déc. 2026"
    assert formats.day_range(dt.date(2026, 11, 1), dt.date(2027, 1, 1), "fr") == "1er nov. 2026\u2009–\u20091er janv. 2027"
    assert formats.day_range(dt.date(2026, 10, 11), dt.date(2026, 12, 21), "fr") == "11 oct.\u2009–\u200921 déc. 2026"
    assert formats.day_range(dt.date(2026, 12, 1), dt.date(2026, 12, 12), "en").startswith("1")

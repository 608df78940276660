"""Every visitor-facing string of the participatory stations has its English translation, and the
content files have English text for every question, choice and event."""
import re

import pytest

from kiosk.i18n import parse_po
from kiosk.paths import LOCALE_DIR, PROJECT_ROOT
from stations.agenda.model import KIND_LABELS
from stations.wall.moderation import FLAG_LABELS

CALL = re.compile(r'(?<![A-Za-z])_\(\s*"((?:[^"\\]|\\.)*)"')
PLURAL = re.compile(r'ngettext\(\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)"')
CLASS_TEXT = re.compile(r'^\s*(?:title|teaser) = "((?:[^"\\]|\\.)*)"', re.M)


def msgids(package: str) -> set[str]:
    found: set[str] = set()
    for path in (PROJECT_ROOT / "stations" / package).glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(CALL.findall(text)) | set(CLASS_TEXT.findall(text))
        for singular, plural in PLURAL.findall(text):
            found |= {singular, plural}
    return found


@pytest.mark.parametrize("package,extra", [("survey", set()), ("wall", set(FLAG_LABELS.values())),
                                           ("agenda", set(KIND_LABELS.values()))])
def test_station_strings_are_translated_in_its_own_catalog(package, extra):
    catalog = parse_po((LOCALE_DIR / "en" / "LC_MESSAGES" / f"{package}.po").read_text(encoding="utf-8"))
    wanted = msgids(package) | extra
    assert len(wanted) > 10
    assert sorted(wanted - set(catalog)) == []
    # placeholders survive translation
    for source, english in catalog.items():
        assert set(re.findall(r"{\w+}", source)) == set(re.findall(r"{\w+}", english)), source


def test_content_has_english_everywhere():
    from zoneinfo import ZoneInfo

    from stations.agenda.model import load_agenda
    from stations.survey.model import load_survey
    from stations.wall.model import load_wall

    for q in load_survey("survey.toml"):
        assert q.text.get("en") and q.reading.get("en")
        assert all(c.label.get("en") and (c.phrase or c.reading).get("en") for c in q.choices)
    assert all(q.text.get("en") for q in load_wall("wall.toml")[0])
    events, _ = load_agenda("agenda.toml", ZoneInfo("Europe/Paris"))
    assert all(e.title.get("en") and e.place.get("en") and e.audience.get("en") for e in events)

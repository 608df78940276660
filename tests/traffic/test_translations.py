"""Every French string the station shows has an English translation in traffic.po."""
import re
from pathlib import Path

from kiosk.i18n import parse_po
from stations.traffic.scenario import load_all

PACKAGE = Path(__file__).resolve().parents[2] / "stations" / "traffic"
CATALOG = Path(__file__).resolve().parents[2] / "media" / "locale" / "en" / "LC_MESSAGES" / "traffic.po"


def test_every_visible_string_is_translated():
    english = parse_po(CATALOG.read_text(encoding="utf-8"))
    used = set()
    for source in PACKAGE.glob("*.py"):
        used |= set(re.findall(r'_t?\("([^"]+)"\)', source.read_text(encoding="utf-8")))
    from stations.traffic.station import TrafficStation
    used |= {TrafficStation.title, TrafficStation.teaser, *TrafficStation.metrics.values()}
    for s in load_all():
        used |= {s.title, s.summary}
    missing = sorted(u for u in used if u not in english)
    assert not missing
    for fr, en in english.items():   # placeholders survive translation
        assert set(re.findall(r"{\w+}", fr)) == set(re.findall(r"{\w+}", en))

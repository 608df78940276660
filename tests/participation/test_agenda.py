import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from stations.agenda import Station
from stations.agenda.dates import range_label, when_label
from stations.agenda.model import load_agenda, parse_agenda, remaining_stops, upcoming
from kiosk.content import ContentError
from tests.participation.conftest import Driver

PARIS = ZoneInfo("Europe/Paris")
EVENTS, TOUR = load_agenda("agenda.toml", PARIS)


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


def test_default_content_covers_the_programme_and_the_eight_departements():
    assert {e.kind for e in EVENTS} >= {"debat", "cine-debat", "atelier"}
    assert sorted(s.departement for s in TOUR) == ["75", "77", "78", "91", "92", "93", "94", "95"]
    assert [s.departement for s in TOUR if s.here] == ["93"]
    assert all(e.title.get("en") for e in EVENTS)


def test_past_events_disappear_by_themselves():
    before = upcoming(EVENTS, at(2026, 10, 1, 9, 0))
    assert len(before) == len(EVENTS)
    now = at(2026, 11, 25, 17, 0)
    shown = upcoming(EVENTS, now)
    assert all(e.end > now for e in shown) and len(shown) < len(EVENTS)
    assert shown[0].id == "atelier-foule"                        # the next one comes first
    during = upcoming(EVENTS, at(2026, 11, 28, 15, 0))
    assert during[0].id == "atelier-foule"                       # still on: « en ce moment »
    assert upcoming(EVENTS, at(2026, 11, 28, 16, 30))[0].id == "debat-grand-paris"   # ended: gone
    assert [e.id for e in upcoming(EVENTS, at(2027, 1, 1, 0, 0))] == ["finissage-93"]
    assert upcoming(EVENTS, at(2027, 1, 9, 18, 0)) == []


def test_past_tour_stops_are_hidden():
    stops = remaining_stops(TOUR, dt.date(2026, 11, 25))
    assert stops[0].departement == "93" and "95" not in [s.departement for s in stops]
    assert remaining_stops(TOUR, dt.date(2027, 1, 9))[0].departement == "93"     # last day still shown
    assert remaining_stops(TOUR, dt.date(2027, 1, 10))[0].departement == "94"


def test_station_filters_with_an_injected_clock(make_ctx):
    now = [dt.datetime(2026, 11, 25, 16, 0, tzinfo=dt.timezone.utc)]
    ctx = make_ctx("agenda", Station)
    st = Station(ctx, clock=lambda: now[0])
    drv = Driver(st)
    drv.frame()
    assert st.upcoming[0].id == "atelier-foule" and "atelier-foule" in drv.station.view.qr_rects
    assert drv.rect("event:cine-debat-foules") is None            # 21 November: past
    assert drv.rect("event:finissage-93") is None and drv.rect("prev") is None   # on the second page
    drv.tap("more")
    assert drv.rect("event:finissage-93") is not None and drv.rect("more") is None
    drv.tap("prev")
    drv.tap("event:debat-grand-paris")
    assert st.detail.id == "debat-grand-paris"
    drv.tap("close")
    now[0] = dt.datetime(2026, 11, 28, 15, 31, tzinfo=dt.timezone.utc)   # 16:31 in Paris: workshop over
    drv.frame(31.0)
    assert st.upcoming[0].id == "debat-grand-paris"
    drv.tap("tab:tour")
    assert st.tab == "tour" and [s.departement for s in st.stops][:2] == ["93", "94"]


def test_dates_in_words():
    e = next(e for e in EVENTS if e.id == "cine-debat-trafic")
    assert when_label(e.start, e.end, "fr").replace("\u00a0", " ") == "Samedi 5 décembre · 15 h – 17 h 30"
    assert when_label(e.start, e.end, "en").replace("\u00a0", " ") == "Saturday 5 December · 15:00 – 17:30"
    assert range_label(dt.date(2026, 12, 19), dt.date(2027, 1, 30), "fr") == \
        "du 19\u00a0décembre\u00a02026 au 30\u00a0janvier\u00a02027"


def test_bad_agenda_content_names_file_and_key(tmp_path, make_ctx):
    bad = tmp_path / "agenda-bad.toml"
    bad.write_text('[[event]]\nid = "x"\nkind = "party"\ntitle = "T"\nstart = "demain"\nplace = "P"\n'
                   'audience = "A"\n[[tour]]\ndepartement = "13"\nvenue = "V"\ncity = "C"\noperator = "O"\n'
                   'start = 2027-01-02\nend = 2027-01-01\n', encoding="utf-8")
    problems = Station.check_content({"content": str(bad)}, "stations.agenda")
    assert {p.key for p in problems} == {"event[0].kind", "event[0].start", "tour[0].departement", "tour[0].end"}
    assert all(p.file == str(bad) for p in problems)
    assert Station.check_content({"content": "agenda.toml"}, "stations.agenda") == []
    with pytest.raises(ContentError):
        Station(make_ctx("agenda", Station, config={"content": str(bad)}))
    events, tour, problems = parse_agenda({}, "empty.toml", PARIS)
    assert problems and problems[0].key == "(file)"

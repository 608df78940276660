"""The kiosks' health in the back office: the red/amber/green rules at a fixed moment, then the page and
its JSON through Django's test client (an operator sees its département's kiosks, the coordination all)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from django.utils import translation

from hub.site.health import KioskFacts, assess, open_since
from tests.hub.conftest import assert_index_probes
from tests.site.conftest import event, login

PARIS_HOURS = {"monday": "closed", "tuesday": "10:00-18:00", "wednesday": "10:00-18:00", "thursday": "10:00-18:00",
               "friday": "10:00-18:00", "saturday": "10:00-18:00", "sunday": "closed"}
# Wednesday 25 November 2026, 15:00 in Paris (UTC+1)
NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)


def report(**fields) -> dict:
    base = {"version": "0.1.0", "uptime_s": 3600.0, "interval_s": 300.0, "frames": 900, "frame_ms_p50": 4.0,
            "frame_ms_p99": 12.0, "cpu_share": 0.08, "rss_mb": 180.0, "disk_free_share": 0.62,
            "disk_free_mb": 40_000.0, "upload_backlog": 3, "oldest_unsent_age_s": 20.0,
            "sensors": {"porte": "connected", "air": "connected"}, "errors": 0, "timezone": "Europe/Paris",
            "hours": PARIS_HOURS}
    return base | fields


def facts(seen_minutes_ago: float | None = 2, **kw) -> KioskFacts:
    health = kw.pop("health", report())
    seen = None if seen_minutes_ago is None else NOW - timedelta(minutes=seen_minutes_ago)
    return KioskFacts("93-mediatheque-bobigny-1", "Médiathèque", seen, health, seen, **kw)


def verdict(f: KioskFacts, now: datetime = NOW):
    with translation.override("fr"):
        v = assess(f, now)
        return v.level, [text for _level, text in v.reasons], v.word


def test_a_kiosk_reporting_with_room_and_sensors_is_green():
    level, reasons, word = verdict(facts())
    assert (level, reasons, word) == ("green", [], "En forme")


@pytest.mark.parametrize("seen, level, silent", [(14, "green", ""), (15, "amber", "15 minutes"),
                                                 (29, "amber", "29 minutes"), (30, "red", "30 minutes"),
                                                 (600, "red", "5 heures")])
def test_silence_during_opening_hours_turns_amber_then_red_at_30_minutes(seen, level, silent):
    """Silence counts from the opening at the earliest: at 15:00 a kiosk quiet since last night has been
    silent for the 300 minutes since 10:00."""
    got, reasons, _word = verdict(facts(seen))
    assert got == level
    assert level == "green" or reasons == [f"silencieuse depuis {silent} d’ouverture"]


def test_a_closed_venue_s_silent_kiosk_is_not_an_alarm_and_opening_counts_from_the_opening():
    monday = datetime(2026, 11, 23, 14, 0, tzinfo=timezone.utc)            # closed all day
    assert verdict(facts(24 * 60), monday)[0] == "green"
    evening = datetime(2026, 11, 25, 19, 0, tzinfo=timezone.utc)           # 20:00, closed since 18:00
    assert verdict(facts(130), evening)[0] == "green"
    # Thursday 10:20: last seen at Wednesday's closing; 20 minutes of opening is amber, 30 is red
    assert verdict(facts(16 * 60 + 20), datetime(2026, 11, 26, 9, 20, tzinfo=timezone.utc))[0] == "amber"
    assert verdict(facts(16 * 60 + 30), datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc))[0] == "red"


def test_a_kiosk_that_ignores_hours_is_expected_all_the_time():
    sunday_night = datetime(2026, 11, 29, 2, 0, tzinfo=timezone.utc)
    assert verdict(facts(31, health=report(hours=None)), sunday_night)[0] == "red"
    assert open_since(None, timezone.utc, sunday_night) == (True, None)


@pytest.mark.parametrize("free, level, words", [(0.25, "green", None), (0.15, "amber", "15 % libre"),
                                                (0.099, "red", "10 % libre"), (0.02, "red", "2 % libre")])
def test_disk_under_ten_percent_is_red(free, level, words):
    got, reasons, _word = verdict(facts(health=report(disk_free_share=free)))
    assert got == level
    assert words is None or reasons == [f"disque presque plein : {words}"]


def test_an_offline_sensor_is_red_warming_up_is_not():
    assert verdict(facts(health=report(sensors={"porte": "warming_up", "air": "connected"})))[0] == "green"
    level, reasons, word = verdict(facts(health=report(sensors={"porte": "offline", "air": "connected"})))
    assert (level, reasons, word) == ("red", ["capteur hors ligne : porte"], "Alerte")


@pytest.mark.parametrize("restarts, level", [(0, "green"), (1, "amber"), (3, "amber"), (4, "red")])
def test_more_than_three_unclean_restarts_today_is_red(restarts, level):
    assert verdict(facts(restarts_today=restarts))[0] == level


def test_amber_signs_and_the_worst_reason_first():
    level, reasons, word = verdict(facts(20, health=report(errors=2, frame_ms_p99=180.0, oldest_unsent_age_s=7300.0,
                                                           upload_backlog=900, disk_free_share=0.05)))
    assert (level, word) == ("red", "Alerte")
    assert reasons[0] == "disque presque plein : 5 % libre"
    assert set(reasons[1:]) == {"silencieuse depuis 20 minutes d’ouverture", "2 erreurs dans son dernier bilan",
                                "écran saccadé : 180 ms pour 1 image sur 100",
                                "envoi en retard : 900 événements en attente depuis 2 h"}


def test_a_kiosk_never_heard_of_or_without_reports_is_amber_not_a_false_alarm():
    assert verdict(facts(None, health=None)) == ("amber", ["jamais vue par le site"], "À surveiller")
    level, reasons, _word = verdict(facts(45, health=None))
    assert level == "amber" and "aucun bilan de santé reçu" in reasons


def test_the_words_are_english_on_the_english_back_office():
    with translation.override("en"):
        v = assess(facts(health=report(sensors={"porte": "offline"})), NOW)
        assert v.word == "Alert" and v.reasons[0][1] == "sensor offline: porte"


# -- the page and the JSON -----------------------------------------------------------------------

def _report_events(kiosk_id: str, **fields) -> list[dict]:
    return [event("kiosk.start", {"version": "0.1.0"}, kiosk_id=kiosk_id, minutes_ago=0.5, session_id=None),
            event("kiosk.health", report(hours=None, **fields), kiosk_id=kiosk_id, minutes_ago=0.2, session_id=None)]


def test_operators_see_their_departement_s_kiosks_and_the_coordination_all(site_hub, client):
    answer = site_hub.post(_report_events("kiosk-test", disk_free_share=0.04))
    assert answer.status_code == 200 and {v["status"] for v in answer.json()["results"]} == {"created"}, answer.json()
    other = site_hub.post(_report_events("kiosk-other"), token=site_hub.other_token)
    assert {v["status"] for v in other.json()["results"]} == {"created"}

    assert client.get("/gestion/sante/").status_code == 302                  # the login page first
    assert client.get("/gestion/sante.json").status_code == 401
    login(client, "operateur-93", site_hub.logins["operateur-93"])
    page = client.get("/gestion/sante/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert "kiosk-test" in text and "kiosk-other" not in text
    assert "■</span> Alerte" in text and "disque presque plein : 4 % libre" in text
    mine = client.get("/gestion/sante.json").json()
    assert [k["name"] for k in mine["kiosks"]] == ["kiosk-test"]
    (line,) = mine["kiosks"]
    assert line["level"] == "red" and line["departement"] == "93" and line["health"]["disk_free_share"] == 0.04
    assert line["reasons"] == [{"level": "red", "text": "disque presque plein : 4 % libre"}]
    assert line["last_seen"] and line["restarts_today"] == 0

    client.logout()
    login(client, "coordination", site_hub.logins["coordination"])
    everyone = client.get("/gestion/sante.json").json()
    levels = {k["name"]: k["level"] for k in everyone["kiosks"]}
    assert levels["kiosk-test"] == "red" and levels["kiosk-other"] == "green"
    assert [k["name"] for k in everyone["kiosks"]][0] == "kiosk-test"        # the alarms first
    english = client.get("/en/gestion/sante/").content.decode()
    assert "Alert" in english and "Kiosk health" in english


def test_restarts_today_are_counted_from_the_kiosks_start_and_stop_events(site_hub, client):
    starts = [event("kiosk.start", {"version": "0.1.0"}, minutes_ago=0.6 - i / 10, session_id=None) for i in range(5)]
    site_hub.post(starts + [event("kiosk.health", report(hours=None), minutes_ago=0.05, session_id=None)])
    login(client, "coordination", site_hub.logins["coordination"])
    (line,) = [k for k in client.get("/gestion/sante.json").json()["kiosks"] if k["name"] == "kiosk-test"]
    assert line["restarts_today"] == 4 and line["level"] == "red"
    assert line["reasons"] == [{"level": "red", "text": "4 redémarrages imprévus aujourd’hui"}]


def test_the_health_page_is_linked_from_every_back_office_page(site_hub, client):
    login(client, "operateur-94", site_hub.logins["operateur-94"])
    assert 'href="/gestion/sante/"' in client.get("/gestion/").content.decode()
    assert json.loads(client.get("/gestion/sante.json").content)["version"] == 1


def test_each_kiosk_s_facts_are_index_probes(site_hub):
    from hub.site.health import LAST_REPORT, LAST_RESTART, STARTS_STOPS

    assert_index_probes({"last report": LAST_REPORT.replace("%s", "'k'")}, "events_kiosk_health")
    assert_index_probes({name: sql.replace("%s", "'k'") for name, sql in
                         {"last restart": LAST_RESTART, "starts": STARTS_STOPS}.items()}, "events_kiosk_restarts")


@pytest.mark.parametrize("fields, words", [
    ({"storage": "low", "events_held": 0}, "disque sous sa réserve : les dessins des visiteurs ne sont plus enregistrés"),
    ({"storage": "full", "events_held": 1}, "disque plein : 1 événement gardé en mémoire"),
    ({"storage": "full", "events_held": 302}, "disque plein : 302 événements gardés en mémoire"),
    ({"storage": "read-only", "events_held": 5}, "disque en lecture seule : 5 événements gardés en mémoire")])
def test_a_disk_under_its_reserve_full_or_read_only_is_red_whatever_its_share(fields, words):
    level, reasons, word = verdict(facts(health=report(**fields)))      # 62 % free: a big disk, yet refused
    assert (level, reasons, word) == ("red", [words], "Alerte")
    assert verdict(facts(health=report(storage="ok", events_held=0)))[0] == "green"
    with translation.override("en"):
        assert assess(facts(health=report(storage="full", events_held=2)), NOW).reasons[0][1] == \
            "disk full: 2 events held in memory"

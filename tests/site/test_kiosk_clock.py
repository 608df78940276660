"""A kiosk that distrusts its wall clock is amber on the health page, saying which way and by how much,
and its reports, filed at the kiosk's estimate of the time, count as signs of life (not a 1970 silence)."""
from __future__ import annotations

from django.utils import translation

from hub.site.health import assess
from tests.site.conftest import event, login
from tests.site.test_kiosk_health import NOW, facts, report, verdict

THREE_DAYS = 3 * 86_400


def clock(state: str, correction_s: int) -> dict:
    return {"state": state, "reads": "1970-01-01T00:00:00.000Z", "estimated": "2026-11-25T14:00:00.000Z",
            "correction_s": correction_s, "since": "2026-11-25T13:00:00.000Z"}


def test_a_distrusted_clock_is_amber_with_which_way_and_by_how_much():
    assert verdict(facts(health=report(clock={"state": "ok"})))[0] == "green"
    level, reasons, _word = verdict(facts(health=report(clock=clock("jump", -THREE_DAYS))))
    assert (level, reasons) == ("amber", ["horloge de la borne en avance de 3 jours : vérifier sa mise à l’heure"])
    _level, reasons, _word = verdict(facts(health=report(clock=clock("behind", 20_000 * 86_400))))
    assert reasons == ["horloge de la borne en retard de 20000 jours : vérifier sa mise à l’heure"]
    _level, reasons, _word = verdict(facts(health=report(clock=clock("jump", 30))))
    assert reasons == ["horloge de la borne fausse : vérifier sa mise à l’heure"]
    with translation.override("en"):
        v = assess(facts(health=report(clock=clock("jump", -THREE_DAYS))), NOW)
        assert v.reasons[0][1] == "kiosk clock 3 days ahead: check its time setting"


def test_the_health_page_shows_a_kiosk_reporting_from_1970_as_amber_and_alive(site_hub, client):
    reports = []
    for kind, payload, minutes in (("kiosk.start", {"version": "0.1.0"}, 0.5),
                                   ("kiosk.health", report(hours=None, clock=clock("behind", 20_000 * 86_400)), 0.2)):
        e = event(kind, payload, minutes_ago=minutes, session_id=None)
        reports.append(dict(e, ts="1970-01-01T00:05:00.000Z",
                            clock={"flag": "behind", "estimated_ts": e["ts"], "run": "r", "mono_ms": 300_000}))
    answer = site_hub.post(reports)
    assert {v["status"] for v in answer.json()["results"]} == {"created"}, answer.json()
    login(client, "coordination", site_hub.logins["coordination"])
    (line,) = [k for k in client.get("/gestion/sante.json").json()["kiosks"] if k["name"] == "kiosk-test"]
    assert line["level"] == "amber"
    assert line["reasons"] == [{"level": "amber",
                                "text": "horloge de la borne en retard de 20000 jours : vérifier sa mise à l’heure"}]
    assert line["last_seen"] == reports[1]["clock"]["estimated_ts"]
    page = client.get("/gestion/sante/").content.decode()
    assert "▲</span> À surveiller" in page and "horloge de la borne en retard" in page

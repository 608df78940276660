"""The public site on the demo season: every page answers in French and English, filters, contributions
from the kiosks' log, moderation on the hub, iCalendar and the kiosks' content feed."""
from __future__ import annotations

import hashlib
import html
import re

import pytest
from icalendar import Calendar

from eventlog.shortcode import short_code
from tests.site.conftest import event

PAGES = ["/", "/itinerance/", "/agenda/", "/agenda/?quand=passes", "/actualites/", "/ressources/",
         "/contributions/", "/resultats/", "/retrait/", "/lieux/mediatheque-bobigny/",
         "/actualites/actualite-93-1/", "/agenda/inauguration-mediatheque-bobigny-0"]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_page_answers_with_one_title_one_h1_and_its_language(season, client, prefix):
    for path in PAGES:
        answer = client.get(prefix + path)
        assert answer.status_code == 200, path
        page = answer.content.decode()
        assert f'<html lang="{prefix.strip("/") or "fr"}">' in page, path
        assert page.count("<title>") == 1 and page.count("<h1") == 1, path
        assert "default-src 'none'" in answer["Content-Security-Policy"] and "script-src" not in \
            answer["Content-Security-Policy"]
        assert not re.search(r'(src|href)="https?://(?!creativecommons|www\.etalab|www\.[a-z-]+\.(org|fr|com))', page)


def test_home_says_where_the_exhibition_is_and_what_comes_next(season, client):
    page = html.unescape(client.get("/").content.decode())
    assert "En ce moment" in page and "Médiathèque de Bobigny" in page
    assert "Prochaine étape" in page and "Vitry-sur-Seine" in page
    english = html.unescape(client.get("/en/").content.decode())
    assert "Now showing" in english and "Next stop" in english


def test_tour_map_is_drawn_from_the_shipped_boundaries(season, client):
    page = client.get("/itinerance/").content.decode()
    assert page.count('<path class="dep') == 8 and page.count("<circle") == 8
    assert 'href="#dep-93"' in page and 'id="dep-93"' in page and "dep-now" in page


def test_agenda_filters_by_venue_type_and_time(season, client):
    listing = html.unescape(client.get("/agenda/?lieu=mediatheque-bobigny&type=atelier").content.decode())
    listing = listing.split("</form>")[1].split("<footer")[0]
    assert "compte les passants" in listing and "(94)" not in listing and "Ciné-débat" not in listing
    past = html.unescape(client.get("/agenda/?quand=passes").content.decode())
    assert "Inauguration" in past   # the first stop's events are over
    assert client.get("/agenda/?page=999").status_code == 404
    assert client.get("/agenda/?lieu=<script>&type=x&page=abc").status_code == 200


def test_icalendar_feeds_parse_and_answer_304_when_unchanged(season, client):
    from hub.site.models import AgendaEvent

    answer = client.get("/agenda.ics")
    assert answer["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(answer.content)
    events = calendar.walk("VEVENT")
    assert len(events) == AgendaEvent.objects.count() == 72
    first = next(e for e in events if str(e["uid"]) == "inauguration-mediatheque-bobigny-0@qsec2")
    assert str(first["url"]).endswith("/agenda/inauguration-mediatheque-bobigny-0")
    assert first.decoded("dtstart").tzinfo is not None and calendar.walk("VTIMEZONE")
    assert client.get("/agenda.ics", HTTP_IF_NONE_MATCH=answer["ETag"]).status_code == 304
    venue = Calendar.from_ical(client.get("/lieux/mediatheque-bobigny/agenda.ics").content)
    assert len(venue.walk("VEVENT")) == 9


def test_the_kiosks_feed_is_versioned_with_an_etag(site_hub):
    answer = site_hub.client.get("/api/v1/agenda", headers=site_hub.auth())
    feed = answer.json()
    assert feed["version"] == 1 and feed["venue"] == "mediatheque-bobigny"
    assert {e["id"].split("-mediatheque-bobigny")[0] for e in feed["event"]} <= {
        "atelier", "cine-debat", "debat", "scolaires", "balade", "finissage", "inauguration"}
    assert [s["here"] for s in feed["tour"]].count(True) == 1 and len(feed["tour"]) == 8
    again = site_hub.client.get("/api/v1/agenda", headers={**site_hub.auth(), "If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    national = site_hub.client.get("/api/v1/agenda").json()
    assert national["venue"] is None and len(national["event"]) > len(feed["event"])
    assert site_hub.client.get("/api/v1/agenda?lieu=nowhere").status_code == 404


def _approved_message(hub, text: str, *, kiosk: str = "kiosk-test", token=None, drawing: bytes | None = None):
    payload = {"question": "ville_ideale", "text": text}
    if drawing:
        sha = hashlib.sha256(drawing).hexdigest()
        hub.client.put(f"/api/v1/files/{sha}", content=drawing, headers=hub.auth(token))
        payload["drawing_sha256"] = sha
    message = event("wall.message", payload, station="wall", minutes_ago=30, kiosk_id=kiosk)
    decision = event("moderation.approved", {"target": message["uuid"]}, minutes_ago=20, kiosk_id=kiosk)
    assert hub.post([message, decision], token=token).json()["counts"]["created"] == 2
    return short_code(message["uuid"])


def test_gallery_filters_by_venue_and_links_each_contribution(site_hub):
    here = _approved_message(site_hub, "Des trottoirs plus larges", drawing=b"\x89PNG\r\n\x1a\n" + b"x" * 100)
    there = _approved_message(site_hub, "Un pont pour les vélos", kiosk="kiosk-other", token=site_hub.other_token)
    pending = event("wall.message", {"question": "ville_ideale", "text": "Pas encore relu"}, station="wall")
    site_hub.post([pending])
    page = html.unescape(site_hub.client.get("/contributions/").text)
    assert "Des trottoirs plus larges" in page and "Un pont pour les vélos" in page and "Pas encore relu" not in page
    assert f'href="/c/{here}"' in page and f'src="/c/{here}/drawing.png"' in page
    only_vitry = html.unescape(site_hub.client.get("/contributions/?lieu=mediatheque-vitry").text)
    assert "Un pont pour les vélos" in only_vitry and "Des trottoirs plus larges" not in only_vitry
    venue = html.unescape(site_hub.client.get("/lieux/mediatheque-bobigny/").text)
    assert "Des trottoirs plus larges" in venue and "Un pont" not in venue
    assert site_hub.client.get(f"/c/{there}").status_code == 200


def test_a_visitors_takedown_hides_the_contribution_at_once(site_hub):
    code = _approved_message(site_hub, "Mon message à retirer")
    assert "Mon message à retirer" in site_hub.client.get(f"/c/{code}").text
    form = site_hub.client.get("/retrait/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    done = site_hub.client.post("/retrait/", data={"csrfmiddlewaretoken": token, "code": code.lower(), "reason": ""},
                                headers={"Origin": "https://testserver"}, follow_redirects=False)
    assert done.status_code == 302 and done.headers["location"].endswith("/retrait/merci/")
    gone = site_hub.client.get(f"/c/{code}")
    assert gone.status_code == 200 and "Mon message à retirer" not in gone.text
    assert gone.headers["cache-control"] == "no-store"
    assert "Mon message à retirer" not in site_hub.client.get("/contributions/").text
    assert "Mon message à retirer" not in site_hub.client.get("/lieux/mediatheque-bobigny/").text
    # without the CSRF token the form is refused
    assert site_hub.client.post("/retrait/", data={"code": code}, headers={"Origin": "https://testserver"}
                                ).status_code == 403


def test_takedown_of_an_unknown_code_says_so(site_hub):
    page = site_hub.client.get("/retrait/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = site_hub.client.post("/retrait/", data={"csrfmiddlewaretoken": token, "code": "23456789AB"},
                                  headers={"Origin": "https://testserver"})
    assert answer.status_code == 200 and "Aucune contribution au mur ne porte ce code" in html.unescape(answer.text)


def test_survey_results_venue_by_venue(site_hub):
    answers = [event("survey.answer", {"question": "q_transport", "choices": ["bus"], "run": "r1"}, station="survey")]
    site_hub.post(answers)
    other = [event("survey.answer", {"question": "q_transport", "choices": ["velo"], "run": "r2"}, station="survey",
                   kiosk_id="kiosk-other")]
    site_hub.post(other, token=site_hub.other_token)
    page = html.unescape(site_hub.client.get("/resultats/").text)
    assert "Bobigny" in page and "Vitry-sur-Seine" in page and "100\u00a0%" in page


def test_resources_list_licences_and_serve_files_typed_from_their_bytes(season, client):
    page = html.unescape(client.get("/ressources/").content.decode())
    assert "CC BY-SA 4.0" in page and "Tous droits réservés" in page
    from hub.site.models import Resource

    item = Resource.objects.exclude(file="").first()
    answer = client.get(f"/ressources/{item.pk}/fichier")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert b"".join(answer.streaming_content).startswith(b"%PDF-")
    assert "sandbox" in answer["Content-Security-Policy"]

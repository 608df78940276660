"""The partners' back office (Django's admin at /gestion/): an operator edits its own département only,
the national coordination everything; the kiosk registry; moderation by code."""
from __future__ import annotations

import html
import re

from django.utils import timezone

from hub.db import hash_token
from tests.site.conftest import event, login


def _event_form(venue_id: int, slug: str) -> dict:
    start = timezone.localtime() + timezone.timedelta(days=3)
    return {"venue": venue_id, "kind": "debat", "title": "Débat : le vélo en hiver", "slug": slug,
            "starts_0": start.strftime("%d/%m/%Y"), "starts_1": "18:30:00",
            "ends_0": start.strftime("%d/%m/%Y"), "ends_1": "20:00:00",
            "place": "Auditorium", "audience": "Tout public", "description": "", "booking": "", "published": "on",
            "title_en": "", "place_en": "", "audience_en": "", "description_en": "", "_save": "Enregistrer"}


def test_an_operator_creates_an_event_of_its_departement_and_it_is_published(season, client):
    from hub.site.models import AgendaEvent, Venue

    login(client, "operateur-93", season["operateur-93"])
    venue = Venue.objects.get(slug="mediatheque-bobigny")
    form = client.get("/gestion/site/agendaevent/add/").content.decode()
    assert "Médiathèque de Bobigny" in html.unescape(form) and "Vitry" not in form   # only its own venues
    answer = client.post("/gestion/site/agendaevent/add/", _event_form(venue.id, "velo-hiver"))
    assert answer.status_code == 302, answer.content.decode()[:3000]
    assert AgendaEvent.objects.get(slug="velo-hiver").venue == venue
    assert "le vélo en hiver" in html.unescape(client.get("/agenda/").content.decode())
    assert b"velo-hiver@qsec2" in client.get("/agenda.ics").content
    # another département's venue is refused, even when posted by hand
    other = Venue.objects.get(slug="mediatheque-vitry")
    refused = client.post("/gestion/site/agendaevent/add/", _event_form(other.id, "pas-chez-moi"))
    assert refused.status_code == 200 and not AgendaEvent.objects.filter(slug="pas-chez-moi").exists()


def test_an_operator_cannot_open_or_change_another_departements_event(season, client):
    from hub.site.models import AgendaEvent

    login(client, "operateur-93", season["operateur-93"])
    theirs = AgendaEvent.objects.filter(venue__departement_id="94").first()
    assert client.get(f"/gestion/site/agendaevent/{theirs.pk}/change/").status_code == 403
    data = _event_form(theirs.venue_id, theirs.slug)
    assert client.post(f"/gestion/site/agendaevent/{theirs.pk}/change/", data).status_code == 403
    assert client.post(f"/gestion/site/agendaevent/{theirs.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AgendaEvent.objects.get(pk=theirs.pk).title == theirs.title
    listing = html.unescape(client.get("/gestion/site/agendaevent/").content.decode())
    assert "Bobigny" in listing and "Vitry" not in listing
    assert client.get("/gestion/auth/user/").status_code == 403                  # accounts: national only
    mine = AgendaEvent.objects.filter(venue__departement_id="93").first()
    assert client.get(f"/gestion/site/agendaevent/{mine.pk}/change/").status_code == 200


def test_the_national_coordination_edits_every_departement(season, client):
    from hub.site.models import AgendaEvent

    login(client, "coordination", season["coordination"])
    theirs = AgendaEvent.objects.filter(venue__departement_id="94").first()
    assert client.get(f"/gestion/site/agendaevent/{theirs.pk}/change/").status_code == 200
    assert client.get("/gestion/auth/user/").status_code == 200


def test_visitors_and_wrong_passwords_do_not_get_in(season, client):
    assert client.get("/gestion/").status_code == 302
    assert not client.login(username="operateur-93", password="wrong")
    page = client.get("/gestion/login/")
    assert page.status_code == 200 and b"csrfmiddlewaretoken" in page.content


def test_the_kiosk_registry_shows_a_token_once_and_keeps_its_hash(season, client):
    from hub.site.models import Kiosk, Venue

    login(client, "operateur-93", season["operateur-93"])
    venue = Venue.objects.get(slug="mediatheque-bobigny")
    answer = client.post("/gestion/site/kiosk/add/", {"name": "93-mediatheque-bobigny-2", "venue": "Médiathèque",
                                                      "place": venue.id, "_save": "Enregistrer"}, follow=True)
    page = html.unescape(answer.content.decode())
    token = re.search(r"<code>([A-Za-z0-9_-]{40,})</code>", page).group(1)
    kiosk = Kiosk.objects.get(name="93-mediatheque-bobigny-2")
    assert kiosk.token_hash == hash_token(token) and kiosk.place == venue
    assert token not in client.get(f"/gestion/site/kiosk/{kiosk.pk}/change/").content.decode()


def test_a_moderator_takes_down_a_contribution_of_its_departement(site_hub, client):
    from hub.site.models import Takedown

    message = event("wall.message", {"question": "ville_ideale", "text": "À retirer par la médiation"}, station="wall")
    site_hub.post([message, event("moderation.approved", {"target": message["uuid"]})])
    from eventlog.shortcode import short_code

    code = short_code(message["uuid"])
    login(client, "operateur-94", site_hub.logins["operateur-94"])       # not its département: refused
    assert client.post("/gestion/site/takedown/add/", {"code": code, "reason": "x"}).status_code == 403
    login(client, "operateur-93", site_hub.logins["operateur-93"])
    answer = client.post("/gestion/site/takedown/add/", {"code": code, "reason": "propos hors sujet"})
    assert answer.status_code == 302
    assert Takedown.objects.get().requested_by == Takedown.BY_MODERATOR
    assert "À retirer par la médiation" not in site_hub.client.get(f"/c/{code}").text


def _resource_form(departement: str, upload) -> dict:
    return {"departement": departement, "title": "Fiche : le trafic en classe", "kind": "fiche", "licence": "cc-by",
            "author": "Science Ouverte", "description": "", "link": "", "published_on": "01/12/2026",
            "title_en": "", "description_en": "", "file": upload, "_save": "Enregistrer"}


def test_resource_uploads_are_typed_from_their_bytes_and_size_limited(season, client, settings):
    import dataclasses

    from django.core.files.uploadedfile import SimpleUploadedFile

    from hub.site.models import Resource

    login(client, "operateur-93", season["operateur-93"])
    settings.HUB = dataclasses.replace(settings.HUB, max_upload_bytes=2000)
    page = b"<html><script>alert(1)</script></html>"
    refused = client.post("/gestion/site/resource/add/", _resource_form("93", SimpleUploadedFile("fiche.pdf", page)))
    assert refused.status_code == 200 and "Type de fichier refusé" in html.unescape(refused.content.decode())
    big = SimpleUploadedFile("gros.pdf", b"%PDF-1.4\n" + b"x" * 3000)
    refused = client.post("/gestion/site/resource/add/", _resource_form("93", big))
    assert "Fichier trop lourd" in html.unescape(refused.content.decode())
    good = SimpleUploadedFile("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"p" * 100)   # a PNG whatever its name
    assert client.post("/gestion/site/resource/add/", _resource_form("93", good)).status_code == 302
    item = Resource.objects.get(title="Fiche : le trafic en classe")
    assert item.file_type == "png" and item.file.name.endswith(".png") and "photo" not in item.file.name
    assert client.get(f"/ressources/{item.pk}/fichier")["Content-Type"] == "image/png"

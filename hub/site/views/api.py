"""The content feed the kiosks' « Au programme » station reads: GET /api/v1/agenda.

Versioned by its path and its `version` field; answered with a strong ETag over the exact body, so a
kiosk asking again with If-None-Match gets 304 and no body. With a kiosk's bearer token (or ?lieu=slug)
the events are those of the kiosk's venue and its tour stop is marked `here`; without, every venue's.
The shape is the one of config/content/agenda.toml (stations/agenda/model.py checks it the same way),
dates as ISO 8601 text with the venue's offset.
"""
from __future__ import annotations

import hashlib
import json
import re

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils import timezone
from django.utils.http import parse_etags
from django.views.decorators.http import require_GET

from hub.db import Db, kiosk_for_token
from hub.site.models import AgendaEvent, Kiosk, TourStop, Venue

FEED_VERSION = 1
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}", re.ASCII)
PAST_DAYS = 1      # events over for more than a day are left out: the kiosk hides past events anyway


def _text(obj, name: str) -> dict[str, str]:
    value = {"fr": getattr(obj, name)}
    if getattr(obj, f"{name}_en", ""):
        value["en"] = getattr(obj, f"{name}_en")
    return value


def _venue_of_request(request) -> Venue | None | str:
    slug = request.GET.get("lieu")
    if slug:
        if not SLUG.fullmatch(slug):
            return "unknown"
        return Venue.objects.filter(slug=slug).first() or "unknown"
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and 0 < len(token.strip()) <= 256:
        row = kiosk_for_token(Db(), token.strip())
        if row is None:
            return "unknown"
        kiosk = Kiosk.objects.select_related("place").get(name=row[0])
        return kiosk.place
    return None


def feed(venue: Venue | None) -> dict:
    base = settings.HUB.public_url.rstrip("/")
    since = timezone.now() - timezone.timedelta(days=PAST_DAYS)
    events = AgendaEvent.objects.filter(published=True, ends__gte=since).select_related("venue").order_by("starts")
    if venue is not None:
        events = events.filter(venue=venue)
    out_events = []
    for item in events:
        place = _text(item, "place") if item.place else {"fr": item.venue.name}
        if venue is None:   # a national list: say where
            place = {lang: f"{text} — {item.venue.name}, {item.venue.town}" if item.place else
                     f"{item.venue.name}, {item.venue.town}" for lang, text in place.items()}
        entry = {"id": item.slug, "kind": item.kind, "title": _text(item, "title"),
                 "start": timezone.localtime(item.starts).isoformat(), "end": timezone.localtime(item.ends).isoformat(),
                 "place": place, "audience": _text(item, "audience"), "url": base + item.get_absolute_url()}
        if item.description:
            entry["description"] = _text(item, "description")
        out_events.append(entry)
    tour = [{"departement": stop.venue.departement_id, "venue": stop.venue.name, "city": stop.venue.town,
             "operator": stop.venue.departement.operator, "start": stop.starts.isoformat(),
             "end": stop.ends.isoformat(), "here": venue is not None and stop.venue_id == venue.pk}
            for stop in TourStop.objects.select_related("venue__departement").order_by("starts")]
    return {"version": FEED_VERSION, "venue": venue.slug if venue else None, "event": out_events, "tour": tour}


@require_GET
def agenda_feed(request):
    venue = _venue_of_request(request)
    if venue == "unknown":
        return JsonResponse({"error": "unknown venue or kiosk token"}, status=404)
    body = json.dumps(feed(venue), ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Authorization"}
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json")
    for name, value in headers.items():
        response.headers[name] = value
    return response

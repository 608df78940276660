"""The events agenda: the list (by date, venue and type, past or to come), a page per event (the kiosks'
event QR codes open it), iCalendar feeds made with the `icalendar` library (all events, per venue)."""
from __future__ import annotations

import hashlib
import math

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import condition
from icalendar import Calendar
from icalendar import Event as ICalEvent

from hub.site.models import AgendaEvent, Venue
from hub.site.views.common import page_number

PAGE_SIZE = 20


def agenda(request):
    now = timezone.now()
    events = AgendaEvent.objects.filter(published=True).select_related("venue__departement")
    venues = list(Venue.objects.filter(events__published=True).distinct().order_by("name"))
    chosen = next((v for v in venues if v.slug == request.GET.get("lieu")), None)
    kind = request.GET.get("type", "")
    past = request.GET.get("quand") == "passes"
    if chosen:
        events = events.filter(venue=chosen)
    if kind in dict(AgendaEvent.KINDS):
        events = events.filter(kind=kind)
    else:
        kind = ""
    events = events.filter(ends__lt=now).order_by("-starts") if past else events.filter(ends__gte=now).order_by("starts")
    count = events.count()
    pages = max(1, math.ceil(count / PAGE_SIZE))
    number = page_number(request, pages)
    query = "&".join(f"{k}={v}" for k, v in (("lieu", chosen.slug if chosen else ""), ("type", kind),
                                             ("quand", "passes" if past else "")) if v)
    return render(request, "site/agenda.html", {
        "events": events[(number - 1) * PAGE_SIZE:number * PAGE_SIZE], "count": count, "venues": venues,
        "chosen": chosen, "kinds": AgendaEvent.KINDS, "kind": kind, "past": past, "page": number, "pages": pages,
        "query": query,
    })


def event(request, slug: str):
    item = get_object_or_404(AgendaEvent.objects.select_related("venue__departement"), slug=slug, published=True)
    others = (AgendaEvent.objects.filter(published=True, venue=item.venue, ends__gte=timezone.now())
              .exclude(pk=item.pk).order_by("starts")[:3])
    return render(request, "site/event.html", {"event": item, "others": others})


# -- iCalendar -----------------------------------------------------------------------------------
def _feed_events(venue_slug: str | None):
    events = AgendaEvent.objects.filter(published=True).select_related("venue")
    return events.filter(venue__slug=venue_slug) if venue_slug else events


def _feed_etag(request, slug: str | None = None) -> str:
    """Changes whenever an event of the feed is added, edited, unpublished or removed."""
    events = AgendaEvent.objects.filter(venue__slug=slug) if slug else AgendaEvent.objects.all()
    stamp = [(e.pk, e.updated_at.isoformat(), e.published) for e in events.only("pk", "updated_at", "published")]
    return hashlib.sha256(repr((slug, request.LANGUAGE_CODE, stamp)).encode()).hexdigest()[:32]


def _calendar(name: str, events) -> bytes:
    base = settings.HUB.public_url.rstrip("/")
    calendar = Calendar()
    calendar.add("prodid", "-//QSEC2//Mobilites//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for item in events:
        entry = ICalEvent()
        entry.add("uid", f"{item.slug}@qsec2")
        entry.add("summary", item.tr("title"))
        entry.add("dtstart", timezone.localtime(item.starts))
        entry.add("dtend", timezone.localtime(item.ends))
        entry.add("dtstamp", item.updated_at)
        entry.add("last-modified", item.updated_at)
        entry.add("location", ", ".join(filter(None, [item.tr("place"), item.venue.name, item.venue.address,
                                                      item.venue.town])))
        entry.add("geo", (item.venue.latitude, item.venue.longitude))
        entry.add("categories", [item.get_kind_display()])
        entry.add("description", "\n\n".join(filter(None, [item.tr("description"), item.tr("audience"),
                                                           item.booking])))
        entry.add("url", base + item.get_absolute_url())
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@condition(etag_func=lambda request: _feed_etag(request))
def calendar_all(request):
    return _ics(_calendar(_("QSEC² — agenda de l’exposition Mobilités"), _feed_events(None)), "qsec2-agenda.ics")


@condition(etag_func=lambda request, slug: _feed_etag(request, slug))
def calendar_venue(request, slug: str):
    place = get_object_or_404(Venue, slug=slug)
    return _ics(_calendar(f"QSEC² — {place.name}", _feed_events(slug)), f"qsec2-{slug}.ics")

"""The public site's pages: home, the tour, venues, news, resources, contributions, survey results."""
from __future__ import annotations

import math

from django.conf import settings
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language

from hub.content import load_labels, text_of
from hub.site import map as idf_map
from hub.site import queries
from hub.site.models import AgendaEvent, Departement, NewsPost, Resource, TourStop, Venue
from hub.site.uploads import CONTENT_TYPES
from hub.site.views.common import db, page_number

PAGE_SIZE = 24


def _upcoming_events(**filters):
    return (AgendaEvent.objects.filter(published=True, ends__gte=timezone.now(), **filters)
            .select_related("venue__departement").order_by("starts"))


def home(request):
    today = timezone.localdate()
    stops = list(TourStop.objects.select_related("venue__departement").order_by("starts"))
    current = next((s for s in stops if s.starts <= today <= s.ends), None)
    following = next((s for s in stops if s.starts > today), None)
    totals = queries.cached(("totals", None), lambda: queries.totals(db()))
    return render(request, "site/home.html", {
        "current": current, "following": following, "totals": totals,
        "news": NewsPost.objects.filter(published=True).select_related("departement")[:3],
        "events": _upcoming_events()[:4],
    })


def tour(request):
    today = timezone.localdate()
    departements = Departement.objects.prefetch_related(
        Prefetch("venues", queryset=Venue.objects.prefetch_related("stops")))
    stops = list(TourStop.objects.select_related("venue__departement").order_by("starts"))
    projection, shapes = idf_map.region()
    stop_of = {s.venue.departement_id: s for s in stops}
    markers = [(s, *projection(s.venue.longitude, s.venue.latitude)) for s in stops]
    return render(request, "site/tour.html", {
        "stops": stops, "today": today, "departements": departements, "shapes": shapes,
        "map_width": idf_map.WIDTH, "map_height": projection.height, "markers": markers, "stop_of": stop_of,
    })


def venue(request, slug: str):
    place = get_object_or_404(Venue.objects.select_related("departement"), slug=slug)
    d = db()
    totals = queries.cached(("totals", place.id), lambda: queries.totals(d, place.id))
    count, latest = queries.contributions(d, venue_id=place.id, limit=6)
    survey = queries.cached(("survey", place.id), lambda: queries.survey_by_venue(d, [place.id]))[place.id]
    return render(request, "site/venue.html", {
        "venue": place, "stops": place.stops.all(), "totals": totals,
        "events": place.events.filter(published=True, ends__gte=timezone.now()).order_by("starts"),
        "past_events": place.events.filter(published=True, ends__lt=timezone.now()).order_by("-starts")[:6],
        "contributions": _labelled(latest), "contribution_count": count,
        "survey": _survey_rows(survey, {}),
    })


def news_list(request):
    posts = NewsPost.objects.filter(published=True).select_related("departement")
    departements = list(Departement.objects.all())
    departement = request.GET.get("departement", "")
    if departement in {d.code for d in departements}:
        posts = posts.filter(departement_id=departement)
    else:
        departement = ""
    return render(request, "site/news_list.html", {
        "posts": posts[:50], "departements": departements, "selected": departement})


def news_item(request, slug: str):
    post = get_object_or_404(NewsPost.objects.select_related("departement"), slug=slug, published=True)
    return render(request, "site/news_item.html", {"post": post})


def resources(request):
    items = Resource.objects.select_related("departement")
    kind = request.GET.get("type", "")
    if kind in dict(Resource.KINDS):
        items = items.filter(kind=kind)
    else:
        kind = ""
    return render(request, "site/resources.html", {"resources": items, "kinds": Resource.KINDS, "selected": kind})


def resource_file(request, pk: int):
    item = get_object_or_404(Resource, pk=pk)
    if not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = f"qsec2-{item.pk}.{item.file_type or 'bin'}"
    # a download, typed from the bytes at upload: a file can never run as a page of the site
    response = FileResponse(handle, as_attachment=item.file_type not in ("pdf", "png", "jpg"), filename=name,
                            content_type=CONTENT_TYPES.get(item.file_type, "application/octet-stream"))
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _labelled(found: list[queries.Contribution]) -> list[dict]:
    labels, language = load_labels(settings.HUB.content_dir), get_language() or "fr"
    return [{"item": c, "question": text_of(labels.wall_questions.get(c.question), c.question, language)}
            for c in found]


def contributions(request):
    d = db()
    venues = list(Venue.objects.filter(kiosks__isnull=False).distinct().order_by("name"))
    venue_slug, question = request.GET.get("lieu", ""), request.GET.get("question", "")
    chosen = next((v for v in venues if v.slug == venue_slug), None)
    labels, language = load_labels(settings.HUB.content_dir), get_language() or "fr"
    questions = [(q, text_of(labels.wall_questions.get(q), q, language)) for q in queries.wall_questions_in_use(d)]
    if question not in dict(questions):
        question = ""
    count, _ = queries.contributions(d, venue_id=chosen.id if chosen else None, question=question or None, limit=0)
    pages = max(1, math.ceil(count / PAGE_SIZE))
    number = page_number(request, pages)
    _, found = queries.contributions(d, venue_id=chosen.id if chosen else None, question=question or None,
                                     limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    query = "&".join(f"{k}={v}" for k, v in (("lieu", chosen.slug if chosen else ""), ("question", question)) if v)
    return render(request, "site/contributions.html", {
        "contributions": _labelled(found), "count": count, "venues": venues, "chosen": chosen,
        "questions": questions, "question": question, "page": number, "pages": pages, "query": query,
    })


def _survey_rows(counts: dict[str, dict], per_venue: dict[int, dict[str, dict]], venues=()) -> list[dict]:
    """One row per survey question (content order), each choice with its share overall and per venue."""
    labels, language = load_labels(settings.HUB.content_dir), get_language() or "fr"
    order = list(labels.survey_questions) + sorted(q for q in counts if q not in labels.survey_questions)
    rows = []
    for question in order:
        entry = counts.get(question)
        if not entry or not entry.get("answers"):
            continue
        choices = [c for (q, c) in labels.survey_choices if q == question]
        choices += sorted(c for c in entry["choices"] if c not in choices)
        rows.append({
            "id": question,
            "text": text_of(labels.survey_questions.get(question), question, language),
            "answers": entry["answers"],
            "choices": [{"text": text_of(labels.survey_choices.get((question, c)), c, language),
                         "count": entry["choices"].get(c, 0),
                         "venues": [(v, per_venue.get(v.id, {}).get(question, {}).get("choices", {}).get(c, 0),
                                     per_venue.get(v.id, {}).get(question, {}).get("answers", 0)) for v in venues]}
                        for c in choices],
        })
    return rows


def results(request):
    venues = list(Venue.objects.filter(kiosks__isnull=False).distinct().select_related("departement")
                  .order_by("departement_id", "name"))
    d = db()
    by_venue = queries.cached(("survey", "all"), lambda: queries.survey_by_venue(d, [v.id for v in venues]))
    overall = by_venue.get(None, {})
    return render(request, "site/results.html", {
        "questions": _survey_rows(overall, by_venue, venues), "venues": venues,
        "totals": queries.cached(("totals", None), lambda: queries.totals(d)),
    })

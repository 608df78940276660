"""The pages behind the codes the kiosks print: /c/{code} (a survey pass or a wall message), its drawing,
/g/{code} (a school group's visit), and the visitor's takedown request (/retrait/).

A wall message's text and drawing leave the database only when its kiosk's mediators approved it and
nobody took it down on the hub; otherwise one neutral page, the same for every reason. A page never
answers 500: an unexpected failure is logged and answered with the friendly not-found page.
"""
from __future__ import annotations

import logging
from datetime import datetime
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from hub import lookup
from hub.content import load_labels, text_of
from hub.ingest import cached_survey_totals
from hub.storage import file_path
from hub.site.models import Kiosk, Takedown
from hub.site.views.common import db

log = logging.getLogger(__name__)
LEVELS = {"maternelle": _("Maternelle"), "elementaire": _("Élémentaire"), "college": _("Collège"),
          "lycee": _("Lycée"), "superieur": _("Enseignement supérieur"), "autre": _("Autre groupe")}
# Shown pages may be kept but must be checked again at each visit (ETag, 304): a message rejected or taken
# down disappears at once, also from the phone of the visitor who just took it down.
APPROVED_MAX_AGE = "no-cache"


def not_found(request) -> HttpResponse:
    response = HttpResponse(render_to_string("site/code_not_found.html", request=request), status=404)
    response.headers["Cache-Control"] = "no-store"
    return response


def busy(request) -> HttpResponse:
    response = HttpResponse(render_to_string("site/busy.html", request=request), status=503)
    response.headers["Retry-After"] = "5"
    return response


def _find(request, code: str, finder):
    clean = lookup.clean_code(code)
    if clean is None:
        return None, None
    return clean, finder(db(), clean)


def _guard(view):
    def guarded(request, code: str, *args):
        try:
            return view(request, code, *args)
        except OperationalError:
            return busy(request)
        except Exception:
            log.exception("page for code %r", code[:40])
            return not_found(request)
    guarded.__name__ = view.__name__
    return guarded


@_guard
def contribution(request, code: str):
    clean, found = _find(request, code, lookup.find_contribution)
    if found is None:
        return not_found(request)
    labels, language = load_labels(settings.HUB.content_dir), get_language() or "fr"
    if isinstance(found, lookup.SurveyVisit):
        return _survey_page(request, found, labels, language)
    if found.state != "approved":
        response = render(request, "site/pending.html", {"withdrawn": found.state == "withdrawn"})
        response.headers["Cache-Control"] = "no-store"
        return response
    question = labels.wall_questions.get(found.question)
    kiosk = Kiosk.objects.select_related("place").filter(name=found.kiosk_id).first()
    response = render(request, "site/wall_message.html", {
        "message": found, "code": clean, "question": text_of(question, found.question, language),
        "has_drawing": bool(found.drawing_sha256 and lookup.stored_file(db(), found.drawing_sha256)),
        "venue": kiosk.place if kiosk else None,
    })
    response.headers["Cache-Control"] = APPROVED_MAX_AGE
    return response


def _survey_page(request, visit: lookup.SurveyVisit, labels, language: str):
    totals = cached_survey_totals(db(), settings.HUB.totals_cache_s)
    survey = totals.get("survey", {})
    answers = []
    for question, choices in visit.answers:
        entry = survey.get(question, {})
        answered = entry.get("answers") or 0
        answers.append({
            "question": text_of(labels.survey_questions.get(question), question, language),
            "choices": [{"text": text_of(labels.survey_choices.get((question, c)), c, language),
                         "share": round(100 * entry.get("choices", {}).get(c, 0) / answered) if answered else None}
                        for c in choices],
        })
    response = render(request, "site/survey_visit.html", {"answers": answers, "venues": totals.get("venues", 0)})
    response.headers["Cache-Control"] = APPROVED_MAX_AGE
    return response


@_guard
def drawing(request, code: str):
    _, found = _find(request, code, lookup.find_contribution)
    # the same gate as the page: a pending, rejected or withdrawn drawing is never served, whoever asks
    if not isinstance(found, lookup.WallMessage) or found.state != "approved" or not found.drawing_sha256:
        return not_found(request)
    path = file_path(settings.HUB.files_dir, found.drawing_sha256)
    if not lookup.stored_file(db(), found.drawing_sha256) or not path.is_file():
        return not_found(request)
    response = HttpResponse(path.read_bytes(), content_type="image/png")   # at most max_file_bytes
    response.headers["Cache-Control"] = APPROVED_MAX_AGE
    return response


def local_time(ts: str, tz_name: str) -> tuple[str, str]:
    """('25/11/2026 à 14:05', zone name) in the venues' zone when the hub knows it ([hub] timezone), else UTC."""
    try:
        moment = datetime.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt_timezone.utc)
    except ValueError:
        return ts, "UTC"
    zone_name = "UTC"
    if tz_name:
        try:
            moment, zone_name = moment.astimezone(ZoneInfo(tz_name)), tz_name
        except (KeyError, ValueError):   # ZoneInfoNotFoundError is a KeyError
            pass
    pattern = "%d/%m/%Y at %H:%M" if get_language() == "en" else "%d/%m/%Y à %H:%M"
    return moment.strftime(pattern), zone_name


def _value(value: object, unit: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "—"
    text = f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    if get_language() == "fr":
        text = text.replace(".", ",")
    return f"{text}\u202f{unit}".strip() if unit else text


@_guard
def group(request, code: str):
    _, visit = _find(request, code, lookup.find_group)
    if visit is None:
        return not_found(request)
    labels, language = load_labels(settings.HUB.content_dir), get_language() or "fr"
    activity = labels.activities.get(visit.activity)
    variant = activity.variant(visit.level) if activity else None
    steps = {s.id: s for s in activity.steps} if activity else {}

    def step_title(step_id: str, fallback: str) -> str:
        step = steps.get(step_id)
        return (step.pick("title", variant or "", language) if step else "") or fallback

    challenges = [{"title": step_title(c["step"], c["metric"]), "success": c["success"],
                   "value": _value(c["value"], steps[c["step"]].unit if c["step"] in steps else "")}
                  for c in visit.challenges]
    quiz = []
    for answer in visit.quiz:
        step, index = steps.get(answer["step"]), answer["value"]
        choice = (step.choices[int(index)] if step and isinstance(index, (int, float)) and not isinstance(index, bool)
                  and 0 <= int(index) < len(step.choices) else None)
        right = [text_of(c.label, "", language) for c in step.choices if c.correct] if step and not answer["success"] else []
        quiz.append({"title": step_title(answer["step"], answer["step"]), "success": answer["success"],
                     "answer": text_of(choice.label, "", language) if choice else "", "right": right})
    kiosk = Kiosk.objects.select_related("place").filter(name=visit.kiosk_id).first()
    explanations = [e for e in (s.pick("explanation", variant or "", language) for s in activity.steps) if e] \
        if activity else []
    when, zone = local_time(visit.ts, settings.HUB.timezone)
    return render(request, "site/group.html", {
        "visit": visit, "when": when, "zone": zone, "level": LEVELS.get(visit.level, visit.level),
        "activity": text_of(activity.title if activity else None, visit.activity, language),
        "summary": text_of(activity.summary, "", language) if activity else "", "explanations": explanations,
        "challenges": challenges, "quiz": quiz, "right_first_time": sum(1 for q in visit.quiz if q["success"]),
        "venue": kiosk.place if kiosk else None, "venue_label": visit.venue,
    })


# -- takedown ------------------------------------------------------------------------------------
class TakedownForm(forms.Form):
    code = forms.CharField(label=_("Le code imprimé sous votre QR code"), max_length=40,
                           help_text=_("Dix caractères, par exemple K7PM-Q2XR-9A : majuscules, espaces et tirets "
                                       "sont sans importance."))
    reason = forms.CharField(label=_("Pourquoi ? (facultatif)"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def clean_code(self) -> str:
        code = lookup.clean_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(_("Ce code n’a pas la bonne forme : vérifiez les dix caractères."))
        return code


@never_cache
def takedown(request):
    """Whoever holds a contribution's printed code may take it off the site at once, no questions asked:
    the code is the proof (it was printed for the person who made the contribution)."""
    form = TakedownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            found = lookup.find_contribution(db(), code)
        except DatabaseError:
            return busy(request)
        if not isinstance(found, lookup.WallMessage):
            form.add_error("code", _("Aucune contribution au mur ne porte ce code. Une contribution faite "
                                     "aujourd’hui n’arrive parfois que demain."))
        else:
            try:
                with transaction.atomic():
                    Takedown.objects.get_or_create(event_uuid=found.uuid, defaults={
                        "code": code, "requested_by": Takedown.BY_VISITOR,
                        "reason": form.cleaned_data["reason"]})
            except IntegrityError:
                pass                       # taken down twice at once: it is down
            return redirect("takedown-done")
    return render(request, "site/takedown.html", {"form": form})


def takedown_done(request):
    return render(request, "site/takedown_done.html")

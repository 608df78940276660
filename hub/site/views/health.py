"""The kiosks' health in the back office: one line per kiosk (/gestion/sante/) and the same as JSON for a
monitoring tool (/gestion/sante.json), behind the operators' login. An operator sees its département's
kiosks, the national coordination every kiosk. The rules are hub/site/health.py's."""
from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from eventlog.stamps import utc_iso
from hub.db import Db
from hub.site.admin import back_office, departement_of
from hub.site.health import LEVELS, assess, duration_text, kiosk_facts
from hub.site.models import Kiosk


def kiosks_of(request):
    kiosks = Kiosk.objects.select_related("place__departement").order_by("name")
    mine = departement_of(request)
    return kiosks if mine is None else kiosks.filter(place__departement_id=mine)


def health_lines(request, now: datetime) -> list[dict]:
    """Worst first, then by name: what needs a look comes at the top."""
    db, zone = Db(), settings.TIME_ZONE
    lines = []
    for kiosk in kiosks_of(request):
        facts = kiosk_facts(db, kiosk, now, zone)
        lines.append({"kiosk": kiosk, "facts": facts, "verdict": assess(facts, now, zone)})
    lines.sort(key=lambda line: (-LEVELS.index(line["verdict"].level), line["kiosk"].name))
    return lines


def ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return _("jamais")
    minutes = max(0, int((now - moment).total_seconds() // 60))
    return _("à l’instant") if minutes < 1 else _("il y a %(duration)s") % {"duration": duration_text(minutes)}


def health_page(request):
    now = timezone.now()
    lines = health_lines(request, now)
    for line in lines:
        line["ago"] = ago(line["facts"].last_seen, now)
        health = line["facts"].health or {}
        free = health.get("disk_free_share")
        line["disk"] = None if not isinstance(free, (int, float)) else round(free * 100)
    counts = {level: sum(line["verdict"].level == level for line in lines) for level in LEVELS}
    context = {**back_office.each_context(request), "title": _("Santé des bornes"), "lines": lines, "now": now,
               "counts": counts}
    return TemplateResponse(request, "admin/kiosk_health.html", context)     # admin_view: never cached


def health_json(request):
    """For a monitoring tool logged in as an operator: 401 without a session, 403 without the role."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "login required (/gestion/login/)"}, status=401)
    if not back_office.has_permission(request):
        return JsonResponse({"error": "not an operator account"}, status=403)
    now = timezone.now()
    kiosks = []
    for line in health_lines(request, now):
        kiosk, facts, verdict = line["kiosk"], line["facts"], line["verdict"]
        kiosks.append({
            "name": kiosk.name, "venue": kiosk.venue,
            "place": kiosk.place.slug if kiosk.place else None,
            "departement": kiosk.place.departement_id if kiosk.place else None,
            "level": verdict.level, "word": verdict.word, "open_now": verdict.open_now,
            "reasons": [{"level": level, "text": text} for level, text in verdict.reasons],
            "last_seen": utc_iso(facts.last_seen) if facts.last_seen else None,
            "restarts_today": facts.restarts_today,
            "health_at": utc_iso(facts.health_at) if facts.health_at else None,
            "health": facts.health,
        })
    response = JsonResponse({"version": 1, "generated_at": utc_iso(now), "kiosks": kiosks},
                            json_dumps_params={"ensure_ascii": False})
    response.headers["Cache-Control"] = "no-store"
    return response

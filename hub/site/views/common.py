"""What every page needs: the navigation, the language switch, dates in French and English, and the
helpers the views share."""
from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.urls import translate_url
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hub.db import Db

NAVIGATION = [("home", _("Accueil")), ("tour", _("Itinérance")), ("agenda", _("Agenda")),
              ("news", _("Actualités")), ("resources", _("Ressources")), ("contributions", _("Contributions")),
              ("results", _("Résultats du questionnaire"))]


def site_context(request) -> dict:
    language = get_language() or "fr"
    other = "en" if language == "fr" else "fr"
    return {
        "navigation": NAVIGATION,
        "current_view": getattr(getattr(request, "resolver_match", None), "url_name", ""),
        "other_language": other,
        "other_language_name": "English" if other == "en" else "Français",
        "other_language_url": translate_url(request.get_full_path(), other),
        "public_url": settings.HUB.public_url.rstrip("/"),
    }


def db() -> Db:
    return Db()


def page_number(request, pages: int) -> int:
    """?page=N, clamped; junk means page 1 (a hand-typed address never gives a 500)."""
    raw = request.GET.get("page", "1")
    number = int(raw) if raw.isdigit() and len(raw) < 6 else 1
    if number > max(1, pages):
        raise Http404
    return max(1, number)


def now_local():
    return timezone.localtime()

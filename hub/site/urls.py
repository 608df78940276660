"""French pages at /, the same pages in English under /en/ (i18n_patterns); the codes the kiosks print
(/c/, /g/) and the API answer in both without a prefix."""
from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.urls import path
from django.views.generic import RedirectView

from hub.site.admin import back_office
from hub.site.views import agenda, api, codes, health, pages

handler404 = "hub.site.views.errors.page_not_found"
handler500 = "hub.site.views.errors.server_error"

urlpatterns = [
    # browsers ask for it on every page without an icon of their own (the back office's)
    path("favicon.ico", RedirectView.as_view(url="/static/site/favicon.svg", permanent=True)),
    path("api/v1/agenda", api.agenda_feed, name="api-agenda"),
    path("agenda.ics", agenda.calendar_all, name="calendar"),
    path("lieux/<slug:slug>/agenda.ics", agenda.calendar_venue, name="venue-calendar"),
    path("c/<str:code>/drawing.png", codes.drawing, name="drawing"),
]
urlpatterns += i18n_patterns(
    path("", pages.home, name="home"),
    path("itinerance/", pages.tour, name="tour"),
    path("lieux/<slug:slug>/", pages.venue, name="venue"),
    path("agenda/", agenda.agenda, name="agenda"),
    path("agenda/<slug:slug>", agenda.event, name="event"),
    path("actualites/", pages.news_list, name="news"),
    path("actualites/<slug:slug>/", pages.news_item, name="news-item"),
    path("ressources/", pages.resources, name="resources"),
    path("ressources/<int:pk>/fichier", pages.resource_file, name="resource-file"),
    path("contributions/", pages.contributions, name="contributions"),
    path("resultats/", pages.results, name="results"),
    path("retrait/", codes.takedown, name="takedown"),
    path("retrait/merci/", codes.takedown_done, name="takedown-done"),
    path("c/<str:code>", codes.contribution, name="contribution"),
    path("g/<str:code>", codes.group, name="group"),
    path("gestion/sante/", back_office.admin_view(health.health_page), name="kiosk-health"),
    path("gestion/sante.json", health.health_json, name="kiosk-health-json"),
    path("gestion/", back_office.urls),
    prefix_default_language=False,
)

"""The partners' back office: Django's admin at /gestion/, with two roles.

- National coordination: a superuser account; edits everything, manages accounts and the eight départements.
- A département's operator: a staff account with an Operator row; sees and edits only its own
  département's venues, tour stops, events, news, resources and kiosks, and may take down contributions
  made on its kiosks. Another département's row is found (so its address answers) but refused: 403.
"""
from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hub import lookup
from eventlog.stamps import utc_iso
from hub.db import Db, add_kiosk, check_kiosk_name, hash_token
from hub.site.models import (AgendaEvent, Departement, Kiosk, NewsPost, Operator, Resource, Takedown, TourStop,
                             Venue)


class BackOffice(admin.AdminSite):
    site_header = _("QSEC² — espace partenaires")
    site_title = _("QSEC² — espace partenaires")
    index_title = _("Gestion du site")
    site_url = "/"

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or (user.is_staff and hasattr(user, "operator")))


back_office = BackOffice(name="back_office")


def departement_of(request) -> str | None:
    """The user's département, or None for the national coordination (every département)."""
    if request.user.is_superuser:
        return None
    operator = getattr(request.user, "operator", None)
    if operator is None:
        raise PermissionDenied
    return operator.departement_id


class ScopedAdmin(admin.ModelAdmin):
    """Rows of one département. `scope` is the lookup from the row to its département's code."""
    scope = "departement"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}   # a typed "www.x.fr" is https

    def _allowed(self, request) -> bool:
        return back_office.has_permission(request)

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request) and (obj is None or self._mine(request, obj))

    has_add_permission = lambda self, request: self._allowed(request)   # noqa: E731

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_view_permission(request, obj)

    def _mine(self, request, obj) -> bool:
        mine = departement_of(request)
        if mine is None:
            return True
        value = obj
        for part in self.scope.split("__"):
            value = getattr(value, part, None)
        return getattr(value, "pk", value) == mine

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        mine = departement_of(request)
        return rows if mine is None else rows.filter(**{self.scope: mine})

    def get_object(self, request, object_id, from_field=None):
        # Found even when it is another département's, so that the view answers 403, not "does not exist".
        field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        try:
            return self.model._default_manager.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValueError, TypeError):
            return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        mine = departement_of(request)
        if mine is not None and db_field.name == "departement":
            kwargs["queryset"] = Departement.objects.filter(pk=mine)
        elif mine is not None and db_field.name in ("venue", "place"):
            kwargs["queryset"] = Venue.objects.filter(departement_id=mine)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Venue, site=back_office)
class VenueAdmin(ScopedAdmin):
    list_display = ("name", "town", "departement")
    list_filter = ("departement",)
    search_fields = ("name", "town")
    prepopulated_fields = {"slug": ("name", "town")}


@admin.register(TourStop, site=back_office)
class TourStopAdmin(ScopedAdmin):
    scope = "venue__departement"
    list_display = ("venue", "starts", "ends")
    date_hierarchy = "starts"


@admin.register(AgendaEvent, site=back_office)
class AgendaEventAdmin(ScopedAdmin):
    scope = "venue__departement"
    list_display = ("title", "kind", "venue", "starts", "published")
    list_filter = ("kind", "published", "venue__departement")
    search_fields = ("title", "description")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = [
        (None, {"fields": ["venue", "kind", "title", "slug", "starts", "ends", "place", "audience", "description",
                           "booking", "published"]}),
        (_("En anglais"), {"fields": ["title_en", "place_en", "audience_en", "description_en"]}),
    ]

    def view_on_site(self, obj):
        return obj.get_absolute_url()


@admin.register(NewsPost, site=back_office)
class NewsPostAdmin(ScopedAdmin):
    list_display = ("title", "departement", "published_on", "published")
    list_filter = ("departement", "published")
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Resource, site=back_office)
class ResourceAdmin(ScopedAdmin):
    list_display = ("title", "kind", "licence", "departement", "file_type", "file_size")
    list_filter = ("kind", "licence", "departement")


@admin.register(Kiosk, site=back_office)
class KioskAdmin(ScopedAdmin):
    """The kiosk registry (as `hub add-kiosk`): the bearer token is shown once, at creation or rotation."""
    scope = "place__departement"
    list_display = ("name", "venue", "place", "created_at")
    fields = ("name", "venue", "place")
    actions = ["rotate_token"]

    def get_readonly_fields(self, request, obj=None):
        return ("name",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        problem = check_kiosk_name(obj.name)
        if problem:
            raise PermissionDenied(problem)
        token = add_kiosk(obj.name, obj.venue, place=obj.place)
        obj.token_hash, obj.created_at = hash_token(token), utc_iso()
        self._show_token(request, obj.name, token)

    def _show_token(self, request, name: str, token: str) -> None:
        messages.warning(request, format_html(
            _("Jeton de la borne {} : <code>{}</code> — à mettre dans [sync] token de son fichier de lieu. "
              "Il ne sera plus jamais affiché."), name, token))

    @admin.action(description=_("Donner un nouveau jeton (l’ancien cesse de marcher)"))
    def rotate_token(self, request, queryset):
        for kiosk in queryset:
            self._show_token(request, kiosk.name, add_kiosk(kiosk.name, kiosk.venue, rotate=True))


@admin.register(Takedown, site=back_office)
class TakedownAdmin(ScopedAdmin):
    """Hide a contribution on the site, whatever its kiosk decided: enter the code printed for it."""
    list_display = ("code", "requested_by", "reason", "created_at")
    fields = ("code", "reason")
    has_change_permission = lambda self, request, obj=None: False    # noqa: E731

    def get_queryset(self, request):
        rows = admin.ModelAdmin.get_queryset(self, request)
        mine = departement_of(request)
        if mine is None:
            return rows
        kiosks = Kiosk.objects.filter(place__departement_id=mine).values_list("name", flat=True)
        return rows.filter(event_uuid__in=_uuids_of_kiosks(list(kiosks)))

    def _mine(self, request, obj) -> bool:
        return departement_of(request) is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def save_model(self, request, obj, form, change):
        code = lookup.clean_code(obj.code)
        found = lookup.find_contribution(Db(), code) if code else None
        if not isinstance(found, lookup.WallMessage):
            raise PermissionDenied(_("Aucune contribution au mur ne porte ce code."))
        mine = departement_of(request)
        if mine is not None and not Kiosk.objects.filter(name=found.kiosk_id, place__departement_id=mine).exists():
            raise PermissionDenied
        obj.code, obj.event_uuid = code, found.uuid
        obj.requested_by, obj.moderator = Takedown.BY_MODERATOR, request.user
        super().save_model(request, obj, form, change)


def _uuids_of_kiosks(kiosks: list[str]) -> list[str]:
    if not kiosks:
        return []
    marks = ",".join(["%s"] * len(kiosks))
    return [uuid for (uuid,) in Db().execute(
        f"SELECT uuid FROM events WHERE kind = 'wall.message' AND kiosk_id IN ({marks})", kiosks)]


class NationalOnly(admin.ModelAdmin):
    formfield_overrides = ScopedAdmin.formfield_overrides
    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(Departement, site=back_office)
class DepartementAdmin(NationalOnly):
    list_display = ("code", "name", "operator")


class OperatorInline(admin.StackedInline):
    model = Operator
    can_delete = False
    verbose_name_plural = _("Opérateur départemental")


@admin.register(User, site=back_office)
class AccountAdmin(NationalOnly, UserAdmin):
    inlines = [OperatorInline]
    list_display = ("username", "first_name", "last_name", "is_superuser", "is_active", "last_login")


back_office.register(Group, NationalOnly)

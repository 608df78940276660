"""What the kiosks send: their registry, the event log, conflicts, drawings, USB imports, and the
hub-side moderation of contributions.

The first five tables keep the names and columns they had before the website (an existing hub
database is adopted as it is, see migrations/0001). The ingest writes them with plain SQL for speed
(hub/ingest.py); the site reads them through these models or the queries in hub/lookup.py.
Timestamps the kiosks send stay the text they sent (ISO 8601, UTC, milliseconds): compared as text.
"""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kiosk(models.Model):
    name = models.CharField(_("nom"), primary_key=True, max_length=128,
                            help_text=_("L’identifiant [kiosk] id de la borne, par exemple 93-mediatheque-bobigny-1."))
    venue = models.TextField(_("lieu (libellé)"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.TextField(editable=False)
    place = models.ForeignKey("site.Venue", verbose_name=_("lieu de la tournée"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="kiosks",
                              help_text=_("Ses contributions et réponses apparaissent sur la page de ce lieu."))
    # `hub revoke-kiosk`: its token and its bundles are refused from then on (`hub add-kiosk --rotate` ends it)
    revoked_at = models.TextField(null=True, blank=True, editable=False)
    # the stored size of its events, kept by the ingest against [limits] kiosk_max_event_bytes (hub/ingest.py)
    event_bytes = models.BigIntegerField(default=0, db_default=0, editable=False)

    class Meta:
        db_table = "kiosks"
        verbose_name = _("borne")
        verbose_name_plural = _("bornes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    seq = models.BigAutoField(primary_key=True)
    uuid = models.CharField(max_length=36, unique=True)        # the dedup key: one row per event, ever
    ts = models.TextField()
    kiosk_id = models.TextField()                             # not a key: bundles may carry unregistered kiosks
    session_id = models.TextField(null=True)
    station = models.TextField(null=True)
    kind = models.TextField()
    payload = models.TextField()                              # canonical JSON (sorted keys, compact)
    content_sha = models.CharField(max_length=64)             # tells a duplicate from a conflict
    received_at = models.TextField()
    source = models.TextField()                               # 'http' or 'bundle:<sha256>'
    short_code = models.CharField(max_length=10, null=True)   # the code a kiosk printed for it, if any
    # ts is where the hub files the event in time; for an event the kiosk recorded while it distrusted its
    # wall clock, that is the kiosk's estimate, and this keeps the raw ts and the clock note (JSON) for audit
    kiosk_clock = models.TextField(null=True)

    class Meta:
        db_table = "events"
        indexes = [
            models.Index(fields=["kind"], name="events_kind"),
            models.Index(fields=["kiosk_id"], name="events_kiosk"),
            models.Index(fields=["short_code"], name="events_short_code",
                         condition=models.Q(short_code__isnull=False)),
            models.Index(fields=["kind", "ts"], name="events_kind_ts",
                         condition=models.Q(kind__in=["wall.message", "footfall.minute", "group.start"])),
            # each kiosk's signs of life, for the back office's health page (hub/site/health.py)
            models.Index(fields=["kiosk_id", "ts"], name="events_kiosk_health",
                         condition=models.Q(kind="kiosk.health")),
            models.Index(fields=["kiosk_id", "ts"], name="events_kiosk_restarts",
                         condition=models.Q(kind__in=["kiosk.start", "kiosk.stop"])),
        ]


class Conflict(models.Model):
    """Same uuid, different content: kept aside for a human, never overwriting the first version."""
    id = models.BigAutoField(primary_key=True)
    uuid = models.CharField(max_length=36)
    content_sha = models.CharField(max_length=64)
    event = models.TextField()
    received_at = models.TextField()
    source = models.TextField()

    class Meta:
        db_table = "conflicts"
        constraints = [models.UniqueConstraint(fields=["uuid", "content_sha"], name="conflicts_uuid_content")]


class StoredFile(models.Model):
    sha256 = models.CharField(max_length=64, primary_key=True)
    bytes = models.BigIntegerField()
    received_at = models.TextField()
    kiosk_id = models.TextField()

    class Meta:
        db_table = "files"
        indexes = [models.Index(fields=["kiosk_id"], name="files_kiosk")]   # each kiosk's quota


class BundleImport(models.Model):
    id = models.BigAutoField(primary_key=True)
    bundle_sha = models.CharField(max_length=64)
    kiosk_id = models.TextField()
    imported_at = models.TextField()
    counts = models.TextField()

    class Meta:
        db_table = "imports"


class Takedown(models.Model):
    """A contribution removed from the site on the hub's side, whatever the kiosk decided: by a moderator
    in the back office, or at once by the visitor holding its printed code (right to erasure)."""
    BY_VISITOR, BY_MODERATOR = "visitor", "moderator"
    code = models.CharField(_("code"), max_length=10)
    event_uuid = models.CharField(max_length=36, unique=True)
    requested_by = models.CharField(_("demandé par"), max_length=10,
                                    choices=[(BY_VISITOR, _("la personne qui l’a déposée")),
                                             (BY_MODERATOR, _("l’équipe de modération"))])
    reason = models.TextField(_("motif"), blank=True)
    moderator = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("retirée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("contribution retirée")
        verbose_name_plural = _("contributions retirées")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.code

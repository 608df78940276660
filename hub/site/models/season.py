"""What the partners publish: the eight départements and their operators, venues, the tour, the
programme of events, news of the citizens' groups and pooled resources.

Texts are French first; each has an optional English twin (`…_en`) that the English pages show when it
is filled (else the French text, marked lang="fr"). Every row belongs to one département: an operator's
account edits its own département's rows only (hub/site/admin.py).
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hub.site.uploads import resource_upload_to, sniff_type, validate_resource_file

SLUG_HELP = _("Lettres minuscules, chiffres et tirets ; il fait partie de l’adresse de la page.")


class Bilingual:
    """`obj.tr("title")`: the English text on English pages when there is one, else the French."""

    def tr(self, name: str) -> str:
        if get_language() == "en":
            english = getattr(self, f"{name}_en", "")
            if english:
                return english
        return getattr(self, name)

    def tr_lang(self, name: str) -> str:
        """The language of what tr() gives: pages mark French text on English pages with lang="fr"."""
        return "en" if get_language() == "en" and getattr(self, f"{name}_en", "") else "fr"


class Departement(models.Model):
    code = models.CharField(_("numéro"), max_length=2, primary_key=True)
    name = models.CharField(_("nom"), max_length=60)
    operator = models.CharField(_("opérateur départemental"), max_length=120)
    operator_url = models.URLField(_("site de l’opérateur"), blank=True)
    operator_phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    citizens_group = models.TextField(_("groupe de citoyens"), blank=True,
                                      help_text=_("Qui sont les citoyens co-concepteurs de la saison."))
    citizens_group_en = models.TextField(_("groupe de citoyens (anglais)"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")
        verbose_name_plural = _("départements")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Operator(models.Model):
    """A partner's account: which département its user edits."""
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="operator")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="operators",
                                    verbose_name=_("département"))

    class Meta:
        verbose_name = _("compte d’opérateur")
        verbose_name_plural = _("comptes d’opérateurs")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.departement_id})"


class Venue(Bilingual, models.Model):
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="venues",
                                    verbose_name=_("département"))
    slug = models.SlugField(_("adresse de la page"), unique=True, help_text=SLUG_HELP)
    name = models.CharField(_("nom"), max_length=120)
    town = models.CharField(_("commune"), max_length=80)
    address = models.CharField(_("adresse"), max_length=200)
    latitude = models.FloatField(_("latitude"), validators=[MinValueValidator(48.1), MaxValueValidator(49.3)])
    longitude = models.FloatField(_("longitude"), validators=[MinValueValidator(1.4), MaxValueValidator(3.6)])
    opening_hours = models.TextField(_("horaires d’ouverture"), help_text=_("Une ligne par jour ou par période."))
    opening_hours_en = models.TextField(_("horaires d’ouverture (anglais)"), blank=True)
    description = models.TextField(_("présentation"), blank=True)
    description_en = models.TextField(_("présentation (anglais)"), blank=True)
    partners = models.TextField(_("partenaires locaux"), blank=True, help_text=_("Un partenaire par ligne."))
    access = models.TextField(_("accès"), blank=True, help_text=_("Transports, accessibilité en fauteuil…"))
    access_en = models.TextField(_("accès (anglais)"), blank=True)

    class Meta:
        ordering = ["departement", "name"]
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")

    def __str__(self) -> str:
        return f"{self.name} ({self.town})"

    def get_absolute_url(self) -> str:
        return reverse("venue", args=[self.slug])

    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]


class TourStop(Bilingual, models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="stops", verbose_name=_("lieu"))
    starts = models.DateField(_("du"))
    ends = models.DateField(_("au"))
    note = models.CharField(_("remarque"), max_length=200, blank=True,
                            help_text=_("Par exemple : « inauguration le 17 novembre à 18 h »."))
    note_en = models.CharField(_("remarque (anglais)"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts"]
        verbose_name = _("étape de la tournée")
        verbose_name_plural = _("étapes de la tournée")
        constraints = [models.CheckConstraint(condition=models.Q(ends__gte=models.F("starts")),
                                              name="tourstop_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.venue} {self.starts:%d/%m/%Y}–{self.ends:%d/%m/%Y}"

    @property
    def departement_id(self) -> str:
        return self.venue.departement_id


class AgendaEvent(Bilingual, models.Model):
    KINDS = [("debat", _("Débat")), ("cine-debat", _("Ciné-débat")), ("atelier", _("Atelier")),
             ("conference", _("Conférence")), ("spectacle", _("Spectacle")), ("balade", _("Balade")),
             ("scolaires", _("Scolaires")), ("inauguration", _("Inauguration")), ("finissage", _("Finissage"))]
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="events", verbose_name=_("lieu"))
    slug = models.SlugField(_("adresse de la page"), unique=True, max_length=80, help_text=SLUG_HELP)
    kind = models.CharField(_("type"), max_length=20, choices=KINDS)
    title = models.CharField(_("titre"), max_length=160)
    title_en = models.CharField(_("titre (anglais)"), max_length=160, blank=True)
    starts = models.DateTimeField(_("début"))
    ends = models.DateTimeField(_("fin"))
    place = models.CharField(_("salle"), max_length=120, blank=True, help_text=_("Où dans le lieu."))
    place_en = models.CharField(_("salle (anglais)"), max_length=120, blank=True)
    audience = models.CharField(_("public"), max_length=120)
    audience_en = models.CharField(_("public (anglais)"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (anglais)"), blank=True)
    booking = models.CharField(_("réservation"), max_length=200, blank=True,
                               help_text=_("Vide : entrée libre. Sinon : comment réserver."))
    published = models.BooleanField(_("publié"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        constraints = [models.CheckConstraint(condition=models.Q(ends__gt=models.F("starts")),
                                              name="agendaevent_ends_after_start")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("event", args=[self.slug])

    @property
    def departement_id(self) -> str:
        return self.venue.departement_id

    @property
    def is_past(self) -> bool:
        return self.ends < timezone.now()


class NewsPost(Bilingual, models.Model):
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="news",
                                    verbose_name=_("département"))
    slug = models.SlugField(_("adresse de la page"), unique=True, max_length=80, help_text=SLUG_HELP)
    title = models.CharField(_("titre"), max_length=160)
    title_en = models.CharField(_("titre (anglais)"), max_length=160, blank=True)
    summary = models.CharField(_("chapeau"), max_length=300)
    summary_en = models.CharField(_("chapeau (anglais)"), max_length=300, blank=True)
    body = models.TextField(_("texte"), help_text=_("Paragraphes séparés par une ligne vide."))
    body_en = models.TextField(_("texte (anglais)"), blank=True)
    published_on = models.DateField(_("publié le"), default=timezone.localdate)
    published = models.BooleanField(_("publié"), default=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news-item", args=[self.slug])


class Resource(Bilingual, models.Model):
    KINDS = [("fiche", _("Fiche d’activité")), ("presse", _("Dossier de presse")),
             ("contribution", _("Contribution d’un groupe de citoyens")), ("ressource", _("Ressource scientifique")),
             ("affiche", _("Affiche et visuels"))]
    LICENCES = [("cc-by", "CC BY 4.0"), ("cc-by-sa", "CC BY-SA 4.0"), ("cc-by-nc", "CC BY-NC 4.0"),
                ("etalab", _("Licence Ouverte 2.0 (Etalab)")), ("reserved", _("Tous droits réservés"))]
    LICENCE_URLS = {"cc-by": "https://creativecommons.org/licenses/by/4.0/deed.fr",
                    "cc-by-sa": "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
                    "cc-by-nc": "https://creativecommons.org/licenses/by-nc/4.0/deed.fr",
                    "etalab": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="resources",
                                    verbose_name=_("département"))
    title = models.CharField(_("titre"), max_length=160)
    title_en = models.CharField(_("titre (anglais)"), max_length=160, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=KINDS)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (anglais)"), blank=True)
    licence = models.CharField(_("licence"), max_length=12, choices=LICENCES)
    author = models.CharField(_("auteur ou autrice"), max_length=160)
    file = models.FileField(_("fichier"), upload_to=resource_upload_to, blank=True,
                            validators=[validate_resource_file],
                            help_text=_("PDF, ODT, DOCX, PNG ou JPEG ; ou bien un lien ci-dessous."))
    file_type = models.CharField(max_length=10, blank=True, editable=False)
    file_size = models.BigIntegerField(null=True, blank=True, editable=False)
    link = models.URLField(_("lien"), blank=True)
    published_on = models.DateField(_("publié le"), default=timezone.localdate)

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        constraints = [models.CheckConstraint(condition=~models.Q(file="") | ~models.Q(link=""),
                                              name="resource_file_or_link")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:     # a new upload: its type from its bytes, its size
            self.file_type, self.file_size = sniff_type(self.file.file) or "", self.file.size
        super().save(*args, **kwargs)

    @property
    def licence_url(self) -> str:
        return self.LICENCE_URLS.get(self.licence, "")

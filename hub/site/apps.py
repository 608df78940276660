from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "hub.site"
    label = "site"
    verbose_name = _("Site QSEC²")
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "kinerja.reporting"
    label = "reporting"
    verbose_name = _("Laporan")
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class RollupsConfig(AppConfig):
    name = "kinerja.rollups"
    label = "rollups"
    verbose_name = "Rekap tersimpan"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kinerja.web import fragments

        from . import stale

        if stale.written not in fragments.WRITE_LISTENERS:
            fragments.WRITE_LISTENERS.append(stale.written)

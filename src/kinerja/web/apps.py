from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "kinerja.web"
    label = "web"
    verbose_name = _("Halaman")

    def ready(self) -> None:
        from . import fragments, middleware

        fragments.connect()
        middleware.connect()  # every login records its time (SessionLifetimeMiddleware)

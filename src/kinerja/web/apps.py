from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "kinerja.web"
    label = "web"
    verbose_name = _("Halaman")

    def ready(self) -> None:
        from . import fragments, middleware

        fragments.connect()
        # migrate creates the database cache's table (when that is the cache) and, as an
        # upgrade runs it, fragments drawn by the old templates are not served after it
        post_migrate.connect(_new_fragments, sender=self, dispatch_uid="fragments-after-migrate")
        middleware.connect()  # every login records its time (SessionLifetimeMiddleware)


def _new_fragments(using: str = "default", **_kwargs: Any) -> None:
    from django.core.management import call_command

    from . import fragments

    call_command("createcachetable", database=using, verbosity=0)  # none there yet only
    fragments.bump()

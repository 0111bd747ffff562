from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kinerja.accounts"
    label = "accounts"
    verbose_name = _("Pengguna dan peran")

    def ready(self) -> None:
        from .admin_scope import ensure_pemda_admin_group

        # the group "Admin pemda" and its permissions, set again after every migrate
        post_migrate.connect(ensure_pemda_admin_group, dispatch_uid="kinerja-pemda-admin-group")

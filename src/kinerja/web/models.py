"""Rendered page fragments kept in the database, valid while the data they show is unchanged.

``DataVersion`` holds one token that every save or delete of planning or monitoring data
replaces, in the same transaction as the change (``kinerja.web.fragments``). A fragment is
stored under the token that was current when its data was read, and looked up under the
current one: a fragment of data that has since changed is never served again. Both live in
the database, so every app process behind the load balancer sees the same ones.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    token = models.CharField(_("token"), max_length=32)
    changed_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("versi data")
        verbose_name_plural = _("versi data")

    def __str__(self) -> str:
        return self.token


class Fragment(models.Model):
    key = models.CharField(_("kunci"), max_length=200)
    token = models.CharField(_("token"), max_length=32)
    html = models.TextField(_("HTML"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("potongan halaman")
        verbose_name_plural = _("potongan halaman")
        constraints = [
            models.UniqueConstraint(fields=["key", "token"], name="fragment_key_token_unique")
        ]

    def __str__(self) -> str:
        return self.key

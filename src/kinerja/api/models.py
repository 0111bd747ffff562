"""Personal access tokens of the API and the per-token request counts of its rate limit.

A token is shown once, when it is made; only its SHA-256 is stored (``digest``), with a short
``prefix`` so its owner can tell tokens apart on the token page. The secret has 256 bits of
randomness, so a plain (unsalted) SHA-256 is enough: nobody can guess it from the hash."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="access_tokens", verbose_name=_("pengguna"))  # fmt: skip
    name = models.CharField(_("nama"), max_length=100, blank=True)
    prefix = models.CharField(_("awalan"), max_length=16, help_text=_("Hanya untuk dikenali."))
    digest = models.CharField(_("hash SHA-256"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("dibuat"), default=timezone.now)
    expires = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    last_used = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked = models.DateTimeField(_("dicabut"), null=True, blank=True)

    class Meta:
        verbose_name = _("token akses API")
        verbose_name_plural = _("token akses API")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.user})"

    def is_valid(self, now=None) -> bool:  # type: ignore[no-untyped-def]
        now = now or timezone.now()
        return self.revoked is None and (self.expires is None or self.expires > now)


class RateCount(models.Model):
    """Requests of one token in one window of the rate limit (api/throttle.py). In the
    database, so every app process behind a load balancer counts the same requests."""

    token = models.ForeignKey(AccessToken, on_delete=models.CASCADE, related_name="counts",
                              verbose_name=_("token"))  # fmt: skip
    window = models.DateTimeField(_("awal jendela"))
    count = models.PositiveIntegerField(_("jumlah permintaan"), default=0)

    class Meta:
        verbose_name = _("hitungan permintaan API")
        verbose_name_plural = _("hitungan permintaan API")
        constraints = [
            models.UniqueConstraint(fields=["token", "window"], name="ratecount_token_window")
        ]

    def __str__(self) -> str:
        return f"{self.token_id} {self.window:%Y-%m-%d %H:%M}: {self.count}"

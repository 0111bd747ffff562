"""Who a user is in Kinerja: a role, the pemda and (for agency roles) the agency."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.planning.models import Agency, Government, Province


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator perangkat daerah")
    VERIFIER = "verifikator", _("Verifikator (Bappeda/Bagian Organisasi)")
    EVALUATOR = "evaluator", _("Evaluator (Inspektorat)")
    HEAD = "pimpinan", _("Pimpinan")
    ADMIN = "admin", _("Admin pemda")
    # reads the national overview and every province, pemda and agency below it; writes nothing
    NATIONAL = "nasional", _("Pembaca nasional")


# the roles a province scope (Profile.province) is given to: they read the province's pemda
PROVINCE_ROLES = (Role.VERIFIER, Role.EVALUATOR, Role.ADMIN)


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="profile", verbose_name=_("pengguna"))  # fmt: skip
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    government = models.ForeignKey(Government, on_delete=models.PROTECT,
                                   verbose_name=_("pemerintah daerah"))  # fmt: skip
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT,
                               verbose_name=_("perangkat daerah"),
                               help_text=_("wajib untuk operator; untuk pimpinan: perangkat "
                                           "daerah yang dipimpinnya"))  # fmt: skip
    # a user of a province (its verifikator, evaluator or admin): reads the province overview
    # and every pemda and agency of the province; acts in none, its own ``government`` included
    # (read only: rules.reads_from_above)
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="profiles", verbose_name=_("provinsi (cakupan)"),
                                 help_text=_("hanya untuk verifikator, evaluator atau admin "
                                             "provinsi: melihat semua pemda provinsi ini"))  # fmt: skip
    # e-mails of the workflow and `kinerja remind` (monitoring/reminders.py); the user turns
    # them off on /akun/pengingat/
    reminders = models.BooleanField(_("kirim pengingat lewat surel"), default=True)
    reminded_on = models.DateField(_("terakhir diingatkan"), null=True, blank=True,
                                   help_text=_("hari `kinerja remind` terakhir mengirim "
                                               "pengingat tenggat kepadanya"))  # fmt: skip

    class Meta:
        verbose_name = _("profil pengguna")
        verbose_name_plural = _("profil pengguna")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"  # the role may hold parentheses itself

    def clean(self) -> None:
        super().clean()
        if self.province_id is not None and self.role not in PROVINCE_ROLES:
            raise ValidationError({"province": _("Cakupan provinsi hanya untuk verifikator, "
                                                 "evaluator atau admin.")})  # fmt: skip


class LoginFailure(models.Model):
    """A failed login or a wrong old password on the password change, for throttling
    (accounts/throttle.py). In the database, so every app process behind a load balancer sees
    it; the user name is stored normalised (trimmed, case-folded), so «  Operator » and
    «operator» count as one."""

    username = models.CharField(_("nama pengguna"), max_length=150)
    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("percobaan masuk yang gagal")
        verbose_name_plural = _("percobaan masuk yang gagal")
        indexes = [
            models.Index(fields=["username", "at"], name="loginfailure_user_at"),
            models.Index(fields=["username", "ip", "at"], name="loginfailure_user_ip_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.ip or ''} {self.at:%Y-%m-%d %H:%M}"

"""The demo users, one per role, all with the password ``demo`` — never when DEBUG is off.

The demo never makes a superuser: its ``admin`` is an admin pemda (staff, in the group "Admin
pemda", limited to its pemda in the Django admin). The platform superuser is created only by
``kinerja manage createsuperuser``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from kinerja.planning.models import Agency, Province

from .admin_scope import ensure_pemda_admin_group
from .models import Profile, Role
from .rules import profile_of

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo credential, refused without DEBUG
# the demo's reminders (monitoring/reminders.py) go to these addresses: the console backend
# prints them; ".test" is reserved (RFC 2606), never a real mailbox
DEMO_MAIL_DOMAIN = "demo.kinerja.test"
DEMO_USERS = (
    ("operator", Role.OPERATOR, "Operator BKPSDM", True),
    ("verifikator", Role.VERIFIER, "Verifikator Bappeda", False),
    ("evaluator", Role.EVALUATOR, "Evaluator Inspektorat", False),
    ("pimpinan", Role.HEAD, "Kepala BKPSDM", True),
    ("admin", Role.ADMIN, "Admin Pemda", False),
    # above the pemda (issue 18): a verifikator of the province (its scope: the demo pemda's
    # province) and the national reader — the province and national overviews
    ("provinsi", Role.VERIFIER, "Verifikator Provinsi", False),
    ("nasional", Role.NATIONAL, "Pembaca Nasional", False),
)
# the demo pemda (Kabupaten Sumenep) lies in Jawa Timur: its province, where it has none yet
DEMO_PROVINCE = ("35", "Jawa Timur")


@transaction.atomic
def create_demo_users(agency: Agency) -> list[tuple[str, str]]:
    """Create the missing demo users; returns (username, role label) of all of them."""
    if not settings.DEBUG:
        raise ImproperlyConfigured("Pengguna demo (kata sandi 'demo') tidak dibuat bila DEBUG=0.")
    user_model = get_user_model()
    out = []
    for username, role, full_name, in_agency in DEMO_USERS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            first, _, last = full_name.partition(" ")
            user = user_model.objects.create_user(
                username, password=DEMO_PASSWORD, first_name=first, last_name=last,
                email=f"{username}@{DEMO_MAIL_DOMAIN}",
            )  # fmt: skip
            Profile.objects.create(user=user, role=role, government=agency.government,
                                   agency=agency if in_agency else None,
                                   province=_demo_province(agency.government)
                                   if username == "provinsi" else None)  # fmt: skip
        profile = profile_of(user)
        if role == Role.ADMIN and profile is not None and profile.role == Role.ADMIN:
            make_pemda_admin(user)  # also the superuser an earlier demo made of it
        label = str(role.label)
        if profile is not None and profile.province is not None:
            label += f", cakupan provinsi {profile.province.name}"
        out.append((username, label))
    return out


def _demo_province(government: Any) -> Province:
    """The province of the demo pemda; set to Jawa Timur where it has none."""
    if government.province_id is None:
        code, name = DEMO_PROVINCE
        government.province, _ = Province.objects.get_or_create(code=code,
                                                                defaults={"name": name})  # fmt: skip
        government.save(update_fields=["province"])
    return government.province


def make_pemda_admin(user: Any) -> None:
    """Staff in the group "Admin pemda", never a superuser."""
    group = ensure_pemda_admin_group()
    if group is None:
        raise ImproperlyConfigured("Izin Django belum lengkap: jalankan «kinerja manage migrate».")
    if not user.is_staff or user.is_superuser:
        user.is_staff, user.is_superuser = True, False
        user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.add(group)

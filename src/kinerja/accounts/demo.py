"""The demo users, one per role, all with the password ``demo`` — never when DEBUG is off."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from kinerja.planning.models import Agency

from .models import Profile, Role

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo credential, refused without DEBUG
DEMO_USERS = (
    ("operator", Role.OPERATOR, "Operator BKPSDM", True),
    ("verifikator", Role.VERIFIER, "Verifikator Bappeda", False),
    ("evaluator", Role.EVALUATOR, "Evaluator Inspektorat", False),
    ("pimpinan", Role.HEAD, "Kepala BKPSDM", True),
    ("admin", Role.ADMIN, "Admin Pemda", False),
)


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
                is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN,
            )  # fmt: skip
            Profile.objects.create(user=user, role=role, government=agency.government,
                                   agency=agency if in_agency else None)  # fmt: skip
        out.append((username, str(role.label)))
    return out

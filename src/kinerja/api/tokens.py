"""Making, finding and revoking personal access tokens (models.AccessToken).

A token reads ``kinerja_<43 URL-safe characters>`` (32 random bytes); the database keeps its
SHA-256 and its first characters only."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.limits import check_text

from .models import AccessToken

TOKEN_PREFIX = "kinerja_"
PREFIX_SHOWN = len(TOKEN_PREFIX) + 6
MAX_EXPIRY_DAYS = 3650
NAME_MAX = 100


class TokenRefused(Exception):
    """A token that cannot be made as asked (its name or expiry): the message says why."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    user: Any, *, name: str = "", expires_days: int | None = None
) -> tuple[AccessToken, str]:
    """A new token of ``user``: the stored row and the secret, which is never stored."""
    name = " ".join((name or "").split())
    check_text(name, label=_("Nama token"), limit=NAME_MAX, error=TokenRefused)
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise TokenRefused(
            _("Masa berlaku token harus 1 sampai %(max)d hari.") % {"max": MAX_EXPIRY_DAYS}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = AccessToken.objects.create(
        user=user, name=name, prefix=secret[:PREFIX_SHOWN], digest=digest(secret), created=now,
        expires=now + timedelta(days=expires_days) if expires_days else None,
    )  # fmt: skip
    return token, secret


def find_token(secret: str) -> AccessToken | None:
    """The valid (not revoked, not expired) token of this secret with its active user."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    try:  # get(): one row by its unique digest, no ORDER BY (the token page's ordering)
        token = AccessToken.objects.select_related("user", "user__profile").get(
            digest=digest(secret)
        )
    except AccessToken.DoesNotExist:
        return None
    if not token.is_valid() or not token.user.is_active:
        return None
    return token


def touch(token: AccessToken) -> None:
    """Remember when the token was last used (at most once a minute: one write)."""
    now = timezone.now()
    if token.last_used is None or now - token.last_used > timedelta(minutes=1):
        AccessToken.objects.filter(pk=token.pk).update(last_used=now)  # not on a cached page
        token.last_used = now


def revoke(user: Any, token_id: int) -> bool:
    """The owner revokes one of their tokens; False when it is not theirs or already revoked."""
    return bool(
        AccessToken.objects.filter(
            pk=token_id, user=user, revoked=None
        ).update(  # not on a cached page
            revoked=timezone.now()
        )
    )

"""Throttling of password guesses: the login and the password change's old password.

Two rules over the failures of the last ``WINDOW`` (rows of ``LoginFailure`` in the database,
so every app process behind a load balancer applies the same limits):

- a (user name, client address) pair with ``PAIR_LIMIT`` failures is refused until the oldest
  of them leaves the window: the guesser is stopped, the same user from another address is not;
- a user name with ``NAME_FREE`` failures from any addresses is only slowed down: each further
  password check for it waits ``name_delay()`` seconds after the last failure (doubling, at most
  ``NAME_MAX_DELAY``), so nobody can lock another user out by typing their name wrongly; a
  browser that has logged in as that name before (a signed cookie, ``KNOWN_COOKIE``) is not
  slowed at all.

User names are normalised (NFKC, trimmed, case-folded) before they are counted. Unknown and
known names are counted and answered alike, so the answer never tells whether a user exists.
The client address is the right-most address of ``KINERJA_TRUSTED_PROXY_HEADER`` (the one the
trusted proxy added) when that setting names a header, else ``REMOTE_ADDR``.
"""

from __future__ import annotations

import ipaddress
import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import ngettext

from .models import LoginFailure

WINDOW = timedelta(minutes=15)
PAIR_LIMIT = 5  # failures of one (user name, address) that refuse it for the rest of WINDOW
# failures of one user name (any addresses) before it is slowed down: more than one address
# can make before its pair is locked, so one guesser alone never slows the real user
NAME_FREE = 10
NAME_MAX_DELAY = 60  # seconds: the longest a user name is ever made to wait
KNOWN_COOKIE = "kinerja_dikenal"  # signed: the user names this browser has logged in as
KNOWN_MAX_AGE = 180 * 24 * 3600
KNOWN_MAX_NAMES = 5
_SALT = "kinerja.accounts.throttle.known"


def normalise(username: str) -> str:
    """The user name as it is counted: «  OPERATOR » and «operator» are one user."""
    return unicodedata.normalize("NFKC", username).strip().casefold()[:150]


def client_address(request: HttpRequest) -> str | None:
    """The right-most address of the trusted proxy's header (the proxy appends the address it
    saw; whatever the client wrote itself stands to the left), else REMOTE_ADDR."""
    header = getattr(settings, "KINERJA_TRUSTED_PROXY_HEADER", "")
    if header:
        key = "HTTP_" + header.upper().replace("-", "_")
        parts = [p.strip() for p in request.META.get(key, "").split(",") if p.strip()]
        if parts:
            last = _without_port(parts[-1])
            if _is_address(last):
                return last
    remote = request.META.get("REMOTE_ADDR")
    return remote if remote and _is_address(remote) else None


def _without_port(value: str) -> str:
    """Some proxies write «203.0.113.1:51234» or «[2001:db8::1]:51234»."""
    if value.startswith("[") and "]" in value:
        return value[1 : value.index("]")]
    if value.count(":") == 1:
        return value.split(":")[0]
    return value


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def name_delay(failures: int) -> int:
    """Seconds a user name waits after its last failure, given its failures in the window."""
    if failures < NAME_FREE:
        return 0
    return min(2 ** (failures - NAME_FREE), NAME_MAX_DELAY)


@dataclass(frozen=True)
class Refusal:
    """Why a password is not checked now, and for how many seconds more."""

    seconds: int
    pair: bool  # the (user name, address) pair is locked; else the name is slowed down

    def message(self) -> str:
        if self.pair:
            minutes = max(1, math.ceil(self.seconds / 60))
            return ngettext(
                "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(n)d menit.",
                "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(n)d menit.",
                minutes,
            ) % {"n": minutes}
        return ngettext(
            "Terlalu banyak percobaan yang gagal untuk nama pengguna ini. Coba lagi dalam "
            "%(n)d detik.",
            "Terlalu banyak percobaan yang gagal untuk nama pengguna ini. Coba lagi dalam "
            "%(n)d detik.",
            self.seconds,
        ) % {"n": self.seconds}

    def headers(self, response: HttpResponse) -> HttpResponse:
        response.status_code = 429
        response["Retry-After"] = str(self.seconds)
        return response


def refusal(
    username: str, address: str | None, *, known: bool = False, now: datetime | None = None
) -> Refusal | None:
    """Whether a password for ``username`` from ``address`` may be checked now (None) or not.
    ``known``: this browser has logged in as that name before (not slowed by the name's count).
    ``now`` for tests; the database's rows carry their own times."""
    name = normalise(username)
    if not name:
        return None
    now = now or timezone.now()
    recent = LoginFailure.objects.filter(username=name, at__gt=now - WINDOW)
    pair = list(recent.filter(ip=address).order_by("-at").values_list("at", flat=True)[:PAIR_LIMIT])
    if len(pair) >= PAIR_LIMIT:
        free_at = pair[-1] + WINDOW
        return Refusal(seconds=max(1, math.ceil((free_at - now).total_seconds())), pair=True)
    if known:
        return None
    count = recent.count()
    delay = name_delay(count)
    if delay:
        last = recent.order_by("-at").values_list("at", flat=True).first()
        if last is not None:
            wait = math.ceil((last + timedelta(seconds=delay) - now).total_seconds())
            if wait > 0:
                return Refusal(seconds=wait, pair=False)
    return None


def record_failure(username: str, address: str | None, *, now: datetime | None = None) -> None:
    name = normalise(username)
    if not name:
        return
    now = now or timezone.now()
    LoginFailure.objects.filter(at__lte=now - WINDOW).delete()  # the window is all we keep
    LoginFailure.objects.create(username=name, ip=address, at=now)


def record_success(username: str, address: str | None) -> None:
    """The right password from this address: its own failures are forgiven. The name's
    failures from other addresses stay (the real user's login must not wipe a guesser's
    count)."""
    LoginFailure.objects.filter(username=normalise(username), ip=address).delete()


def is_known(request: HttpRequest, username: str) -> bool:
    return normalise(username) in _known_names(request)


def _known_names(request: HttpRequest) -> list[str]:
    try:
        names = signing.loads(
            request.COOKIES.get(KNOWN_COOKIE, ""), salt=_SALT, max_age=KNOWN_MAX_AGE
        )
    except signing.BadSignature:
        return []
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def remember(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """After a successful login: this browser knows ``username`` (for the name's slow-down)."""
    name = normalise(username)
    names = [name] + [n for n in _known_names(request) if n != name]
    response.set_cookie(
        KNOWN_COOKIE,
        signing.dumps(names[:KNOWN_MAX_NAMES], salt=_SALT),
        max_age=KNOWN_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )

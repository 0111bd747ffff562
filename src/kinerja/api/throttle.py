"""The rate limit of the API, per token: at most ``KINERJA_API_RATE_LIMIT`` requests (default
600) in each minute (a fixed window starting at the minute's first second). The counts are rows
of ``RateCount`` in the database, so every app process behind a load balancer counts the same
requests; nothing is kept in a process. Past the limit: 429 ``rate_limited`` with
``Retry-After`` (the seconds until the next window)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ApiError, retry_after
from .models import AccessToken, RateCount

WINDOW = timedelta(minutes=1)
DEFAULT_LIMIT = 600


def limit() -> int:
    return int(getattr(settings, "KINERJA_API_RATE_LIMIT", DEFAULT_LIMIT))


def count_request(token: AccessToken) -> None:
    """Count one request of ``token``; ApiError 429 when it is over the window's limit.

    One query for a request under the limit: the window's row is counted up only while it is
    under the limit, so a row counted says the request is allowed. No row counted: the
    window is new (its row is made, the token's earlier ones deleted) or it is full (the
    refused request is counted too)."""
    now = timezone.now()
    window = now.replace(second=0, microsecond=0)
    counts = RateCount.objects.filter(token=token, window=window)
    most = limit()
    if counts.filter(count__lt=most).update(count=F("count") + 1):  # not on a cached page
        return
    if not counts.update(count=F("count") + 1):  # not on a cached page
        try:
            with transaction.atomic():
                RateCount.objects.create(token=token, window=window, count=1)
        except IntegrityError:  # another process made the window's row first: count in it
            return count_request(token)
        # a new window: the token's earlier windows are of no use any more
        RateCount.objects.filter(token=token, window__lt=window).delete()
        if most >= 1:
            return
    wait = (window + WINDOW - now).total_seconds()
    raise ApiError(
        429, "rate_limited",
        _("Terlalu banyak permintaan dengan token ini: paling banyak %(n)d per menit. "
          "Coba lagi dalam %(s)d detik.") % {"n": most, "s": max(1, round(wait))},
        details={"limit": most, "window_seconds": int(WINDOW.total_seconds())},
        headers=retry_after(wait),
    )  # fmt: skip

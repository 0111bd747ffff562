"""Who calls the API: a personal access token (``Authorization: Bearer <token>``) or, for the
app's own pages, the browser's session (with Django's CSRF check on unsafe methods). Either way
the call runs as that user (``request.user``), under accounts/rules.py. A request that names a
token is judged by the token alone: a bad token is 401 even with a session cookie."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from . import throttle, tokens
from .errors import ApiError, unauthorized

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class BearerToken(HttpBearer):
    """A personal access token (api/tokens.py), counted against its rate limit."""

    openapi_description = "Token akses pribadi: «kinerja token --user NAMA» atau /akun/token/."

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _space, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise unauthorized()
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = tokens.find_token(token)
        if found is None:
            raise unauthorized()
        throttle.count_request(found)
        tokens.touch(found)
        request.user = found.user  # the call runs as the token's user (history, rules)
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class Session(APIKeyCookie):
    """The browser's logged-in session (the app's own pages); CSRF is checked on writes."""

    def __init__(self) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        if "Authorization" in request.headers:
            return None  # judged by BearerToken alone
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request):
            raise ApiError(403, "csrf_failed",
                           _("Pemeriksaan CSRF gagal: kirim ulang dari halaman aplikasi "
                             "(header X-CSRFToken)."))  # fmt: skip
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover
        return None  # __call__ decides


AUTH = [BearerToken(), Session()]

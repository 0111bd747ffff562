"""Kinerja's own middleware: the language of every page, and Kinerja's own error pages.

Bahasa Indonesia unless the user chose English (the language cookie set by Django's
``set_language`` view); the browser's Accept-Language is not asked, so an English browser
still gets the Indonesian application its agency works in."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.translation import gettext as _

from .errors import TEMPLATES, error_page

logger = logging.getLogger("django.request")


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SessionLifetimeMiddleware:
    """A logged-in session ends after ``SESSION_IDLE_SECONDS`` without a request and
    ``SESSION_MAX_SECONDS`` after its login however active it is. The times live in the session
    itself (the database, like every session): any app process decides the same. The last
    request's time is written at most once a minute, which also renews the cookie and the
    session's expiry (``SESSION_COOKIE_AGE``), so not every request writes the session."""

    LOGIN_AT = "kinerja_login_at"
    SEEN_AT = "kinerja_seen_at"
    ENDED = "kinerja_session_ended"
    RENEW_AFTER = 60  # seconds

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        now = time.time()
        if SESSION_KEY in session:
            login_at = session.get(self.LOGIN_AT, now)
            seen_at = session.get(self.SEEN_AT, now)
            if (
                now - seen_at > settings.SESSION_IDLE_SECONDS
                or now - login_at > settings.SESSION_MAX_SECONDS
            ):
                session.flush()  # logged out: the page asks for the login again
                session[self.ENDED] = True  # the login page says why (accounts/views.py)
            elif self.LOGIN_AT not in session or now - seen_at >= self.RENEW_AFTER:
                session[self.LOGIN_AT] = login_at
                session[self.SEEN_AT] = now
        return self.get_response(request)


def _mark_login(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """Every login starts the session's lifetime anew (login() may keep an older session's
    data when the same user logs in again)."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SessionLifetimeMiddleware.LOGIN_AT] = now
        request.session[SessionLifetimeMiddleware.SEEN_AT] = now


def connect() -> None:
    """Called by the app's ready(): from the first login on, not only after the first request."""
    user_logged_in.connect(_mark_login, dispatch_uid="kinerja.session_lifetime")


class ErrorPageMiddleware:
    """Kinerja's own error pages also with ``DEBUG`` on (``kinerja serve``, ``kinerja demo``),
    where Django would answer with its English technical page. Outermost in MIDDLEWARE, so it
    also sees what the URL resolver and the other middleware answered. With ``DEBUG`` off it
    does nothing: Django then calls the handlers in ``kinerja.urls`` (the same pages)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code in TEMPLATES
            and not getattr(response, "kinerja_error_page", False)
            and getattr(request, "resolver_match", None) is None
        ):
            # no view answered: the resolver found nothing (404) or a middleware refused the
            # request (a bad Host header, 400); Django drew its technical page
            return error_page(request, response.status_code)
        return response

    def process_view(self, request: HttpRequest, *args: object) -> HttpResponse | None:
        """A NUL character is no text anyone types, and PostgreSQL cannot store it: 400."""
        try:
            posted = request.POST
        except (BadRequest, SuspiciousOperation, MultiPartParserError) as exc:
            # too many fields, a body too large, a broken upload: Django answers 400 itself
            # with DEBUG off (and logs it); with DEBUG on it would draw its technical page
            if settings.DEBUG:
                return error_page(request, 400, exc)
            raise
        for data in (request.GET, posted):
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    return error_page(request, 400, message=_("Isian memuat karakter NUL."))
        return None

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not settings.DEBUG:
            return None
        if isinstance(exc, Http404):
            return error_page(request, 404, exc)
        if isinstance(exc, PermissionDenied):
            return error_page(request, 403, exc)
        if isinstance(exc, BadRequest | SuspiciousOperation):
            return error_page(request, 400, exc)
        logger.error("Internal Server Error: %s", request.path, exc_info=exc)
        response = error_page(request, 500, exc)
        response._has_been_logged = True  # type: ignore[attr-defined] # once, with traceback
        return response

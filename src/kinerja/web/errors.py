"""Kinerja's own error pages (400, 403, 404, 500), in the user's language, never Django's
English technical page.

With ``DEBUG`` off Django calls the handlers below (``handler400`` … in ``kinerja.urls``).
With ``DEBUG`` on — ``kinerja serve`` and ``kinerja demo`` — Django would show its technical
page instead, so ``ErrorPageMiddleware`` (kinerja/web/middleware.py) renders the same pages;
the traceback of an unexpected error still goes to the server log.
"""

from __future__ import annotations

import logging
from types import TracebackType

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

logger = logging.getLogger("kinerja.errors")

TEMPLATES = {400: "400.html", 403: "403.html", 404: "404.html", 500: "500.html"}


def _own_message(exc: BaseException | None) -> str:
    """The message of an exception Kinerja raised itself (translated, meant for the reader);
    empty for one raised inside Django or a library, whose text may be English or technical."""
    if exc is None or not exc.args or not isinstance(exc.args[0], str):
        return ""
    tb: TracebackType | None = exc.__traceback__
    module = ""
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        tb = tb.tb_next
    return exc.args[0] if module.startswith("kinerja.") else ""


def error_page(
    request: HttpRequest, status: int, exc: BaseException | None = None, *, message: str = ""
) -> HttpResponse:
    """The page for ``status``. 400, 403 and 404 use the site's layout; should that fail (the
    database is what failed, say) and for 500, a plain page that needs nothing but itself."""
    if not message and status != 500:
        message = _own_message(exc)
    if request.path.startswith("/api/"):
        return _api_error(status, message)
    context = {"status": status, "message": message}
    try:
        if status == 500:
            raise LookupError  # the layout queries the database: the 500 page must not
        content = loader.render_to_string(TEMPLATES[status], context, request)
    except Exception:  # noqa: BLE001 - an error page must always render
        if status != 500:
            logger.exception("error page %s could not use the layout", status)
        content = loader.render_to_string("500.html", context)
    response = HttpResponse(content, status=status)
    response.kinerja_error_page = True  # type: ignore[attr-defined]
    return response


# the JSON API's answer where Django or a middleware refuses an /api/ request before its view
# (a NUL in the query, a server error): the API's one error shape (docs/api.md), never HTML
_API_CODES = {400: ("bad_request", _lazy("Permintaan tidak dapat dibaca.")),
              403: ("forbidden", _lazy("Anda tidak berhak mengakses data ini.")),
              404: ("not_found", _lazy("Alamat API ini tidak ada.")),
              500: ("server_error", _lazy("Terjadi galat di server; coba lagi nanti."))}  # fmt: skip


def _api_error(status: int, message: str) -> HttpResponse:
    code, default = _API_CODES[status]
    body = {"code": code, "message": message or str(default), "details": None}
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response.kinerja_error_page = True  # type: ignore[attr-defined]
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400, exception)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403, exception)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (CSRF): 403 with a hint the reader can act on."""
    response = error_page(
        request,
        403,
        message=_(
            "Formulir ini sudah kedaluwarsa atau cookie diblokir. Muat ulang halaman, lalu kirim "
            "lagi."
        ),
    )
    logger.warning("CSRF refused %s: %s", request.path, reason)
    return response

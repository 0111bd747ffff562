"""/api/: the NinjaAPI's routes (names ``api:<view>``), then a JSON 404 for /api/ itself and
any other path under it — never the app's HTML page. A method a route does not have (DELETE
on a read) is a JSON 405 ``method_not_allowed`` with its ``Allow`` header: ninja answers it
before any view or handler runs, as plain text, so each route's view is wrapped here (the
OpenAPI document and the docs page, which ninja serves to any method, answer GET and HEAD
only)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, path, re_path
from django.utils.translation import gettext as _

from .api import api
from .errors import error_response, method_not_allowed


def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(request, 404, "not_found", _("Alamat API ini tidak ada."))


def json_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``view`` with ninja's plain-text 405 answered in the API's error shape."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            code, message = method_not_allowed()
            return error_response(request, 405, code, message,
                                  headers={"Allow": response["Allow"]})  # fmt: skip
        return response

    return wrapped


def read_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``view`` for GET and HEAD only (ninja's document and docs page take any method)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return view(request, *args, **kwargs)

    return wrapped


PUBLIC_PAGES = ("openapi-json", "openapi-view")


def _routes() -> tuple[list[Any], str, str]:
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            view = read_only(pattern.callback) if pattern.name in PUBLIC_PAGES else pattern.callback
            pattern.callback = json_405(view)
    return patterns, app_name, namespace


urlpatterns = [
    path("", unknown),  # /api/ itself: ninja's root view would answer the app's HTML 404
    path("", _routes()),
    re_path(r"^(?P<rest>.*)$", unknown),
]

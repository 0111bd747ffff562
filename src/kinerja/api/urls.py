"""/api/: the NinjaAPI's routes (names ``api:<view>``), then a JSON 404 for /api/ itself and
any other path under it — never the app's HTML page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _

from .api import api
from .errors import error_response


def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(request, 404, "not_found", _("Alamat API ini tidak ada."))


urlpatterns = [
    path("", unknown),  # /api/ itself: ninja's root view would answer the app's HTML 404
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", unknown),
]

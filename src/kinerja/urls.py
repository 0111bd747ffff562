from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy

from kinerja.accounts.views import (
    ThrottledLoginView,
    ThrottledPasswordChangeView,
    reminder_settings,
)


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers (and the load benchmark's baseline): the smallest Django view."""
    return HttpResponse("ok", content_type="text/plain")


admin.site.site_header = gettext_lazy("Administrasi Kinerja")
admin.site.site_title = "Kinerja"
admin.site.index_title = gettext_lazy("Data perencanaan, realisasi dan pengguna")

urlpatterns = [
    path("", include("kinerja.web.urls")),
    path("rencana/", include("kinerja.planning.urls")),
    path("isi/", include("kinerja.monitoring.urls")),
    path("isi/", include("kinerja.monitoring.urls_texts")),
    path("masuk/", ThrottledLoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("sandi/", ThrottledPasswordChangeView.as_view(), name="password_change"),
    path(
        "sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),  # fmt: skip
    path("akun/pengingat/", reminder_settings, name="reminders"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sehat/", health, name="health"),
    path("api/", include("kinerja.api.urls")),
    path("akun/token/", include("kinerja.api.page_urls")),
]

# Kinerja's own pages with DEBUG off; with DEBUG on, web.middleware.ErrorPageMiddleware
handler400 = "kinerja.web.errors.bad_request"
handler403 = "kinerja.web.errors.permission_denied"
handler404 = "kinerja.web.errors.page_not_found"
handler500 = "kinerja.web.errors.server_error"

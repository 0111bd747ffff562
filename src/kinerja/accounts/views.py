"""Login with throttling: after too many failures for a user name or an address, refuse for a
while. The failures live in the database, so every app process enforces the same limit."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LoginFailure

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def too_many_failures(username: str, ip: str | None) -> bool:
    since = timezone.now() - WINDOW
    recent = LoginFailure.objects.filter(at__gte=since)
    by_user = recent.filter(username__iexact=username).count() if username else 0
    by_ip = recent.filter(ip=ip).count() if ip else 0
    return max(by_user, by_ip) >= MAX_FAILURES


class ThrottledLoginView(auth_views.LoginView):
    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        username = request.POST.get("username", "").strip()
        if too_many_failures(username, _ip(request)):
            messages.error(request, _("Terlalu banyak percobaan masuk yang gagal. Coba lagi "
                                      "dalam 15 menit."))  # fmt: skip
            return self.render_to_response(self.get_context_data(throttled=True), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):  # type: ignore[no-untyped-def]
        LoginFailure.objects.create(username=self.request.POST.get("username", "")[:150],
                                    ip=_ip(self.request))  # fmt: skip
        return super().form_invalid(form)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        LoginFailure.objects.filter(username__iexact=form.get_user().get_username()).delete()
        return super().form_valid(form)

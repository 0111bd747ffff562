"""Login and password change with throttling (accounts/throttle.py): a (user name, address) pair
is refused for a while after too many failures, a user name is only slowed down. A refused
request checks no password and renders an unbound form, so it tells nothing about the
password either."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import throttle
from .rules import profile_of


class ThrottledLoginView(auth_views.LoginView):
    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.session.pop("kinerja_session_ended", False):  # web.middleware
            messages.info(request, _("Sesi Anda telah berakhir. Silakan masuk lagi."))
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        username = request.POST.get("username", "")
        refused = throttle.refusal(
            username, throttle.client_address(request), known=throttle.is_known(request, username)
        )
        if refused:
            messages.error(request, refused.message())
            form = self.get_form_class()(request)  # unbound: no password is checked
            return refused.headers(self.render_to_response(self.get_context_data(form=form)))
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):  # type: ignore[no-untyped-def]
        throttle.record_failure(
            self.request.POST.get("username", ""), throttle.client_address(self.request)
        )
        return super().form_invalid(form)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        username = form.get_user().get_username()
        throttle.record_success(username, throttle.client_address(self.request))
        response = super().form_valid(form)
        throttle.remember(self.request, response, username)
        return response


class ThrottledPasswordChangeView(auth_views.PasswordChangeView):
    """A wrong old password counts as a failed login of that user from that address."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        username = request.user.get_username()
        refused = throttle.refusal(
            username, throttle.client_address(request), known=throttle.is_known(request, username)
        )
        if refused:
            messages.error(request, refused.message())
            form = self.get_form_class()(request.user)  # unbound: the old password unchecked
            return refused.headers(self.render_to_response(self.get_context_data(form=form)))
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):  # type: ignore[no-untyped-def]
        if "old_password" in form.errors:
            throttle.record_failure(
                self.request.user.get_username(), throttle.client_address(self.request)
            )
        return super().form_invalid(form)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        throttle.record_success(
            self.request.user.get_username(), throttle.client_address(self.request)
        )
        return super().form_valid(form)


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    """The signed-in user turns the e-mail reminders (monitoring/reminders.py) on or off."""
    profile = profile_of(request.user)
    if profile is None:
        raise PermissionDenied
    if request.method == "POST":
        profile.reminders = request.POST.get("reminders") == "on"
        profile.save(update_fields=["reminders"])
        messages.success(request, _("Pengingat lewat surel dinyalakan.") if profile.reminders
                         else _("Pengingat lewat surel dimatikan."))  # fmt: skip
        return redirect("reminders")
    return render(request, "accounts/reminders.html",
                  {"profile": profile, "email": (request.user.email or "").strip()})  # fmt: skip

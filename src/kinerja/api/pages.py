"""The token page (/akun/token/): a user lists their API tokens, makes one (shown once, on
the answer to the form, never stored) and revokes one. Only their own tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import tokens
from .models import AccessToken

EXPIRY_CHOICES = (30, 90, 365)


def _page(
    request: HttpRequest, *, secret: str = "", error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "tokens": AccessToken.objects.filter(user=request.user),
        "secret": secret,
        "error": error,
        "expiry_choices": EXPIRY_CHOICES,
    }
    response = render(request, "api/tokens.html", context, status=status)
    add_never_cache_headers(response)  # the page may hold a new token: never kept by a cache
    return response


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request)
    days_text = request.POST.get("expires", "")
    days = int(days_text) if days_text.isascii() and days_text.isdigit() else None
    if days_text and days not in EXPIRY_CHOICES:
        return _page(request, error=_("Pilih masa berlaku dari daftar."), status=400)
    try:
        _token, secret = tokens.create_token(request.user, name=request.POST.get("name", ""),
                                             expires_days=days)  # fmt: skip
    except tokens.TokenRefused as exc:
        return _page(request, error=str(exc), status=400)
    return _page(request, secret=secret)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if tokens.revoke(request.user, pk):
        messages.success(request, _("Token dicabut; permintaan dengannya kini ditolak."))
    else:
        messages.error(request, _("Token itu tidak ada atau sudah dicabut."))
    return redirect("tokens:list")

"""Every refusal of the API as one JSON shape (docs/api.md, "Errors"):

    {"code": "stable_snake_code", "message": "Kalimat dalam bahasa Indonesia.", "details": …}

``code`` never changes once published (clients branch on it); ``message`` is for people and
may be reworded; ``details`` is null or, per code, a documented structure (the fields of a
422, the stale rows of a 412)."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError


class ErrorOut(Schema):
    code: str
    message: str
    details: Any = None


class ApiError(Exception):
    """Raise anywhere under the API: answered as ``status`` with this code and message."""

    def __init__(self, status: int, code: str, message: str, details: Any = None,
                 headers: dict[str, str] | None = None) -> None:  # fmt: skip
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details, self.headers = details, headers or {}


def not_found(message: str | None = None) -> ApiError:
    return ApiError(404, "not_found", message or _("Data yang diminta tidak ada."))


def forbidden(message: str | None = None) -> ApiError:
    return ApiError(403, "forbidden", message or _("Anda tidak berhak mengakses data ini."))


def unauthorized() -> ApiError:
    return ApiError(
        401, "unauthorized",
        _("Token tidak ada, tidak sah, kedaluwarsa atau sudah dicabut. Kirim "
          "«Authorization: Bearer <token>»."),
        headers={"WWW-Authenticate": 'Bearer realm="kinerja"'},
    )  # fmt: skip


def method_not_allowed() -> tuple[str, str]:
    return "method_not_allowed", _("Metode ini tidak tersedia untuk alamat ini.")


def error_response(request: HttpRequest, status: int, code: str, message: str,
                   details: Any = None, headers: dict[str, str] | None = None) -> HttpResponse:  # fmt: skip
    from .api import api

    response = api.create_response(
        request, {"code": code, "message": message, "details": details}, status=status
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# pydantic's error types in Indonesian; {…} are the error's ctx values
_PYDANTIC = {
    "missing": "wajib diisi",
    "int_parsing": "harus bilangan bulat",
    "int_type": "harus bilangan bulat",
    "int_from_float": "harus bilangan bulat",
    "bool_parsing": "harus true atau false",
    "bool_type": "harus true atau false",
    "string_type": "harus teks",
    "decimal_parsing": "harus angka",
    "float_parsing": "harus angka",
    "greater_than_equal": "paling kecil {ge}",
    "greater_than": "harus lebih dari {gt}",
    "less_than_equal": "paling besar {le}",
    "less_than": "harus kurang dari {lt}",
    "string_too_long": "paling banyak {max_length} karakter",
    "string_too_short": "paling sedikit {min_length} karakter",
    "too_long": "paling banyak {max_length} unsur",
    "literal_error": "harus salah satu dari: {expected}",
    "enum": "harus salah satu dari: {expected}",
    "date_from_datetime_parsing": "harus tanggal (TTTT-BB-HH)",
    "date_parsing": "harus tanggal (TTTT-BB-HH)",
    "json_invalid": "bukan JSON yang sah",
    "model_attributes_type": "harus objek JSON",
    "dict_type": "harus objek JSON",
    "list_type": "harus daftar (array) JSON",
    "extra_forbidden": "tidak dikenal",
}


def indonesian(error: dict[str, Any]) -> str:
    said = _PYDANTIC.get(str(error.get("type", "")))
    if said is None:
        return _("nilai tidak sah")
    try:
        return _(said).format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return _(said)


def _field(error: dict[str, Any]) -> dict[str, Any]:
    # ninja's loc: ("query", "limit") / ("path", "year") / ("body", "payload", "rows", 0, …)
    loc = [p for p in error.get("loc", ()) if p not in ("payload",)]
    return {"loc": loc, "message": indonesian(error), "type": error.get("type", "")}


def install(api: NinjaAPI) -> None:
    """The API's exception handlers: every refusal in the one JSON shape."""

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(request, exc.status, exc.code, exc.message, exc.details,
                              exc.headers)  # fmt: skip

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = [_field(e) for e in exc.errors]
        return error_response(request, 422, "invalid_input",
                              _("Isian permintaan tidak sah; lihat «details»."), fields)  # fmt: skip

    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return on_api_error(request, unauthorized())

    def on_authz(request: HttpRequest, exc: Exception) -> HttpResponse:
        return on_api_error(request, forbidden())

    def on_404(request: HttpRequest, exc: Exception) -> HttpResponse:
        return on_api_error(request, not_found())

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        codes = {400: ("bad_request", _("Permintaan tidak dapat dibaca.")),
                 401: ("unauthorized", ""), 403: ("forbidden", ""),
                 405: method_not_allowed(),
                 429: ("rate_limited", _("Terlalu banyak permintaan; coba lagi nanti."))}  # fmt: skip
        if exc.status_code == 401:
            return on_auth(request, exc)  # type: ignore[arg-type]
        if exc.status_code == 403:
            return on_authz(request, exc)
        code, message = codes.get(exc.status_code, ("bad_request", _("Permintaan tidak sah.")))
        return error_response(request, exc.status_code, code, message)

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(AuthorizationError, on_authz)
    api.add_exception_handler(PermissionDenied, on_authz)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(HttpError, on_http_error)


def retry_after(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}

"""The NinjaAPI instance: /api/, its OpenAPI document and docs page, auth, errors, routers.

Routers: ``read`` (this module's first resources, api/read.py); writes are added as their own
routers in the same way (docs/api.md)."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from . import errors
from .auth import AUTH


class KinerjaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:  # type: ignore[no-untyped-def]
        """The view's own name (``get_evaluation``): stable, and what clients generate from."""
        return operation.view_func.__name__


api = KinerjaAPI(
    title="Kinerja API",
    version="1",
    description=(
        "API JSON Kinerja: data perencanaan, realisasi triwulan, evaluasi dan laporan, dengan "
        "aturan yang sama dengan layar aplikasi. Autentikasi: «Authorization: Bearer <token>» "
        "(token dari «kinerja token --user NAMA» atau halaman /akun/token/). Konvensi (galat, "
        "paginasi, versi baris, batas laju): docs/api.md."
    ),
    urls_namespace="api",
    auth=AUTH,
    # Swagger UI from the static files django-ninja ships ("ninja" in INSTALLED_APPS): no CDN,
    # and its init script is a file, so the CSP's script-src 'self' holds
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

from . import read  # noqa: E402  (the routes register themselves on ``api``)

api.add_router("", read.router)

from . import rollups  # noqa: E402  (the quarter's roll-up: api/rollups.py)

api.add_router("", rollups.router)

from . import write  # noqa: E402, F401  (the write side: its routes join read.router's paths)

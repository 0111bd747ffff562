"""Kinerja's URLs plus one view that fails unexpectedly, for tests of the 500 page."""

from django.urls import path

from kinerja.urls import handler400, handler403, handler404, handler500, urlpatterns


def _fails(request):
    raise RuntimeError("an unexpected failure in a view")


urlpatterns = [*urlpatterns, path("gagal/", _fails)]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

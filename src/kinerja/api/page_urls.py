"""/akun/token/: the owner's API tokens (api/pages.py)."""

from django.urls import path

from . import pages

app_name = "tokens"
urlpatterns = [
    path("", pages.token_list, name="list"),
    path("<int:pk>/cabut/", pages.token_revoke, name="revoke"),
]

from django.urls import path

from . import evidence_views
from . import texts_views as views

app_name = "texts"
QUARTER = "<slug:agency>/<int:year>/tw<int:quarter>/"
urlpatterns = [
    path(QUARTER + "iku/", views.iku, name="iku"),
    path(QUARTER + "iku/simpan/", views.iku_save, name="iku_save"),
    path(QUARTER + "narasi/", views.narratives, name="narratives"),
    path(QUARTER + "narasi/simpan/", views.narratives_save, name="narratives_save"),
    path(QUARTER + "bukti/<int:item>/", evidence_views.evidence, name="evidence"),
    path(
        QUARTER + "bukti/<int:item>/unduh/<int:evidence>/",
        evidence_views.evidence_file,
        name="evidence_file",
    ),  # fmt: skip
]

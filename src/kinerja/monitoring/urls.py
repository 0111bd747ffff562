from django.urls import path

from . import views

app_name = "monitoring"
QUARTER = "<slug:agency>/<int:year>/tw<int:quarter>/"
urlpatterns = [
    path(QUARTER, views.grid, name="grid"),
    path(QUARTER + "simpan/", views.save, name="save"),
    path(QUARTER + "pratinjau/<int:item>/", views.preview, name="preview"),
]

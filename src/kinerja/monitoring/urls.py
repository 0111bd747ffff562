from django.urls import path

from . import views, views_notes, views_offline

app_name = "monitoring"
QUARTER = "<slug:agency>/<int:year>/tw<int:quarter>/"
urlpatterns = [
    path(QUARTER, views.grid, name="grid"),
    path(QUARTER + "simpan/", views.save, name="save"),
    path(QUARTER + "pratinjau/<int:item>/", views.preview, name="preview"),
    path(QUARTER + "catatan/<int:note>/jawab/", views_notes.reply, name="note_reply"),
    path(QUARTER + "catatan/<int:note>/selesai/", views_notes.done, name="note_done"),
    path(QUARTER + "excel/", views_offline.download, name="offline_download"),
    path(QUARTER + "excel/unggah/", views_offline.upload, name="offline_upload"),
    path(QUARTER + "excel/terapkan/", views_offline.apply, name="offline_apply"),
]

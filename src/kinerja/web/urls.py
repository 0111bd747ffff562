from django.urls import path

from . import confirm, dashboard, formcheck, overview, reports, rollup_pages, views

app_name = "web"
QUARTER = "pd/<slug:agency>/<int:year>/tw<int:quarter>/"
urlpatterns = [
    path("", views.home, name="home"),
    path("pilih/", views.pick, name="pick"),
    path("periksa-formulir/", formcheck.check_form, name="check_form"),
    path(QUARTER, views.quarter, name="quarter"),
    path(QUARTER + "dasbor/", dashboard.dashboard, name="dashboard"),
    path(QUARTER + "ajukan/", views.transition, {"action": "submit"}, name="submit"),
    # the confirmation before each step (GET): completeness, Lembar Pemeriksaan, the form
    path(QUARTER + "ajukan/periksa/", confirm.confirm, {"action": "submit"}, name="submit_confirm"),
    path(
        QUARTER + "verifikasi/periksa/",
        confirm.confirm,
        {"action": "verify"},
        name="verify_confirm",
    ),
    path(
        QUARTER + "sahkan/periksa/", confirm.confirm, {"action": "approve"}, name="approve_confirm"
    ),
    path(QUARTER + "kembalikan/", views.transition, {"action": "return"}, name="return"),
    path(QUARTER + "verifikasi/", views.transition, {"action": "verify"}, name="verify"),
    path(QUARTER + "sahkan/", views.transition, {"action": "approve"}, name="approve"),
    path(QUARTER + "buka-kembali/", views.transition, {"action": "reopen"}, name="reopen"),
    path(QUARTER + "catatan/", views.note, name="note"),
    path(QUARTER + "tanggal-laporan/", views.report_date, name="report_date"),
    path(QUARTER + "laporan/", reports.reports, name="reports"),
    path(QUARTER + "laporan/<str:document>.<str:fmt>", reports.download, name="download"),
    path(QUARTER + "laporan/antrean/<int:job>/", reports.report_job, name="report_job"),
    path("pd/<slug:agency>/riwayat/<str:kind>/<int:pk>/", views.history, name="history"),
    path("terlambat/<int:year>/tw<int:quarter>/", views.late, name="late"),
    path("pemda/<int:year>/tw<int:quarter>/", overview.overview, name="overview"),
    # above the pemda (issue 18): a pemda reached from above, a province, the country
    path(
        "pemda/<slug:pemda>/<int:year>/tw<int:quarter>/", overview.overview_of, name="overview_of"
    ),
    path(
        "provinsi/<slug:province>/<int:year>/tw<int:quarter>/",
        rollup_pages.province,
        name="province",
    ),
    path("nasional/<int:year>/tw<int:quarter>/", rollup_pages.national, name="national"),
]

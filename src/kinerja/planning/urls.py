from django.urls import path

from . import views, views_form_import, views_import, views_kop, views_renja, views_renstra

app_name = "planning"
YEAR = "<slug:agency>/<int:year>/"
urlpatterns = [
    path("<slug:agency>/renstra/", views.renstra, name="renstra"),
    path("<slug:agency>/target/<int:pk>/revisi/", views.revise_target, name="revise_target"),
    path("<slug:agency>/tujuan/<int:pk>/uraian/", views.goal_narrative, name="goal_narrative"),
    path(YEAR + "renja/", views.renja, name="renja"),
    path(YEAR + "renja/<int:pk>/pagu/", views.revise_budget, name="revise_budget"),
    path(YEAR + "renja/<int:pk>/tw<int:quarter>/", views.action_plan, name="action_plan"),
    # the Renja tree editor (views_renja)
    path(YEAR + "renja/susun/", views_renja.renja_tree, name="renja_tree"),
    path(YEAR + "renja/susun/tambah/", views_renja.renja_add, name="renja_add"),
    path(YEAR + "renja/susun/periksa/", views_renja.renja_check, name="renja_check"),
    path(YEAR + "renja/susun/<int:pk>/ubah/", views_renja.renja_edit, name="renja_edit"),
    path(
        YEAR + "renja/susun/<int:pk>/indikator/",
        views_renja.renja_add_indicator,
        name="renja_add_indicator",
    ),
    path(YEAR + "renja/susun/<int:pk>/pindah/", views_renja.renja_move, name="renja_move"),
    path(YEAR + "renja/susun/<int:pk>/hapus/", views_renja.renja_remove, name="renja_remove"),
    # plan import and export (views_import)
    path(YEAR + "impor/", views_import.plan_import, name="plan_import"),
    path(YEAR + "impor/antrean/<int:job>/", views_import.plan_import_job, name="plan_import_job"),
    path(YEAR + "impor/templat.xlsx", views_import.template_download, name="plan_template"),
    path(YEAR + "ekspor.xlsx", views_import.plan_download, name="plan_export"),
    # start from an existing evaluation form (views_form_import)
    path(YEAR + "impor-formulir/", views_form_import.form_import, name="form_import"),
    path(YEAR + "iku/", views.iku, name="iku"),
    path(YEAR + "pk/", views.agreement, name="pk"),
    path(YEAR + "pk/penanda-tangan/<int:pk>/", views.signatory, name="signatory"),
    path(YEAR + "pk/tanggal/", views.agreement_signing, name="pk_signing"),
    path(YEAR + "kop/", views_kop.kop, name="kop"),
    path(YEAR + "kop/logo/", views_kop.kop_logo, name="kop_logo"),
    path(YEAR + "kop/lampiran-temuan/", views_kop.findings_appendix, name="findings_appendix"),
    # the Renstra editor, the IKU sheet, the PK from the Renja and next year (views_renstra)
    path("<slug:agency>/renstra/baru/", views_renstra.renstra_new, name="renstra_new"),
    path("<slug:agency>/renstra/<int:plan>/ubah/", views_renstra.renstra_edit, name="renstra_edit"),
    path("<slug:agency>/renstra/<int:plan>/tujuan/", views_renstra.goal_save, name="goal_add"),
    path(
        "<slug:agency>/renstra/<int:plan>/tujuan/<int:pk>/",
        views_renstra.goal_save,
        name="goal_save",
    ),
    path(
        "<slug:agency>/renstra/<int:plan>/tujuan/<int:goal>/sasaran/",
        views_renstra.objective_save,
        name="objective_add",
    ),
    path(
        "<slug:agency>/renstra/<int:plan>/tujuan/<int:goal>/sasaran/<int:pk>/",
        views_renstra.objective_save,
        name="objective_save",
    ),
    path(
        "<slug:agency>/renstra/<int:plan>/indikator/",
        views_renstra.indicator_edit,
        name="indicator_add",
    ),
    path(
        "<slug:agency>/renstra/<int:plan>/indikator/periksa/",
        views_renstra.indicator_check,
        name="indicator_check",
    ),
    path(
        "<slug:agency>/renstra/<int:plan>/indikator/<int:pk>/",
        views_renstra.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "<slug:agency>/renstra/<int:plan>/hapus/<str:kind>/<int:pk>/",
        views_renstra.remove,
        name="renstra_remove",
    ),
    path(YEAR + "iku/lembar/", views_renstra.iku_candidates, name="iku_list"),
    path(YEAR + "iku/<int:pk>/ubah/", views_renstra.iku_edit, name="iku_edit"),
    path(YEAR + "pk/susun/", views_renstra.pk_build, name="pk_build"),
    path(YEAR + "siapkan/", views_renstra.rollover_view, name="rollover"),
]

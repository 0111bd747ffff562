from django.urls import path

from . import views, views_kop

app_name = "planning"
YEAR = "<slug:agency>/<int:year>/"
urlpatterns = [
    path("<slug:agency>/renstra/", views.renstra, name="renstra"),
    path("<slug:agency>/target/<int:pk>/revisi/", views.revise_target, name="revise_target"),
    path(YEAR + "renja/", views.renja, name="renja"),
    path(YEAR + "renja/<int:pk>/pagu/", views.revise_budget, name="revise_budget"),
    path(YEAR + "renja/<int:pk>/tw<int:quarter>/", views.action_plan, name="action_plan"),
    path(YEAR + "iku/", views.iku, name="iku"),
    path(YEAR + "pk/", views.agreement, name="pk"),
    path(YEAR + "pk/penanda-tangan/<int:pk>/", views.signatory, name="signatory"),
    path(YEAR + "kop/", views_kop.kop, name="kop"),
    path(YEAR + "kop/logo/", views_kop.kop_logo, name="kop_logo"),
]

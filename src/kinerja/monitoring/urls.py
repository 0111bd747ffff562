from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns: list = []
_ = (path, views)

"""Open data of all municipalities on the platform host, below /daten/."""

from django.urls import path

from opendata import platform_views

app_name = "opendata-platform"

urlpatterns = [
    path("", platform_views.data_list, name="list"),
    path("katalog.<str:suffix>", platform_views.catalogue, name="catalogue"),
]

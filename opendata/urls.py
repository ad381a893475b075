"""Open data on a municipality's host, below /daten/ (German) and /en/daten/."""

from django.urls import path

from opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.data_list, name="list"),
    path("katalog.<str:suffix>", views.catalogue, name="catalogue"),
    path("generiert/<slug:key>.<str:fmt>", views.generated_file, name="generated-file"),
    path("api/<slug:slug>/werte", views.series_api, name="series-api"),
    path("<slug:slug>/", views.dataset, name="dataset"),
    path("<slug:slug>/reihe.csv", views.series_csv, name="series-csv"),
    path("<slug:slug>/dateien/<int:pk>/", views.download, name="download"),
    path("<slug:slug>/dateien/<int:pk>/v<int:number>/", views.download, name="download-version"),
]

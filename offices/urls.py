"""Portal URLs of the offices (included by the tenant URL conf, below the language prefix)."""

from django.urls import path

from offices import views

app_name = "offices"

urlpatterns = [
    path("dienststellen/", views.directory, name="directory"),
    path("dienststellen/landkreis/<slug:slug>/", views.district_detail, name="district-detail"),
    path("dienststellen/<slug:slug>/", views.detail, name="detail"),
    path("zustaendigkeit/", views.finder, name="finder"),
]

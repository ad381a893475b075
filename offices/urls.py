"""Portal URLs of the offices (included by the tenant URL conf, below the language prefix)."""

from django.urls import path

from offices import views

app_name = "offices"

urlpatterns = [
    path("dienststellen/", views.directory, name="directory"),
    path("dienststellen/landkreis/<slug:slug>/", views.district_detail, name="district-detail"),
    path("dienststellen/<slug:slug>/", views.detail, name="detail"),
    path("dienststellen/<slug:slug>/kontakt/", views.contact, name="office-contact"),
    path("kontaktformular/", views.contact, name="contact"),
    path("kontaktformular/gesendet/", views.contact_sent, name="contact-sent"),
    path("zustaendigkeit/", views.finder, name="finder"),
]

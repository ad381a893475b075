"""The 2FA pages; included under /cms/zwei-faktor/ (portals) and /office/zwei-faktor/ (platform host)."""

from django.urls import path

from amtsplatz.infra.mfa import views

app_name = "mfa"
urlpatterns = [
    path("", views.verify, name="verify"),
    path("einrichten/", views.enrol, name="enrol"),
]

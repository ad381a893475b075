"""Console URLs of the district offices (included under /office/districts/ by amtsplatz.urls_public)."""

from django.urls import path

from offices.districts import console

urlpatterns = [
    path("", console.districts, name="office-districts"),
    path("<str:key>/offices/new/", console.office_edit, name="office-district-office-new"),
    path("<str:key>/offices/<int:pk>/", console.office_edit, name="office-district-office"),
]

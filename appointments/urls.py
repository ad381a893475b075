from django.urls import path

from appointments import views

app_name = "appointments"
urlpatterns = [
    path("", views.start, name="start"),
    path("dienststelle/", views.offices, name="offices"),
    path("reserviert/<uuid:public_id>/", views.reserved, name="reserved"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("termin/<str:token>/", views.manage, name="manage"),
    path("termin/<str:token>/absagen/", views.cancel, name="cancel"),
    path("termin/<str:token>/termin.ics", views.ics, name="ics"),
    path("buchen/<slug:office>/", views.book, name="book"),
]

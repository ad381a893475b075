from django.urls import path

from appointments import kiosk, staff_views, views, visit_views

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
    path("anzeige/<slug:office>/", staff_views.display, name="display"),
    path("anzeige/<slug:office>/stand.json", staff_views.display_state, name="display-state"),
    path("schalter/", staff_views.overview, name="counter"),
    path("schalter/<slug:office>/", staff_views.day, name="counter-day"),
    path("schalter/<slug:office>/aufrufen/", staff_views.call_next, name="counter-call"),
    path("schalter/<slug:office>/spontan/", staff_views.walk_in, name="counter-walk-in"),
    path("schalter/<slug:office>/statistik/", staff_views.statistics, name="counter-statistics"),
    path("schalter/<slug:office>/terminals/", staff_views.terminals, name="counter-terminals"),
    path("schalter/<slug:office>/<int:pk>/<slug:action>/", staff_views.act, name="counter-act"),
    path("mobil/", visit_views.visits, name="visits"),
    path("mobil/<int:pk>/", visit_views.visit, name="visit"),
    path("mobil/bestaetigen/<str:token>/", visit_views.visit_confirm, name="visit-confirm"),
    path("mobil/platz/<str:token>/", visit_views.visit_manage, name="visit-manage"),
    path("mobil/platz/<str:token>/absagen/", visit_views.visit_cancel, name="visit-cancel"),
    path("hausbesuch/", visit_views.home_visit, name="home-visit"),
    path("kiosk/einrichten/<str:token>/", kiosk.activate, name="kiosk-activate"),
    path("kiosk/", kiosk.home, name="kiosk"),
    path("kiosk/ende/", kiosk.reset, name="kiosk-reset"),
    path("kiosk/ticket/", kiosk.ticket, name="kiosk-ticket"),
]

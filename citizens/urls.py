"""Account pages. Their paths predate this app (links in e-mails already sent must keep working)."""

from django.urls import path

from citizens import accounts

app_name = "citizens"
urlpatterns = [
    path("antraege/konto/registrieren/", accounts.sign_up, name="sign-up"),
    path("antraege/konto/aktivieren/<str:token>/", accounts.activate, name="activate"),
    path("antraege/konto/anmelden/", accounts.log_in, name="log-in"),
    path("antraege/konto/abmelden/", accounts.log_out, name="log-out"),
    path("beteiligung/konto/meine-daten.json", accounts.my_data, name="my-data"),
    path("beteiligung/konto/loeschen/", accounts.delete_account, name="delete-account"),
]

"""Account pages. Their paths predate this app (links in e-mails already sent must keep working)."""

from django.urls import path

from citizens import accounts, my_account, password_reset

app_name = "citizens"
urlpatterns = [
    path("antraege/konto/registrieren/", accounts.sign_up, name="sign-up"),
    path("antraege/konto/aktivieren/<str:token>/", accounts.activate, name="activate"),
    path("antraege/konto/anmelden/", accounts.log_in, name="log-in"),
    path("antraege/konto/abmelden/", accounts.log_out, name="log-out"),
    path("beteiligung/konto/meine-daten.json", accounts.my_data, name="my-data"),
    path("beteiligung/konto/loeschen/", accounts.delete_account, name="delete-account"),
    path("konto/", my_account.overview, name="account"),
    path("konto/postfach/<int:message_id>/", my_account.message, name="message"),
    path("konto/passwort-vergessen/", password_reset.request_reset, name="password-reset"),
    path("konto/passwort/<str:uidb64>/<str:token>/", password_reset.set_password, name="password-set"),
]

"""Account pages. Their paths predate this app (links in e-mails already sent must keep working).

Each login method of ``citizens.login_methods`` brings its own URLs, mounted under ``konto/<method>/``.
"""

from django.urls import include, path

from citizens import accounts, identities, login_methods, my_account, password_reset

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
    path("konto/anmeldungen/", identities.identity_list, name="identities"),
    path("konto/anmeldungen/<str:method>/verknuepfen/", identities.identity_link_start, name="identity-link"),
    path("konto/sicherer-anmelden/", identities.stronger_login, name="stronger-login"),
    *[path(f"konto/{method.key}/", include(list(method.urls))) for method in login_methods.methods() if method.urls],
]

from django.urls import path

from applications import accounts, views

app_name = "applications"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("e-mail/<str:token>/", views.verify, name="verify"),
    path("konto/registrieren/", accounts.sign_up, name="sign-up"),
    path("konto/aktivieren/<str:token>/", accounts.activate, name="activate"),
    path("konto/anmelden/", accounts.log_in, name="log-in"),
    path("konto/abmelden/", accounts.log_out, name="log-out"),
    path("entwurf/<uuid:public_id>/schritt/<int:step>/", views.step, name="step"),
    path("entwurf/<uuid:public_id>/pruefen/", views.review, name="review"),
    path("status/<str:token>/", views.status, name="status"),
    path("status/<str:token>/bescheid.pdf", views.document, name="document"),
    path("testzahlung/<uuid:payment_id>/", views.test_payment, name="test-payment"),
    path("testzahlung/<uuid:payment_id>/bestaetigen/", views.test_payment_confirm, name="test-payment-confirm"),
    path("<slug:service_key>/", views.start, name="start"),
]

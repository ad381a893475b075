from django.urls import path

from applications import views

app_name = "applications"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("e-mail/<str:token>/", views.verify, name="verify"),
    path("entwurf/<uuid:public_id>/schritt/<int:step>/", views.step, name="step"),
    path("entwurf/<uuid:public_id>/pruefen/", views.review, name="review"),
    path("status/<str:token>/", views.status, name="status"),
    path("status/<str:token>/stand.json", views.status_json, name="status-json"),
    path("status/<str:token>/bescheid.pdf", views.document, name="document"),
    path("testzahlung/<uuid:payment_id>/", views.test_payment, name="test-payment"),
    path("testzahlung/<uuid:payment_id>/bestaetigen/", views.test_payment_confirm, name="test-payment-confirm"),
    path("<slug:service_key>/", views.start, name="start"),
]

from django.urls import path

from answers import views

app_name = "answers"

urlpatterns = [
    path("", views.ask, name="ask"),
]

from django.urls import path

from cms.staff_sign_on import views

app_name = "staff-sign-on"
urlpatterns = [
    path("start/", views.start, name="start"),
    path("callback/", views.callback, name="callback"),
]

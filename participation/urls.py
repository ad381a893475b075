from django.urls import path

from participation import views

app_name = "participation"
urlpatterns = [
    path("", views.start, name="start"),
    path("konto/registrieren/", views.sign_up, name="sign-up"),
    path("konto/", views.profile, name="profile"),
    path("meine-beitraege/", views.mine, name="mine"),
    path("maengel/", views.report_list, name="reports"),
    path("maengel/melden/", views.report_new, name="report-new"),
    path("maengel/bestaetigen/<str:token>/", views.report_confirm, name="report-confirm"),
    path("maengel/in-der-naehe/", views.nearby, name="nearby"),
    path("maengel/<int:pk>/", views.report_detail, name="report"),
    path("maengel/<int:pk>/folgen/", views.report_follow, name="report-follow"),
    path("maengel/<int:pk>/fotos/<int:photo_pk>/", views.report_photo, name="report-photo"),
    path("ideen/<slug:slug>/", views.idea_space, name="idea-space"),
    path("ideen/<slug:slug>/neu/", views.idea_new, name="idea-new"),
    path("ideen/<slug:slug>/<int:pk>/", views.idea_detail, name="idea"),
    path("ideen/<slug:slug>/<int:pk>/unterstuetzen/", views.idea_support, name="idea-support"),
    path("ideen/<slug:slug>/<int:pk>/bild/", views.idea_image, name="idea-image"),
    path("verfahren/<slug:slug>/", views.consultation, name="consultation"),
    path(
        "verfahren/<slug:slug>/stellungnahmen/<int:pk>/unterstuetzen/",
        views.statement_support,
        name="statement-support",
    ),
    path("projekte/", views.project_list, name="projects"),
    path("projekte/neu/<int:idea_pk>/", views.project_new, name="project-new"),
    path("projekte/<int:pk>/", views.project_detail, name="project"),
    path("projekte/<int:pk>/planung/", views.project_plan, name="project-plan"),
    path("projekte/<int:pk>/foerderantrag.pdf", views.funding_application, name="funding-application"),
    path("projekte/<int:pk>/verlassen/", views.project_leave, name="project-leave"),
    path("melden/<slug:kind>/<int:pk>/", views.flag, name="flag"),
]

"""URLs of the cooperation office's own pages (included under /office/ by amtsplatz.urls_public)."""

from django.urls import path

from amtsplatz.office import views

urlpatterns = [
    path("", views.home, name="office-home"),
    path("onboarding/", views.onboarding_new, name="office-onboarding-new"),
    path("onboarding/<int:job_id>/", views.onboarding_status, name="office-onboarding"),
    path("onboarding/bulk/", views.onboarding_bulk, name="office-onboarding-bulk"),
    path("onboarding/bulk/<int:bulk_id>/", views.onboarding_bulk_status, name="office-onboarding-bulk-status"),
    path(
        "onboarding/bulk/<int:bulk_id>/confirm/", views.onboarding_bulk_confirm, name="office-onboarding-bulk-confirm"
    ),
    path(
        "onboarding/bulk/<int:bulk_id>/report.csv", views.onboarding_bulk_report, name="office-onboarding-bulk-report"
    ),
    path("audit/", views.audit, name="office-audit"),
    path("api-tokens/", views.api_tokens, name="office-api-tokens"),
    path("api-tokens/<int:token_id>/revoke/", views.api_token_revoke_view, name="office-api-token-revoke"),
    path("announcements/", views.announcements, name="office-announcements"),
    path("bundles/", views.bundles, name="office-bundles"),
    path("bundles/new/", views.bundle_edit, name="office-bundle-new"),
    path("bundles/<int:bundle_id>/", views.bundle_edit, name="office-bundle"),
    path("dashboard/", views.dashboard_view, name="office-dashboard"),
    path("dashboard/refresh/", views.dashboard_refresh, name="office-dashboard-refresh"),
    path("municipalities/<slug:slug>/", views.municipality_detail, name="office-municipality"),
    path("municipalities/<slug:slug>/suspend/", views.suspend, name="office-suspend"),
    path("municipalities/<slug:slug>/resume/", views.resume, name="office-resume"),
    path("municipalities/<slug:slug>/export/", views.export, name="office-export-new"),
    path("municipalities/<slug:slug>/delete/", views.delete, name="office-delete"),
    path("exports/<int:export_id>/", views.export_status, name="office-export"),
    path("exports/<int:export_id>/restore/", views.restore, name="office-restore"),
]

"""URLs of the platform host (public schema): the cooperation office."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from amtsplatz.api import platform_api
from amtsplatz.core.views import healthz, platform_home, platform_robots_txt, readyz
from amtsplatz.infra.security.csp import csp_report
from amtsplatz.office import billing_views as billing_office
from amtsplatz.office import catalogue_views
from amtsplatz.office.views import OfficeLoginView
from billing import views as billing_views
from opendata import platform_views as opendata_views
from services_catalog.fim import views as fim_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("csp-report", csp_report, name="csp-report"),
    path("robots.txt", platform_robots_txt, name="platform-robots-txt"),
    path("api/v1/", platform_api.urls),
    # CKAN clients call /api/action/… or /api/3/action/… (the API version in the path is optional).
    path("api/3/action/<str:action>", opendata_views.ckan_action, name="ckan-action"),
    path("api/action/<str:action>", opendata_views.ckan_action),
    path("daten/", include("opendata.urls_platform")),
    path("webhooks/stripe/", billing_views.platform_webhook, name="stripe-webhook"),
    path("webhooks/stripe-connect/", billing_views.connect_webhook, name="stripe-connect-webhook"),
    path("office/zwei-faktor/", include("amtsplatz.infra.mfa.urls")),
    path("office/login/", OfficeLoginView.as_view(), name="office-login"),
    path("office/logout/", auth_views.LogoutView.as_view(next_page="office-login"), name="office-logout"),
    path("office/catalogue/", catalogue_views.catalogue_list, name="office-catalogue"),
    path("office/catalogue/new/", catalogue_views.definition_edit, name="office-service-new"),
    path("office/catalogue/<slug:key>/", catalogue_views.definition_detail, name="office-service"),
    path("office/catalogue/<slug:key>/edit/", catalogue_views.definition_edit, name="office-service-edit"),
    path("office/catalogue/<slug:key>/preview/", catalogue_views.definition_preview, name="office-service-preview"),
    path("office/catalogue/<slug:key>/publish/", catalogue_views.definition_publish, name="office-service-publish"),
    path("office/catalogue/<slug:key>/form-import/", fim_views.form_import_view, name="office-service-form-import"),
    path(
        "office/catalogue/<slug:key>/versions/<int:number>/xdatenfelder.xml",
        fim_views.form_export_view,
        name="office-service-form-export",
    ),
    path("office/billing/", billing_office.overview, name="office-billing"),
    path("office/billing/plans/new/", billing_office.plan_edit, name="office-billing-plan-new"),
    path("office/billing/plans/<slug:key>/", billing_office.plan_edit, name="office-billing-plan"),
    path("office/billing/<slug:slug>/", billing_office.municipality_billing, name="office-billing-municipality"),
    path("office/billing/<slug:slug>/subscribe/", billing_office.subscribe, name="office-billing-subscribe"),
    path("office/billing/<slug:slug>/connect/", billing_office.connect_start, name="office-billing-connect"),
    path(
        "office/billing/<slug:slug>/connect/return/",
        billing_office.connect_return,
        name="office-billing-connect-return",
    ),
    path("office/districts/", include("offices.districts.urls")),
    path("office/articles/", include("answers.console_urls")),
    path("office/", include("amtsplatz.office.urls")),
    path("", platform_home, name="platform-home"),
]

# In the office's look, without database queries (amtsplatz/core/errors.py).
handler404 = "amtsplatz.core.errors.page_not_found"
handler500 = "amtsplatz.core.errors.server_error"

"""URLs of a municipality's host (its schema): portal pages, Wagtail admin at /cms/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from amtsplatz.api import tenant_api
from amtsplatz.core.views import healthz, readyz, tenant_media
from amtsplatz.infra.security.csp import csp_report
from applications.payments.contrib.stripe import views as stripe_views
from cms import seo
from opendata import views as opendata_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("csp-report", csp_report, name="csp-report"),
    path("api/v1/", tenant_api.urls),
    # CKAN clients call /api/action/… or /api/3/action/… (the API version in the path is optional).
    path("api/3/action/<str:action>", opendata_views.ckan_action, name="ckan-action"),
    path("api/action/<str:action>", opendata_views.ckan_action),
    path("cms/zwei-faktor/", include("amtsplatz.infra.mfa.urls")),
    path("cms/sso/", include("cms.staff_sign_on.urls")),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", seo.robots_txt, name="robots-txt"),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
]

# Branded per municipality, German or English (cms/errors.py).
handler404 = "cms.errors.page_not_found"
handler500 = "cms.errors.server_error"

if not settings.AWS_STORAGE_BUCKET_NAME:
    # Local storage (demo, one-host installs without S3): serve the host's own media folder.
    urlpatterns.append(path("media/<slug:schema>/<path:path>", tenant_media, name="tenant-media"))

urlpatterns += i18n_patterns(
    path("", include("citizens.urls")),
    path("antraege/", include("applications.urls")),
    path("zahlung/stripe/<uuid:payment_id>/", stripe_views.stripe_return, name="billing-stripe-return"),
    path("beteiligung/", include("participation.urls")),
    path("fragen/", include("answers.urls")),
    path("termine/", include("appointments.urls")),
    path("", include("offices.urls")),
    path("daten/", include("opendata.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

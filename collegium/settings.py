"""Collegium settings.

Everything that differs between a laptop and production comes from the environment; every
variable is documented in README.md. Defaults are the embedded setup: SQLite, no broker.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A development key is only acceptable while DEBUG is on; production must set SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "django-insecure-development-only-key" if DEBUG else ""
)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "csp",
    "core",
    "organisations",
    "people",
    "communities",
    "planning",
    "meetings",
    "events",
    "certificates",
    "surveys",
    "lesson_study",
    "mentoring",
    "results",
    "consultations",
    "discussions",
    "resources",
    "reports",
    "rating",
    "notifications",
    "activity",
    "search",
    "portal",
    "devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.RussianByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A person without a language cookie gets the language on their account, else their
    # territory's (after authentication: it needs request.user).
    "people.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Turns django-ratelimit's refusal into RATELIMIT_VIEW's 429 instead of a 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
    "notifications.middleware.EmbeddedSchedulerMiddleware",
    # Counts views of communities' pages (first-party, aggregated; see activity/middleware.py).
    "activity.middleware.PageViewMiddleware",
    # Axes must come last: it answers locked-out logins itself.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "collegium.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.views.unread",
            ],
        },
    },
]

FORM_RENDERER = "core.forms.FormRenderer"

WSGI_APPLICATION = "collegium.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query whose estimated cost is high: the permission
    # subqueries of a search at L took 5.2 s to compile for a 50 ms execution (bench).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.Person"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: lock a username+address pair after repeated failures.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_CALLABLE = "core.auth.axes_username"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("kk", _("Kazakh")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django ships no Kazakh formats (dates, numbers): ours are in collegium/formats/kk.
FORMAT_MODULE_PATH = ["collegium.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploads are private: nothing serves MEDIA_ROOT or the bucket directly; the download views ask
# the owning object's permission and stream the file (or hand it to the web server, see below).
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "filesystem")
if STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", "collegium"),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    _default_storage = {
        "BACKEND": os.environ.get(
            "DEFAULT_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"
        )
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development static files are served straight from the apps; production runs collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Uploads larger than this are refused with a message before they are parsed.
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
# Zip-based office files are judged by their central directory before anything unpacks them.
UPLOAD_ZIP_MAX_MEMBERS = int(os.environ.get("UPLOAD_ZIP_MAX_MEMBERS", "2000"))
UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES", str(100 * 1024 * 1024))
)
UPLOAD_ZIP_MAX_RATIO = int(os.environ.get("UPLOAD_ZIP_MAX_RATIO", "200"))
# With nginx ("X-Accel-Redirect") or Apache/lighttpd ("X-Sendfile") in front, a permitted
# download is handed to the web server instead of being streamed by Python. For nginx,
# SENDFILE_PREFIX is the internal location that maps to MEDIA_ROOT.
SENDFILE_HEADER = os.environ.get("SENDFILE_HEADER", "")
SENDFILE_PREFIX = os.environ.get("SENDFILE_PREFIX", "/protected/")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# A databank export of an organisation with more people than this is built in the background.
DATABANK_EXPORT_BACKGROUND_FROM = int(os.environ.get("DATABANK_EXPORT_BACKGROUND_FROM", "2000"))
# A teacher list up to this size is imported within the request; a larger one in the background.
# Office files are converted to PDF previews with no network where the server allows it
# (resources.previews.no_network_prefix); with this set, not at all where it does not.
PREVIEWS_NEED_ISOLATION = os.environ.get("PREVIEWS_NEED_ISOLATION", "") == "1"
IMPORT_INLINE_MAX_BYTES = int(os.environ.get("IMPORT_INLINE_MAX_BYTES", str(256 * 1024)))
# A finished background export (a copy of personal data) is deleted, file and all, after this.
DATABANK_EXPORT_KEEP_HOURS = int(os.environ.get("DATABANK_EXPORT_KEEP_HOURS", "24"))

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "collegium@localhost")
# Where the file-based e-mail backend writes messages (used by the production smoke test).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")

# Background work: Celery with a broker when one is configured, otherwise in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Reminders: Celery beat runs them with a broker; otherwise requests start them in-process at
# most this often (0 turns the embedded scheduler off; `manage.py send_reminders` also works).
REMINDERS_EVERY_SECONDS = int(os.environ.get("REMINDERS_EVERY_SECONDS", "600"))
# The daily digest of notices goes out at the first run after this hour (local time).
NOTIFICATION_DIGEST_HOUR = int(os.environ.get("NOTIFICATION_DIGEST_HOUR", "7"))
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {"task": "notifications.send_reminders", "schedule": 600.0},
    # Hourly, but each person's digest goes out once a day (keyed); the hour is checked inside.
    "send-digests": {"task": "notifications.send_digests", "schedule": 3600.0},
    "fail-stale-imports": {"task": "people.fail_stale_imports", "schedule": 300.0},
    "fail-stale-results-imports": {"task": "results.fail_stale_imports", "schedule": 300.0},
    "remove-expired-exports": {"task": "people.remove_expired_exports", "schedule": 3600.0},
    "aggregate-activity": {"task": "activity.aggregate_activity", "schedule": 300.0},
}
# Activity statistics: without a broker requests start the aggregation in-process at most this
# often (0 turns it off; `manage.py aggregate_activity` also works).
ACTIVITY_EVERY_SECONDS = int(os.environ.get("ACTIVITY_EVERY_SECONDS", "300"))
# Absolute links in emails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# How long an author may still delete their own post or comment (leaders and curators: always).
DISCUSSIONS_DELETE_WINDOW_MINUTES = int(os.environ.get("DISCUSSIONS_DELETE_WINDOW_MINUTES", "30"))
# Flood limits per person: at most N rows of a kind within SECONDS (counted in the database).
DISCUSSIONS_RATE_LIMITS = {
    "post": (5, 10 * 60),
    "comment": (10, 60),
    "topic": (3, 10 * 60),
    "reply": (10, 60),
    "chat": (20, 60),
}
# A background job that gave no sign of life for this long (a killed worker) is taken as failed.
JOB_HEARTBEAT_TIMEOUT = int(os.environ.get("JOB_HEARTBEAT_TIMEOUT", "120"))
# In tests the in-process runner works synchronously so results are visible at once.
BACKGROUND_SYNC = env_bool("BACKGROUND_SYNC", False)

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous call gets 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Scoped rates apply to views that name a `throttle_scope` (the teacher import).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_ANON", "60/minute"),
        "user": os.environ.get("THROTTLE_USER", "600/minute"),
        "import": os.environ.get("THROTTLE_IMPORT", "10/minute"),
    },
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Collegium API",
    "DESCRIPTION": "Professional learning communities of teachers: organisations, networks, "
    "communities, memberships and people.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from the drf-spectacular-sidecar package, not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for the delivery choices every kind of notice offers.
    "ENUM_NAME_OVERRIDES": {
        "NotificationDeliveryEnum": "notifications.models.Delivery",
        "EventAudienceEnum": "events.models.Event.Audience",
        "SurveyAudienceEnum": "surveys.models.Survey.Audience",
        # What the builder and the API accept: the audiences without "named people".
        "SurveyChoosableAudienceEnum": "surveys.models.CHOOSABLE_AUDIENCES",
        "PairKindEnum": "mentoring.models.Pair.Kind",
        "PairStatusEnum": "mentoring.models.Pair.Status",
        "YearReportStatusEnum": "reports.models.Report.Status",
        "YearReportOwnerEnum": "reports.models.Owner",
        "YearReportDecisionEnum": "reports.models.Submission.Decision",
        "PostKindEnum": "discussions.models.Post.Kind",
        # A post's and a forum topic's status: one set of choices, under the name it had first.
        "PostStatusEnum": "discussions.models.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # The error answers (400, 401, 403, 404, 409, 429) with their bodies, for every operation.
        "core.api.document_error_answers",
    ],
}

# Production hardening; on by default whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Load balancers probe over plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Login: besides Axes' lockout of a login name, one address may try only so many logins a minute,
# whichever names it tries (password spraying).
LOGIN_RATE = os.environ.get("LOGIN_RATE", "20/m")
# Behind a proxy every request comes from the proxy's address; name the header that carries the
# client's own (e.g. HTTP_X_REAL_IP, set by nginx) so limits and lockouts count per client.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
if CLIENT_IP_HEADER:
    RATELIMIT_IP_META_KEY = CLIENT_IP_HEADER
    AXES_IPWARE_META_PRECEDENCE_ORDER = [CLIENT_IP_HEADER, "REMOTE_ADDR"]
RATELIMIT_VIEW = "core.views.too_many_requests"

# No inline scripts or styles anywhere: pages load our own static files and htmx from the package.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The browser features a teachers' platform never needs are switched off.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "core.logging.RefusalsWithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "requests": {"class": "logging.StreamHandler", "filters": ["refusals"]},
    },
    "loggers": {
        # 403/404 answers are logged as one line each, without a traceback.
        "django.request": {"handlers": ["requests"], "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

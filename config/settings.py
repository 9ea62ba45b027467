"""SIMASN settings. Everything that differs between machines comes from the environment.

Development (the default, `SIMASN_ENV=dev`) runs on SQLite with a throwaway secret key; production
(`SIMASN_ENV=prod`) refuses to start without `SECRET_KEY` and `ALLOWED_HOSTS` from the environment.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SIMASN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

ENV = os.environ.get("SIMASN_ENV", "dev")
PRODUCTION = ENV == "prod"
DEBUG = os.environ.get("DEBUG", "0" if PRODUCTION else "1") == "1"

if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]
    ALLOWED_HOSTS = os.environ["ALLOWED_HOSTS"].split(",")
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-for-simasn-never-use-in-production")
    ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves Swagger UI from its own static files (no CDN: the city network may have no internet)
    "template_partials",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "simasn.core",
    "simasn.accounts",
    "simasn.org",
    "simasn.employees",
    "simasn.workcalendar",
    "simasn.leave",
    "simasn.performance",
    "simasn.notifications",
    "simasn.attendance",
]

MIDDLEWARE = [
    "simasn.core.handlers.TokenAPIMiddleware",  # token API requests leave here for TOKEN_API_MIDDLEWARE
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "simasn.core.request_context.IndonesianByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simasn.core.request_context.RequestContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "simasn.accounts.middleware.RequireOTPForAdminsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Requests to /api/ that carry a device token (Authorization: Bearer) take this chain instead: a phone has no
# session, cookie or second factor for the browser middleware to check (simasn.core.handlers says why).
# Security and Common stay (security headers, ALLOWED_HOSTS), and Axes (a lockout on the token login).
TOKEN_API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "simasn.core.request_context.RequestContextMiddleware",
    "simasn.core.handlers.TokenRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

_TEMPLATE_LOADERS = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "simasn.core.context_processors.site",
                "simasn.notifications.context_processors.unread",
                "simasn.leave.context_processors.leave_nav",
                "simasn.performance.nav.kinerja_nav",
                "simasn.attendance.nav.attendance_nav",
            ],
            # Explicit loaders switch off Django's automatic caching, so cache outside DEBUG ourselves:
            # re-parsing templates per request doubled the employee list's server time.
            "loaders": [(
                "template_partials.loader.Loader",
                _TEMPLATE_LOADERS if DEBUG else [("django.template.loaders.cached.Loader", _TEMPLATE_LOADERS)],
            )],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

_default_db = f"sqlite:///{VAR_DIR / 'simasn.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=600)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "simasn.core.sqlite"  # Django's, remembering its placeholder rewrites
    # WAL lets the live board read while check-ins write; IMMEDIATE takes the write lock up front so
    # two writers queue on busy_timeout instead of failing with "database is locked" mid-transaction.
    # A checkpoint every 10,000 WAL pages (~40 MB) instead of 1,000: a check-in burst rewrites the same
    # index pages over and over, and the fewer checkpoints copy (and fsync) each page once per batch;
    # measured on a check-in's two writes: 250 -> 200 µs of CPU, 390 -> 260 µs wall.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
                         "PRAGMA wal_autocheckpoint=10000;"),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, plus cursors that bind on the server for the check-in's hand-written statements: psycopg
    # prepares those after two runs on a connection (simasn/core/postgresql/base.py). Behind a pooler that
    # cannot keep prepared statements (PgBouncer < 1.21 in transaction mode), set this to None.
    DATABASES["default"]["ENGINE"] = "simasn.core.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# A whole OPD sits behind one NAT address: lock the (NIP, IP) pair, never the IP alone.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0")) or None

OTP_TOTP_ISSUER = "SIMASN Kendari"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request if it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads (SK PDFs, import files) are checked by type and size in the services; these are the limits.
SIMASN_MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
SIMASN_MAX_IMPORT_BYTES = 20 * 1024 * 1024
SIMASN_MAX_PHOTO_BYTES = 1 * 1024 * 1024
SIMASN_IMPORT_INLINE_ROWS = 500  # larger files are committed by the task worker, with a progress bar
SIMASN_MAX_IMPORT_ROWS = 50_000

# Shared by every gunicorn worker on the machine (the holiday table's version key lives here, so an edit
# reaches all workers); a multi-server deployment points this at Redis or Memcached.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("SIMASN_CACHE_BACKEND", "django.core.cache.backends.filebased.FileBasedCache"),
        "LOCATION": os.environ.get("SIMASN_CACHE_LOCATION", str(VAR_DIR / "cache")),
    }
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("SIMASN_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "simasn@kendarikota.go.id")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))  # e-mail is sent in the request, after commit
SIMASN_BASE_URL = os.environ.get("SIMASN_BASE_URL", "")  # absolute links in e-mails and printed documents

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

SIMASN_INSTANCE_NAME = os.environ.get("SIMASN_INSTANCE_NAME", "Pemerintah Kota Kendari")
SIMASN_AGENCY_NAME = os.environ.get("SIMASN_AGENCY_NAME", "BKPSDM Kota Kendari")

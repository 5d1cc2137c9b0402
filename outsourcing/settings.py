"""Sourcewise settings, read from the environment (see .env.example).

Nothing is assumed: with no variables set the app refuses to start. Development mode
is chosen explicitly with DJANGO_DEBUG=true (``make run`` does) or by the test suite's
SOURCEWISE_TESTING=true: debug on, a secret generated once per checkout into the
git-ignored file .secret-key, SQLite in the project folder and a task queue kept in the
folder var/broker/ (the test suite runs tasks in-process). Production is
DJANGO_DEBUG=false and needs a real DJANGO_SECRET_KEY.
"""

import contextlib
import importlib.util
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_HASHES, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VERSION = "0.1.0"

env = environ.Env()
# `make install` writes a `.env` choosing development for this checkout; the environment
# always wins over it. SOURCEWISE_ENV_FILE points elsewhere (tests use it to start empty).
environ.Env.read_env(os.environ.get("SOURCEWISE_ENV_FILE", BASE_DIR / ".env"), overwrite=False)

TESTING = env.bool("SOURCEWISE_TESTING", default=False)
if "DJANGO_DEBUG" not in os.environ and not TESTING:
    raise ImproperlyConfigured(
        "Choose a mode: DJANGO_DEBUG=true for development on this machine (make run does "
        "it for you), or DJANGO_DEBUG=false for production with DJANGO_SECRET_KEY, "
        "DJANGO_ALLOWED_HOSTS, DATABASE_URL and REDIS_URL. See .env.example."
    )
DEBUG = env.bool("DJANGO_DEBUG", default=TESTING)
# Demo accounts have a published password: only in development (seed_demo --force overrides).
DEMO_DATA_ALLOWED = DEBUG

DEV_SECRET_FILE = BASE_DIR / ".secret-key"


def _development_secret(path: Path) -> str:
    """This checkout's own development secret, created on first use, never committed.

    Written to a private temporary file and linked into place, so that processes starting
    together (test workers, a server and a worker) all end up reading the same secret.
    """
    if not path.exists():
        try:
            descriptor, temporary = tempfile.mkstemp(prefix=f"{path.name}.", dir=path.parent)
            with os.fdopen(descriptor, "w") as handle:  # mkstemp makes it readable by us only
                handle.write(get_random_secret_key() + "\n")
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass  # another process was first; everyone uses its secret
            finally:
                os.unlink(temporary)
        except OSError as error:
            raise ImproperlyConfigured(
                f"Cannot write the development secret to {path} ({error.strerror}); "
                "set DJANGO_SECRET_KEY instead."
            ) from None
    return path.read_text().strip()


SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if DEBUG and not SECRET_KEY:
    SECRET_KEY = _development_secret(DEV_SECRET_FILE)
_weak_secret = len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
if not DEBUG and _weak_secret:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random secret of at least 50 characters "
        "when DJANGO_DEBUG is false. Generate one with: python -c "
        "'from django.core.management.utils import get_random_secret_key as k; print(k())'"
    )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django admin, for platform operators only (accounts/admin_site.py)
    "accounts.admin_site.OperatorsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "import_export",
    "simple_history",
    "rest_framework",
    # API tokens (stored hashed), the OpenAPI schema with offline Swagger UI, and one error
    # format for the API (accounts/api/).
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "axes",
    "csp",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # /health/ (outsourcing/health.py) and `manage.py health_check health --no-http`
    "health_check",
    "accounts",
    "accounts.audit",
    "accounts.webhooks",
    "assessments",
    "vendors",
    "contracts",
    "outsourcing",
]

MIDDLEWARE = [
    "accounts.headers.PrivacyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # which second factor, if any, verified the session
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The audit trail's actor and client address for every write (accounts/audit/).
    "accounts.audit.addresses.AuditMiddleware",
    "accounts.middleware.LoginRequiredOrganisationMiddleware",
    # The second factor before any page (accounts/services/mfa.py); after the organisation's.
    "accounts.middleware.TwoFactorMiddleware",
    # Last, as django-axes asks: turns a locked-out log-in into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "outsourcing.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.membership",
                "outsourcing.context_processors.version",
            ],
        },
    },
]

WSGI_APPLICATION = "outsourcing.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # The web server, the worker's processes and beat write at once under `make run`: a
    # transaction takes the write lock when it begins and waits its turn (timeout above),
    # instead of failing with "database is locked" when it first writes.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # A file, not memory, so that a Celery worker process in the tests sees the same data;
    # one per test run, so that two runs side by side do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test_db_{os.getpid()}.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "accounts.lockout.LockoutBackend",  # refuses locked-out log-ins before any password check
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic writes (make run runs it; production runs it before starting).
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(f"The package '{package}' is not installed; run make install.")
    return Path(next(iter(spec.submodule_search_locations)))


# Every asset ships inside an installed package or in static/ (plotly.js: a partial bundle
# in static/vendor/plotly/): the app works offline, no CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", _package_dir("bootstrap")),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names, gzip and Brotli copies, cached by browsers for a year: in production and
    # under make run alike (outsourcing/staticfiles.py). The test suite names the plain
    # files and needs no collectstatic; tests/static checks the real storage.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING
        else "outsourcing.staticfiles.StaticFilesStorage"
    },
}
# In production a file missing from collectstatic's manifest is an error; in development
# it is served under its plain name from its source (as is a file edited since).
WHITENOISE_MANIFEST_STRICT = not DEBUG
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"  # documents are served only through access-checked views

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 50_000

# E-mail
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Sourcewise <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. With REDIS_URL, Redis is the broker (production, CI). Without it (`make run`),
# kombu's filesystem transport: messages are files under var/broker/, so the web server,
# a worker and beat on one machine share a queue with no server to install. The code reads
# no task results (projections count their own chunks), so that mode needs no result
# backend. The test suite runs tasks in-process unless a test starts a real worker
# (tests/conftest.py); its processes never touch the checkout's var/ queue.
REDIS_URL = env.str("REDIS_URL", default="")
# Working files of this installation: the filesystem queue, beat's schedule.
VAR_DIR = Path(env.str("SOURCEWISE_VAR_DIR", default=str(BASE_DIR / "var")))
BROKER_DIR = VAR_DIR / "broker"
# A script that times the work itself (benchmarks/) asks for tasks to run in-process.
TASKS_IN_PROCESS = env.bool("SOURCEWISE_TASKS_IN_PROCESS", default=False) or (
    TESTING and not REDIS_URL
)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
elif TASKS_IN_PROCESS:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = None
else:
    CELERY_BROKER_URL = "filesystem://localhost/"  # a host name only to quiet kombu
    CELERY_RESULT_BACKEND = None
    # A read-only checkout fails later, when a task is sent, in words; not at import.
    for _folder in ("in", "processed", "control"):
        with contextlib.suppress(OSError):
            (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = TASKS_IN_PROCESS
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Worker processes per `celery worker`; unset, one per core.
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With acks_late, Redis hands a task whose worker died (SIGKILL, lost machine) to another
# worker once it has been unacknowledged this many seconds. It must stay above the longest
# task's hard time limit (10 minutes: the daily contracts tasks; a projection chunk and a
# board pack have 6) or a slow task runs twice; the projection worker tests lower it to
# see a killed worker's task come back within seconds.
_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
# A request must fail fast, not hang, when the broker is down: the sweeper resends later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "visibility_timeout": _VISIBILITY_TIMEOUT,
    # Look for abandoned tasks every few seconds (kombu's default scans every 100 s), and
    # let a scan's lock, held by a worker that died, lapse within the timeout too.
    "unacked_restore_interval": max(1, min(10, _VISIBILITY_TIMEOUT // 3)),
    "unacked_restore_throttle": 1,
    "unacked_mutex_expire": max(5, min(300, _VISIBILITY_TIMEOUT)),
}
if CELERY_BROKER_URL.startswith("filesystem:"):
    # One folder is both ends of every queue; a message taken is moved (an atomic rename)
    # into processed/, so two consumers never get the same one. Exchange bindings live in
    # control/, shared by every process. The worker looks for new files 5 times a second.
    # A worker stopped with Ctrl-C puts its unacknowledged tasks back; one killed outright
    # loses them, and the sweepers re-send what they find stuck.
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(BROKER_DIR / "in"),
        "data_folder_out": str(BROKER_DIR / "in"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": True,
        "control_folder": str(BROKER_DIR / "control"),
        "polling_interval": 0.2,
    }
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_REDIS_BACKEND_HEALTH_CHECK_INTERVAL = 30

# With Redis down the cache answers as empty (outsourcing/cache.py), so pages are slower,
# not broken; the short timeouts keep an unreachable Redis from holding a request.
CACHES = {
    "default": (
        {
            "BACKEND": "outsourcing.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Sessions are kept in the database and read through the cache: a page no longer costs a
# session query. The database stays the record, so a cache that is down or emptied costs
# one read, never a sign-out; signing out removes the session from both.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Production hardening, all derived from DEBUG so that check --deploy passes.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Only a proxy that sets X-Forwarded-Proto itself, replacing whatever the client sent, may
# be trusted with it: otherwise any plain-HTTP request could claim to be HTTPS.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("DJANGO_TRUST_X_FORWARDED_PROTO", default=False)
    else None
)
# How many reverse proxies in front of the app each append the address they saw to
# X-Forwarded-For: the log-in lockout and the API throttles count per client address.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXY_COUNT is a number of proxies: 0 or more.")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp), on every response; docs/security.md explains each
# source. Scripts come only from our own static files: no inline script, no eval. An inline
# script would need nonce="{{ request.csp_nonce }}"; the nonce is in the header only on
# pages that use it.
# Plotly adds an empty <style> element, then fills it through the CSS object model (which
# CSP does not govern): this is the hash of the empty text, so no style element with any
# content is allowed. (Our partial plotly.js bundle has no map traces, so no MapLibre and
# none of the stylesheet text it would add.)
CSP_EMPTY_STYLE_ELEMENT = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
# django-import-export's admin export page has one inline handler on its "Select all" box,
# onchange="onSelectToggleChange(event)": allowed by the hash of that exact text, so every
# other inline handler is still refused.
CSP_IMPORT_EXPORT_SELECT_ALL = "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "script-src-attr": [UNSAFE_HASHES, CSP_IMPORT_EXPORT_SELECT_ALL],
        "style-src": [SELF, CSP_EMPTY_STYLE_ELEMENT],
        "style-src-elem": [SELF, CSP_EMPTY_STYLE_ELEMENT],
        # style="..." attributes (widths in our templates, Django admin, Plotly's SVG) cannot
        # run code and, having no selectors, cannot read the page.
        "style-src-attr": [UNSAFE_INLINE],
        # data: for Bootstrap's form icons and Plotly's SVG; blob: for Plotly's "download
        # plot as a PNG", which draws the chart through a blob: image.
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        name: {"level": "WARNING"}
        for name in (
            "django.db.backends",
            "kaleido",
            "choreographer",
            "logistro",
            "weasyprint",
            "fontTools",
            "PIL",
        )
    },
}

REST_FRAMEWORK = {
    # The API takes an API token (accounts/api/authentication.py) or the browser's session
    # (with CSRF); never a password on each request.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.OrganisationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "accounts.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "accounts.api.throttling.TokenRateThrottle",
    ],
    # anon also counts failed authentications, per address (accounts/api/errors.py); user
    # counts per API token, or per person for the browser's session.
    "DEFAULT_THROTTLE_RATES": {"anon": "20/minute", "user": "120/minute"},
    # Without a proxy, count by the connecting address: a client's own X-Forwarded-For
    # must not pick its bucket.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "EXCEPTION_HANDLER": "accounts.api.errors.worded_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "accounts.api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "accounts.api.schema.AutoSchema",
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}
# API tokens (django-rest-knox): 64 random characters after a recognisable prefix, stored
# as a SHA-512 digest; each person names their tokens and chooses the expiry.
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# Webhooks go only to public addresses in production; set this to deliver to a private
# network (an internal receiver behind the firewall). Development allows it.
SOURCEWISE_WEBHOOKS_ALLOW_PRIVATE = env.bool("SOURCEWISE_WEBHOOKS_ALLOW_PRIVATE", default=DEBUG)
REST_KNOX = {
    "TOKEN_PREFIX": "sw_",
    "TOKEN_TTL": None,
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
_ERRORS = "drf_standardized_errors.openapi_serializers."
SPECTACULAR_SETTINGS = {
    "TITLE": "Sourcewise API",
    "DESCRIPTION": (
        "The outsourcing lifecycle over HTTP: assessments and their recommendations, "
        "savings projections, the vendor registry and sourcing events, contracts with "
        "their SLAs, credits and savings, and the dashboard's figures. Authenticate with "
        "`Authorization: Token <token>`; create a token on your account's API tokens page. "
        "Errors have one format: `type` and a list of `errors` with `code`, `detail` and "
        "`attr`. Money is a decimal string with its currency; dates are ISO 8601."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        # The error format's enums (drf-standardized-errors), named as its docs advise.
        "ValidationErrorEnum": _ERRORS + "ValidationErrorEnum.choices",
        "ClientErrorEnum": _ERRORS + "ClientErrorEnum.choices",
        "ServerErrorEnum": _ERRORS + "ServerErrorEnum.choices",
        "ErrorCode401Enum": _ERRORS + "ErrorCode401Enum.choices",
        "ErrorCode403Enum": _ERRORS + "ErrorCode403Enum.choices",
        "ErrorCode404Enum": _ERRORS + "ErrorCode404Enum.choices",
        "ErrorCode405Enum": _ERRORS + "ErrorCode405Enum.choices",
        "ErrorCode406Enum": _ERRORS + "ErrorCode406Enum.choices",
        "ErrorCode415Enum": _ERRORS + "ErrorCode415Enum.choices",
        "ErrorCode429Enum": _ERRORS + "ErrorCode429Enum.choices",
        "ErrorCode500Enum": _ERRORS + "ErrorCode500Enum.choices",
        "AssessmentStatusEnum": "assessments.models.assessment.Status",
        "SourcingModelEnum": "assessments.models.recommendation.Model",
        "CountryEnum": "accounts.engine.countries.COUNTRY_CHOICES",
        "LanguageEnum": "accounts.engine.countries.LANGUAGE_CHOICES",
        "OutsourcedModelEnum": "vendors.models.events.SourcedModel",
        "LocationClassEnum": "vendors.models.registry.LocationClass",
        "ServiceLineEnum": "vendors.models.registry.SERVICE_LINE_CHOICES",
        "CertificationEnum": "vendors.models.registry.CERTIFICATION_CHOICES",
        "EventStatusEnum": "vendors.models.events.EventStatus",
        "ChangeProposalStatusEnum": "vendors.models.curation.ChangeStatus",
    },
    "PREPROCESSING_HOOKS": ["accounts.api.schema.only_the_public_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
    ],
}
DRF_STANDARDIZED_ERRORS = {"ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True}

# Log-in lockout (django-axes), on every path that checks a password: the login page,
# the admin's and the API's basic authentication. Five failures for one username from
# one address lock that pair for 15 minutes; each attempt while locked starts the wait
# again; a successful log-in clears the count. Counting the pair, not the username alone,
# means nobody can lock a colleague out from elsewhere. Unlock early with
# `manage.py axes_reset_username USERNAME`.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_VERBOSE = False  # no start-up banner in every process and test run

# Two-factor authentication (django-otp, accounts/services/mfa.py): the name apps show.
OTP_TOTP_ISSUER = "Sourcewise"

# The audit trail (django-auditlog): entries are accounts.audit's AuditEntry, which also
# records the organisation each one belongs to. Models register in their AppConfig.ready.
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"

# Passwords are stored with Argon2 (memory-hard). Hashes made by an older hasher still
# verify, and Django re-hashes them with the first one at the person's next log-in.
# benchmarks/login_cpu.py measures the CPU a log-in costs with each.
SECURE_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
PASSWORD_HASHERS = SECURE_PASSWORD_HASHERS

# The test suite creates many users: a fast hash keeps it quick.
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

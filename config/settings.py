"""Hội thi Số settings, read from environment variables (see README "Configuration").

Embedded default: SQLite, the in-memory channel layer and a local-memory cache.
``DATABASE_URL`` switches to PostgreSQL; ``REDIS_URL`` switches the channel layer and the
cache to Redis. Nothing else changes between a classroom laptop and a province.
"""

import ipaddress
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import (
    SQLITE_OPTIONS,
    database_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_networks,
    env_rate,
    env_str,
    redis_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-dev-only-key-do-not-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public base URL, used in QR codes and printed links; empty means "from the request".
SITE_URL = env_str("SITE_URL").rstrip("/")
# List the demo accounts and their passwords on the home page (demo installs only).
SHOW_DEMO_LOGINS = env_bool("SHOW_DEMO_LOGINS", DEBUG)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_prometheus",
    "core",
    "schools",
    "quizbank",
    "contest",
    "live",
    "leaderboard",
    "frontend",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and /jsi18n/ compressed (static files arrive precompressed from WhiteNoise, above).
    # Django's GZipMiddleware pads its output against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.nul.RejectNulMiddleware",
    "core.middleware.OutOfRangeIdMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "contest.first_signin.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.pages.DomainErrorPageMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL").strip()
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "var" / "hoithiso.sqlite3")),
            "OPTIONS": SQLITE_OPTIONS,
            "TEST": {"NAME": env_str("SQLITE_TEST_PATH", str(BASE_DIR / "var" / "test.sqlite3"))},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer and cache ---------------------------------------------------------
REDIS_URL = redis_url()
# Prefix of every Redis key and pub/sub channel, so several installs can share one Redis.
REDIS_PREFIX = env_str("REDIS_PREFIX", "hts")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # channels-redis's pub/sub layer that keeps sockets working while Redis is down.
            "BACKEND": "core.realtime.layers.ResilientChannelLayer",
            "CONFIG": {
                "prefix": REDIS_PREFIX,
                "hosts": [
                    {
                        "address": REDIS_URL,
                        # redis-py 8 defaults to a 5 s socket timeout, which races the
                        # layer's blocking reads and closes idle consumers.
                        "socket_timeout": None,
                        # A Redis host that drops packets fails fast instead of stalling sockets.
                        "socket_connect_timeout": 2,
                        # redis-py 8 caps a pool at 100 connections; bursts of group_add /
                        # group_discard then fail with "Too many connections".
                        "max_connections": env_int("REDIS_MAX_CONNECTIONS", 1000, minimum=10),
                    }
                ],
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_PREFIX,
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Round lists and public rankings in the shared cache, dropped by the services that change them
# (core/pagecache.py). On with Redis: one process gains little, and its cache would not see the
# writes of other processes. Entries expire after PAGE_CACHE_TTL s whatever happens.
PAGE_CACHE = env_bool("PAGE_CACHE", bool(REDIS_URL))
PAGE_CACHE_TTL = env_int("PAGE_CACHE_TTL", 120, minimum=1)

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Staff and chosen passwords: PBKDF2 (Django's default, first). Login-card secrets: a fast hash
# (core/hashers.py says why). SigninBackend keeps card hashes as they are at sign-in;
# ModelBackend stays listed so that sessions it signed in remain valid.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "core.hashers.CardSecretHasher",
]
AUTHENTICATION_BACKENDS = ["core.auth.SigninBackend", "django.contrib.auth.backends.ModelBackend"]
# Wrong passwords allowed per account and per client address (core/limits.py, docs/security.md).
SIGNIN_ACCOUNT_RATE = env_rate("SIGNIN_ACCOUNT_RATE", "10/h")
SIGNIN_ADDRESS_RATE = env_rate("SIGNIN_ADDRESS_RATE", "300/h")
# Frames a websocket may send: a burst, then a steady rate a second; over it each frame is
# answered rate_limited, and a flood (a hundred refusals in a row) is closed 4429
# (core/realtime/consumers.py, docs/realtime.md).
SOCKET_MESSAGE_RATE = env_float("SOCKET_MESSAGE_RATE", 50.0, minimum=1)
SOCKET_MESSAGE_BURST = env_int("SOCKET_MESSAGE_BURST", 200, minimum=1)
# Proxies whose X-Forwarded-For is believed (addresses or networks); empty: none (core/client.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES must list addresses or networks, got {_proxy!r}") from _exc
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Cookies: HttpOnly session (the CSRF cookie is read by the pages' scripts, which Django's
# docs say costs nothing), SameSite=Lax, and Secure behind TLS.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", BEHIND_TLS_PROXY)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
# HSTS is sent on HTTPS requests only (SecurityMiddleware), so a classroom laptop on plain
# HTTP never gets it; behind a TLS proxy it tells browsers to stay on HTTPS for a year.
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every page works under this policy (core/security.py): scripts, styles and connections
# (websockets included) from this site only, nothing inline, no framing. Empty: none sent.
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
    "connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# Each app keeps its own catalog in <app>/locale (source strings are Vietnamese).
LOCALE_PATHS: list = []
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's own "vi" formats lack dd/mm/yyyy input, thousands grouping and Monday first.
FORMAT_MODULE_PATH = ["config.formats"]
# Numbers are grouped where a template asks for it (intcomma, floatformat:"1g"), so ids
# and years are never printed as "2.026" by accident.
USE_THOUSAND_SEPARATOR = False

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # collectstatic writes hashed names (imports inside ES modules rewritten too) with .gz and
    # .br copies; WhiteNoise serves those compressed and immutable for years (docs/speed.md).
    # With DEBUG the templates use the plain names and WhiteNoise reads the source files.
    "staticfiles": {"BACKEND": "core.staticfiles.StaticStorage"},
}
# Serve the source files (uncompressed, short-lived) only while developing; production serves
# what collectstatic wrote.
WHITENOISE_USE_FINDERS = DEBUG
# Imports are read in memory; larger files are refused with a translated error.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Request bodies, refused in the server before they are read (core/bodylimits.py): paths that
# take files may send UPLOAD_BODY_MAX_BYTES, the rest REQUEST_BODY_MAX_BYTES; the request line,
# headers and body must arrive within REQUEST_BODY_TIMEOUT_S. deploy/nginx/ sets the same.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 1024 * 1024, minimum=1024)
UPLOAD_BODY_MAX_BYTES = env_int("UPLOAD_BODY_MAX_BYTES", DATA_UPLOAD_MAX_MEMORY_SIZE + 1024 * 1024, minimum=1024)
REQUEST_BODY_TIMEOUT_S = env_int("REQUEST_BODY_TIMEOUT_S", 60, minimum=1)
UPLOAD_PATHS = [
    r"^/api/(quizbank|schools)/imports/$",  # question banks and rosters (multipart)
    r"^/(quizbank|schools)/import/$",  # the same, from the pages
    r"^/quizbank/(new|[0-9]+)/$",  # the question editor (an image)
]

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttles.AnonRateThrottle",
        "core.api.throttles.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("THROTTLE_ANON", "120/min"),
        "user": env_rate("THROTTLE_USER", "1200/min"),
        # Guessing a game PIN or a login card must be slow.
        "pin": env_rate("THROTTLE_PIN", "20/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hội thi Số API",
    "DESCRIPTION": "REST API of Hội thi Số: schools, question bank, contests, live games, rankings.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Served from our own static files, so the docs page works on a school LAN without internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Server process ---------------------------------------------------------------------------
# The ASGI server raises the garbage collector's first threshold (config/asgi.py): a websocket
# message allocates a few dozen short-lived objects, and at Python's default (700) the
# collections cost a third of the answer path's CPU (docs/contest.md, "The write path").
# 0 keeps Python's default.
GC_GEN0_THRESHOLD = env_int("GC_GEN0_THRESHOLD", 20_000, minimum=0)
# Threads for websocket database work (handshake user, round snapshot, board): after a worker
# dies its pupils come back to the others at once, and one thread would queue them all
# (core/realtime/db.py). Each borrows from the database pool, so keep it under DB_POOL_MAX.
SOCKET_DB_THREADS = env_int("SOCKET_DB_THREADS", 4, minimum=1)
# How long a websocket handshake (its session and user, and a consumer's reads before it
# accepts) waits for a database connection. Past it the socket is answered ``unavailable``
# and closed 4503, and the client retries with back-off: the pool's own wait
# (DB_POOL_TIMEOUT_S) is longer than Daphne's 5 s handshake timeout, which would drop the
# socket without a word (core/realtime/db.py).
SOCKET_HANDSHAKE_DB_TIMEOUT_S = env_float("SOCKET_HANDSHAKE_DB_TIMEOUT_S", 1.5, minimum=0.1)

# --- Metrics (/metrics, docs/operations.md) -------------------------------------------------
# Answered only to these networks, or to "Authorization: Bearer <METRICS_TOKEN>".
METRICS_TOKEN = env_str("METRICS_TOKEN")
METRICS_ALLOWED = env_networks("METRICS_ALLOWED", ["127.0.0.1/32", "::1/128"])

# --- Logging --------------------------------------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {LOG_LEVEL!r}")
# One line per record, with the request id; LOG_FORMAT=json for a log collector.
LOG_FORMAT = env_str("LOG_FORMAT", "plain").lower()
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "filters": {
        "request_id": {"()": "core.logs.RequestIdFilter"},
        "one_line_refusals": {"()": "core.logs.OneLineRefusals"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Expected 403s: one line, no traceback (core.logs).
        "django.request": {"filters": ["one_line_refusals"]},
    },
}

"""Settings shared by every environment; values come from the environment (django-environ)."""

from __future__ import annotations

from .accounts import *
from .catalog import *
from .catalog import CATALOG_BEAT_SCHEDULE
from .environment import BASE_DIR, env

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.staticfiles",
    "django.contrib.messages",
    "django.contrib.sessions",
    "django_htmx",
    "template_partials",
    "ninja",
    "killrvideo",
    "accounts",
    "catalog",
    "community",
    "discovery",
    "moderation",
]

MIDDLEWARE = [
    "killrvideo.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "killrvideo.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "killrvideo.urls"
WSGI_APPLICATION = "killrvideo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csrf",
                "django.contrib.messages.context_processors.messages",
                "killrvideo.context_processors.site",
            ],
        },
    }
]

# Domain data lives in Astra DB (Data API); Django itself keeps no SQL database.
DATABASES: dict[str, dict[str, str]] = {}

# --- Data API / Astra -------------------------------------------------------
ASTRA_DB_API_ENDPOINT = env("ASTRA_DB_API_ENDPOINT", default="")
ASTRA_DB_APPLICATION_TOKEN = env("ASTRA_DB_APPLICATION_TOKEN", default="")
ASTRA_DB_KEYSPACE = env("ASTRA_DB_KEYSPACE", default="killrvideo")
LOCAL_DATA_API_URL = env("LOCAL_DATA_API_URL", default="http://127.0.0.1:8181")
LOCAL_DATA_API_USERNAME = env("LOCAL_DATA_API_USERNAME", default="cassandra")
LOCAL_DATA_API_PASSWORD = env("LOCAL_DATA_API_PASSWORD", default="cassandra")
DATA_API_TIMEOUT_MS = env.int("DATA_API_TIMEOUT_MS", default=10000)

# --- Redis: cache, sessions, Celery -----------------------------------------
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "kv",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="killrvideo")
CELERY_RESULT_EXPIRES = 3600
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {**CATALOG_BEAT_SCHEDULE}

# --- Auth / security ---------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
JWT_SECRET = env("JWT_SECRET", default="")
RATE_LIMITS_ENABLED = env.bool("RATE_LIMITS_ENABLED", default=True)
# Only behind a proxy that sets X-Forwarded-For itself; otherwise clients could pick their own rate-limit key.
TRUST_X_FORWARDED_FOR = env.bool("TRUST_X_FORWARDED_FOR", default=False)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Our own CSP: scripts and styles only from us; YouTube's privacy-enhanced player in frames.
CONTENT_SECURITY_POLICY = env(
    "CONTENT_SECURITY_POLICY",
    default=(
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' https://i.ytimg.com https://img.youtube.com data:; "
        "frame-src https://www.youtube-nocookie.com; connect-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
)

# --- Static files ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Logging -----------------------------------------------------------------
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "killrvideo.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "killrvideo.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        "astrapy": {"level": "WARNING"},
    },
}
CSRF_FAILURE_VIEW = "killrvideo.views.csrf_failure"

"""Settings shared by every environment; values come from the environment (django-environ)."""

from __future__ import annotations

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

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
LOCAL_DATA_API_DIR = env("LOCAL_DATA_API_DIR", default=str(BASE_DIR / "var" / "dataapi"))
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
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}

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
JWT_ACCESS_TTL_SECONDS = env.int("JWT_ACCESS_TTL_SECONDS", default=3600)
LOGIN_LOCKOUT_ATTEMPTS = env.int("LOGIN_LOCKOUT_ATTEMPTS", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=15 * 60)
RATE_LIMITS_ENABLED = env.bool("RATE_LIMITS_ENABLED", default=True)
# Only behind a proxy that sets X-Forwarded-For itself; otherwise clients could pick their own rate-limit key.
TRUST_X_FORWARDED_FOR = env.bool("TRUST_X_FORWARDED_FOR", default=False)
VIDEO_SUBMIT_RATE_LIMIT = env.int("VIDEO_SUBMIT_RATE_LIMIT", default=30)  # submissions per creator per hour
# Accounts (added by the accounts app): per-IP limits on sign-in and registration, user cache, email claim.
SIGNIN_RATE_LIMIT = env.int("SIGNIN_RATE_LIMIT", default=10)
SIGNIN_RATE_WINDOW_SECONDS = env.int("SIGNIN_RATE_WINDOW_SECONDS", default=60)
REGISTER_RATE_LIMIT = env.int("REGISTER_RATE_LIMIT", default=5)
REGISTER_RATE_WINDOW_SECONDS = env.int("REGISTER_RATE_WINDOW_SECONDS", default=3600)
REGISTER_CLAIM_SECONDS = 60  # how long a registration in progress holds its email (Redis SET NX)
USER_CACHE_SECONDS = env.int("USER_CACHE_SECONDS", default=60)  # per-request user load cache, invalidated on change

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

# --- YouTube -----------------------------------------------------------------
YOUTUBE_API_KEY = env("YOUTUBE_API_KEY", default="")
YOUTUBE_DATA_API_BASE_URL = env("YOUTUBE_DATA_API_BASE_URL", default="https://www.googleapis.com/youtube/v3")
YOUTUBE_OEMBED_URL = env("YOUTUBE_OEMBED_URL", default="https://www.youtube.com/oembed")
YOUTUBE_TIMEOUT_SECONDS = env.float("YOUTUBE_TIMEOUT_SECONDS", default=5.0)

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

# --- Catalog (videos) ----------------------------------------------------------
CATALOG_PROCESS_MAX_RETRIES = env.int("CATALOG_PROCESS_MAX_RETRIES", default=5)
CATALOG_PROCESS_RETRY_BASE_SECONDS = env.float("CATALOG_PROCESS_RETRY_BASE_SECONDS", default=2.0)
CATALOG_PROCESS_RETRY_MAX_SECONDS = env.float("CATALOG_PROCESS_RETRY_MAX_SECONDS", default=300.0)
CATALOG_STUCK_AFTER_MINUTES = env.int("CATALOG_STUCK_AFTER_MINUTES", default=10)
CATALOG_VIEW_DEDUPE_SECONDS = env.int("CATALOG_VIEW_DEDUPE_SECONDS", default=30 * 60)
CATALOG_TRENDING_PER_DAY = env.int("CATALOG_TRENDING_PER_DAY", default=50)
CELERY_BEAT_SCHEDULE.update(
    {
        "catalog-views-flush": {
            "task": "catalog.views_flush",
            "schedule": env.float("CATALOG_VIEWS_FLUSH_SECONDS", default=15.0),
        },
        "catalog-rescue-stuck": {"task": "catalog.videos_rescue_stuck", "schedule": 300.0},
    }
)

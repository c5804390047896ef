"""Settings shared by every environment; values come from the environment (django-environ)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .accounts import *
from .catalog import *
from .catalog import CATALOG_BEAT_SCHEDULE
from .community import *
from .discovery import *
from .environment import BASE_DIR, env
from .moderation import *

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
    "killrvideo.middleware.ApiJsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# Bounds on what one request may send (every form and JSON body here is small); past them the API answers
# 413 / 400 JSON and pages a styled 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

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
# Crash safety. A message is acknowledged only once its task has finished (acks_late), so a worker killed
# mid-task leaves it in Redis's unacked set; kombu's Redis transport puts a message back on its queue once it
# has been unacknowledged for the visibility timeout. Every worker sweeps for such messages when it starts and
# then every CELERY_UNACKED_RESTORE_INTERVAL_SECONDS (kombu's defaults: an hour's timeout, a sweep every ~100 s).
# The other side of the bargain: a message still held past the timeout is delivered twice, so a task's longest
# hold (a retry's countdown, which the worker waits out holding the message, plus one attempt) must fit inside
# it (checked below); tasks are idempotent, so a duplicate costs work, never correctness.
CELERY_TASK_ACKS_LATE = True
# A prefork child killed mid-task (out of memory, say): requeue its message now rather than acknowledge it.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One unstarted message per pool slot: a crash strands few, and the rest stay queued for the other workers.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Under a minute to recover, and above killrvideo.redis.LOCK_TIMEOUT_SECONDS (30 s), so that a redelivered task
# never queues behind a lock its dead worker still holds.
CELERY_VISIBILITY_TIMEOUT_SECONDS = env.int("CELERY_VISIBILITY_TIMEOUT_SECONDS", default=45)
CELERY_UNACKED_RESTORE_INTERVAL_SECONDS = env.int("CELERY_UNACKED_RESTORE_INTERVAL_SECONDS", default=5)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT_SECONDS,
    "unacked_restore_interval": CELERY_UNACKED_RESTORE_INTERVAL_SECONDS,
    "unacked_restore_throttle": 1,  # scan on every sweep: the interval alone sets the cadence
    # The sweep's lock: a worker killed while sweeping would otherwise block the others' sweeps for 5 minutes.
    # Overlapping sweeps are safe (each message is restored in a WATCH transaction).
    "unacked_mutex_expire": CELERY_VISIBILITY_TIMEOUT_SECONDS,
}
_ATTEMPT_SLACK_SECONDS = 10  # an attempt's Data API writes and embedding, on top of its YouTube request
if (
    CATALOG_PROCESS_RETRY_MAX_SECONDS + YOUTUBE_TIMEOUT_SECONDS + _ATTEMPT_SLACK_SECONDS
    > CELERY_VISIBILITY_TIMEOUT_SECONDS
):
    raise ImproperlyConfigured(
        f"CATALOG_PROCESS_RETRY_MAX_SECONDS + YOUTUBE_TIMEOUT_SECONDS + {_ATTEMPT_SLACK_SECONDS} s must not exceed "
        "CELERY_VISIBILITY_TIMEOUT_SECONDS, or a retrying video's message is redelivered before its countdown ends."
    )
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="killrvideo")
CELERY_RESULT_EXPIRES = 3600
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {**CATALOG_BEAT_SCHEDULE}

# --- Auth / security ---------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.SimilarityValidator"},  # Django's rule, for users that are not models
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
STATIC_ROOT: Path | None = BASE_DIR / "var" / "staticfiles"
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

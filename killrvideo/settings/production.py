"""Production: refuses to start without its required settings."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import env

DEBUG = False
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT  # type: ignore[index]

_REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL")
_missing = [name for name in _REQUIRED if not env(name, default="")]
if _missing:
    raise ImproperlyConfigured(f"Production settings need these environment variables: {', '.join(_missing)}")
if not (env("ASTRA_DB_API_ENDPOINT", default="") and env("ASTRA_DB_APPLICATION_TOKEN", default="")) and not env(
    "LOCAL_DATA_API_URL", default=""
):
    raise ImproperlyConfigured(
        "Production needs a data store: set ASTRA_DB_API_ENDPOINT and ASTRA_DB_APPLICATION_TOKEN "
        "(or LOCAL_DATA_API_URL to use an embedded Data API server on purpose)."
    )
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters in production.")
JWT_SECRET = env("JWT_SECRET", default=SECRET_KEY)

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

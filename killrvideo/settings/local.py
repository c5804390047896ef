"""Developer machine: `make run`. Safe defaults, embedded Data API, local Redis."""

from __future__ import annotations

from .base import *
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-secret-key-change-me-0123456789")
JWT_SECRET = env("JWT_SECRET", default=SECRET_KEY)
# Local runs serve collected files straight from the finder so `make run` needs no collectstatic.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

"""pytest: the conftest starts the embedded Data API server, Redis and a worker and sets their URLs."""

from __future__ import annotations

from .base import *
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key-0123456789-0123456789-0123456789"
JWT_SECRET = SECRET_KEY
ASTRA_DB_KEYSPACE = env("ASTRA_DB_KEYSPACE", default="killrvideo_test")
# Fast hashing keeps the suite quick; the production hasher is still PBKDF2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
ALLOWED_HOSTS = ["*"]
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="killrvideo-test")

"""pytest: the conftest starts the embedded Data API server, Redis and a worker and sets their URLs."""

from __future__ import annotations

from .base import *
from .base import env

DEBUG = False
# Nothing listens here: a test that touches the store without the stack's fixtures fails loudly instead of
# writing to a developer's `make run` data (the `kv_stack` fixture points these at the test servers).
# Child processes (the worker, commands) get the test servers' URLs in their environment.
LOCAL_DATA_API_URL = env("LOCAL_DATA_API_URL", default="http://127.0.0.1:9")
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:9/0")
CACHES = {"default": {**CACHES["default"], "LOCATION": REDIS_URL}}
CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL
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

"""A local install: `make run` (and `make dev`). Embedded Data API, local Redis, served like production.

DEBUG is off unless asked for (`DEBUG=true`, as `make dev` does): people running the app see the styled
error pages and JSON errors, not Django's technical pages. The signing key is generated on first run and
kept in var/secret_key (never a published default: a token signed with a well-known key would work).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from .base import *
from .base import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=False)


def _local_secret_key() -> str:
    """var/secret_key, created once. The web server, worker and beat start together: the key is written to a
    temporary file and linked into place (atomic, fails if another process won), so all read one key."""
    path = Path(env("KILLRVIDEO_VAR_DIR", default=str(BASE_DIR / "var"))) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        candidate = path.with_name(f".secret_key.{os.getpid()}")
        fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        with contextlib.suppress(FileExistsError):
            os.link(candidate, path)
        candidate.unlink()
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default="") or _local_secret_key()
JWT_SECRET = env("JWT_SECRET", default=SECRET_KEY)
# Local runs serve collected files straight from the finder so `make run` needs no collectstatic.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

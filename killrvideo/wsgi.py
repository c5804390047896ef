from __future__ import annotations

import os

from django.apps import apps
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "killrvideo.settings.production")
application = get_wsgi_application()

# Web processes only (not commands or workers): apps may warm what their first request would otherwise wait
# for, e.g. discovery loads the sentence model for search. An app opts in with a `web_ready()` method.
for _config in apps.get_app_configs():
    web_ready = getattr(_config, "web_ready", None)
    if callable(web_ready):
        web_ready()

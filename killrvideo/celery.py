from __future__ import annotations

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "killrvideo.settings.local")

app = Celery("killrvideo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _fresh_client_after_fork(**_: object) -> None:
    # A forked worker must not share the parent's HTTP connections to the Data API.
    from killrvideo import astra

    astra.reset()

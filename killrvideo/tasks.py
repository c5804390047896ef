from __future__ import annotations

import socket
from datetime import UTC, datetime

from celery import shared_task


@shared_task(name="killrvideo.ping", acks_late=False)
def ping() -> dict[str, str]:
    """Readiness probe: proves broker -> worker -> result backend works end to end."""
    return {"pong": datetime.now(UTC).isoformat(), "worker": socket.gethostname()}

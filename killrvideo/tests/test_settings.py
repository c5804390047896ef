from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT

PRODUCTION_ENV = {
    "SECRET_KEY": "p" * 50,
    "ALLOWED_HOSTS": "killrvideo.example",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ASTRA_DB_API_ENDPOINT": "https://db-id-region.apps.astra.datastax.com",
    "ASTRA_DB_APPLICATION_TOKEN": "AstraCS:token",
}


def _load_production_settings(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_ENV and key != "LOCAL_DATA_API_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "killrvideo.settings.production", **PRODUCTION_ENV, **overrides}
    env = {key: value for key, value in env.items() if value != ""}
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_production_settings_load_when_complete():
    result = _load_production_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "at least 32"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"ASTRA_DB_APPLICATION_TOKEN": ""}, "data store"),
    ],
)
def test_production_refuses_to_start_without_required_settings(overrides, message):
    result = _load_production_settings(**overrides)
    assert result.returncode != 0
    assert message in result.stderr

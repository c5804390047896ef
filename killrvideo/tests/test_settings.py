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


def _load_local_settings(var_dir: str) -> subprocess.Popen[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DEBUG", "JWT_SECRET")}
    env |= {"DJANGO_SETTINGS_MODULE": "killrvideo.settings.local", "KILLRVIDEO_VAR_DIR": var_dir}
    code = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY, settings.JWT_SECRET)"
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)


def test_local_settings_generate_one_private_key_and_keep_debug_off(tmp_path):
    """`make run` starts web, worker and beat at once: they must agree on one generated key."""
    processes = [_load_local_settings(str(tmp_path)) for _ in range(4)]
    outputs = {process.communicate(timeout=60)[0].strip() for process in processes}
    assert len(outputs) == 1
    debug, secret, jwt_secret = outputs.pop().split()
    assert debug == "False"
    assert secret == jwt_secret == (tmp_path / "secret_key").read_text().strip()
    assert len(secret) >= 50
    assert "local-development-only" not in secret
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert _load_local_settings(str(tmp_path)).communicate(timeout=60)[0].split()[1] == secret  # kept

"""Settings come from the environment; each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'db': settings.DATABASES['default']['NAME'], 'eager': settings.CELERY_TASK_ALWAYS_EAGER, "
    "'broker': settings.CELERY_BROKER_URL, 'debug': settings.DEBUG, "
    "'cookie_secure': settings.SESSION_COOKIE_SECURE}))"
)
CLEAN = {
    k: v
    for k, v in os.environ.items()
    if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
}
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 60 + "-not-a-real-key-but-long-enough",
    "ALLOWED_HOSTS": "opvang.example.nl",
}


def run(code_or_args, **env) -> subprocess.CompletedProcess:
    args = [sys.executable, "-c", code_or_args] if isinstance(code_or_args, str) else code_or_args
    return subprocess.run(
        args,
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "twente.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def probe(**env) -> dict:
    result = run(PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_environment_it_runs_embedded():
    found = probe()
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["eager"] is True
    assert found["broker"] == "memory://"
    assert found["debug"] is True


def test_database_url_switches_to_postgresql():
    found = probe(DATABASE_URL="postgres://twente:secret@db.example:5432/opvang")
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["db"] == "opvang"


def test_redis_url_switches_celery_to_a_real_broker():
    found = probe(REDIS_URL="redis://127.0.0.1:6379/3")
    assert found["eager"] is False
    assert found["broker"] == "redis://127.0.0.1:6379/3"


def test_production_refuses_to_start_without_a_secret_key():
    result = run(PROBE, DEBUG="false", ALLOWED_HOSTS="opvang.example.nl")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run(PROBE, DEBUG="false", SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_a_bad_boolean_fails_loudly():
    result = run(PROBE, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert probe(**PRODUCTION)["cookie_secure"] is True


@pytest.mark.parametrize("env", [{}, PRODUCTION])
def test_no_migrations_are_missing(env):
    result = run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"], **env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("inside", ["STATIC_ROOT", "MEDIA_ROOT"])
def test_attachments_may_not_be_stored_where_the_web_server_serves(tmp_path, inside):
    served = tmp_path / "served"
    result = run(PROBE, **{inside: str(served), "PRIVATE_MEDIA_ROOT": str(served / "bijlagen")})
    assert result.returncode != 0
    assert "PRIVATE_MEDIA_ROOT" in result.stderr
    assert run(PROBE, PRIVATE_MEDIA_ROOT=str(tmp_path / "private")).returncode == 0

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import MunicipalityFactory, UserFactory
from twente.settings import envbool


@pytest.fixture(autouse=True)
def _fresh_read_cache():
    """The cached reads (capacity/read_cache.py) of one test are not another's: each test's
    database starts empty, the process's cache does not."""
    from capacity import read_cache

    read_cache.reset()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Login throttling has its own tests (tests/twente/test_security.py); elsewhere a test
    # client's login() carries no request, which django-axes refuses.
    settings.AXES_ENABLED = False
    # No map tiles from the internet (the standard is PDOK's): the map's offline mode.
    settings.MAP_TILE_URL = ""
    # The documented way around the second factor (README) holds only for a DEBUG install.
    # pytest-django switches DEBUG off for the run, so read it as settings.py does; the
    # second-factor tests (tests/accounts, tests/browser) switch the bypass off again.
    settings.TWO_FACTOR_BYPASS = envbool("DEBUG", "true")


@pytest.fixture(autouse=True)
def _default_language():
    """Start and end every test in the shown default language.

    A request with the cookie or Accept-Language `en` leaves English active in the thread;
    without this a later test would see English strings and fail, or pass, by test order.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def twente(db):
    """The reference data as `manage.py load_twente` loads it."""
    call_command("load_twente", verbosity=0)


@pytest.fixture
def coordinator(db):
    return UserFactory(username="coord", role="coordinator")


@pytest.fixture
def project_leader(db):
    municipality = MunicipalityFactory(code="GM0153", name="Enschede")
    return UserFactory(
        username="pl-enschede", role="project_leader", scope__municipality=municipality
    )


@pytest.fixture
def secretary(db):
    user = UserFactory(username="secr", role="secretary")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def provincial_reader(db):
    return UserFactory(username="prov", role="provincial_reader")


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def eager_celery():
    """Run tasks in-process even when REDIS_URL points at a real broker."""
    from twente.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


@pytest.fixture
def celery_worker(transactional_db, settings):
    """A real `celery -A twente worker` on REDIS_URL, reading the test database.

    Skipped without REDIS_URL and on SQLite (an in-memory test database cannot be shared with
    another process); CI runs the suite a second time on PostgreSQL and Redis.
    """
    from django.db import connection

    redis_url = os.environ.get("REDIS_URL")
    database_url = os.environ.get("DATABASE_URL")
    if not redis_url or not database_url or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and DATABASE_URL (PostgreSQL)")
    # Point the worker at the test database pytest-django created, not the real one.
    base, _, _ = database_url.rpartition("/")
    env = {**os.environ, "DATABASE_URL": f"{base}/{connection.settings_dict['NAME']}"}
    root = Path(__file__).resolve().parents[1]
    from twente.celery import app

    app.control.purge()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "twente",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"celery worker exited: {process.stdout.read()}")
            if app.control.ping(timeout=0.5):
                break
        else:
            pytest.fail("celery worker did not answer a ping within 30 s")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()

"""The nightly jobs on Celery beat: the schedule in the database, its admin, the task, and a
real beat next to a real worker."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from meetings.models import Meeting, MeetingStatus
from tests.meetings.factories import MeetingFactory
from twente.celery import app
from twente.models import ScheduledRun
from twente.tasks import run_scheduled

NIGHTLY = "Nachtelijke taken"
TASK = "twente.tasks.run_scheduled"
ROOT = Path(__file__).resolve().parents[2]


def test_the_notifications_are_sent_every_hour_on_the_hour(db):
    task = PeriodicTask.objects.select_related("crontab").get(name="Meldingen versturen")

    assert (task.task, task.enabled) == ("twente.notifications.tasks.send_due_notifications", True)
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == (
        "0",
        "*",
        "Europe/Amsterdam",
    )
    app.loader.import_default_modules()
    assert task.task in app.tasks


def test_the_nightly_jobs_are_scheduled_at_00_15_amsterdam_time(db, settings):
    task = PeriodicTask.objects.select_related("crontab").get(name=NIGHTLY)

    assert (task.task, task.enabled, task.interval) == (TASK, True, None)
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_month, crontab.day_of_week) == (
        "15",
        "0",
        "*",
        "*",
    )
    assert str(crontab.timezone) == "Europe/Amsterdam"
    # Beat reads the schedule from the database, and finds the task under the name it sends.
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    assert settings.CELERY_TIMEZONE == "Europe/Amsterdam"
    app.loader.import_default_modules()
    assert TASK in app.tasks


@pytest.fixture
def manager_client(client, db):
    manager = get_user_model().objects.create_superuser("beheer", "b@example.org", "x" * 12)
    client.force_login(manager)
    return client


def test_the_application_manager_sees_the_schedule_in_dutch(manager_client):
    response = manager_client.get(reverse("admin:django_celery_beat_periodictask_changelist"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Periodieke taken" in content
    assert NIGHTLY in content
    assert "Geselecteerde taken uitzetten (pauzeren)" in content
    change = manager_client.get(
        reverse(
            "admin:django_celery_beat_periodictask_change",
            args=[PeriodicTask.objects.get(name=NIGHTLY).pk],
        )
    ).content.decode()
    assert "Crontab-schema" in change and "Omschrijving" in change
    assert "haalt de eerstvolgende run de gemiste dagen in" in change


def test_the_application_manager_pauses_the_nightly_jobs(manager_client):
    task = PeriodicTask.objects.get(name=NIGHTLY)

    response = manager_client.post(
        reverse("admin:django_celery_beat_periodictask_changelist"),
        {"action": "disable_tasks", "_selected_action": [task.pk]},
        follow=True,
    )

    task.refresh_from_db()
    assert task.enabled is False
    assert "1 taak is uitgezet" in response.content.decode()


def test_the_runs_are_listed_read_only_in_the_admin(manager_client):
    ScheduledRun.objects.create(
        date=datetime.date(2024, 2, 1), recompute_from=datetime.date(2024, 1, 29)
    )

    content = manager_client.get(reverse("admin:twente_scheduledrun_changelist")).content.decode()

    assert "Selecteer nachtelijke run om te bekijken" in content
    assert "Bezetting herberekend vanaf" in content and "29 januari 2024" in content
    assert manager_client.get(reverse("admin:twente_scheduledrun_add")).status_code == 403


def test_the_task_runs_the_jobs_for_today(db, eager_celery):
    meeting = MeetingFactory(date=datetime.date(2024, 1, 24), status=MeetingStatus.PLANNED)

    result = run_scheduled.delay().get(timeout=5)

    assert result["on"] == timezone.localdate().isoformat()
    assert result["meetings_held"] == [str(meeting)]
    assert Meeting.objects.get().status == MeetingStatus.HELD
    assert ScheduledRun.objects.get().date == timezone.localdate()


def _start_beat(log: Path) -> subprocess.Popen:
    """`celery -A twente beat` with the database scheduler, on the test database."""
    from django.db import connection

    base, _, _ = os.environ["DATABASE_URL"].rpartition("/")
    env = {**os.environ, "DATABASE_URL": f"{base}/{connection.settings_dict['NAME']}"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "twente",
            "beat",
            "--scheduler",
            "django_celery_beat.schedulers:DatabaseScheduler",
            "--max-interval",
            "1",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_beat_sends_the_nightly_jobs_to_a_real_worker(celery_worker, tmp_path):
    meeting = MeetingFactory(date=datetime.date(2024, 1, 24), status=MeetingStatus.PLANNED)
    # The nightly crontab (if this database still has it) stays out of the way; the same task
    # runs every second instead.
    PeriodicTask.objects.update(enabled=False)
    every_second = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(name="Elke seconde (test)", task=TASK, interval=every_second)

    log = tmp_path / "beat.log"
    beat = _start_beat(log)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if beat.poll() is not None:
                pytest.fail(f"celery beat exited: {log.read_text()}")
            meeting.refresh_from_db()
            if meeting.status == MeetingStatus.HELD:
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"no held meeting within 60 s; beat said: {log.read_text()}")
    finally:
        beat.terminate()
        try:
            beat.wait(timeout=15)
        except subprocess.TimeoutExpired:
            beat.kill()

    assert ScheduledRun.objects.filter(date=timezone.localdate()).exists()
    assert PeriodicTask.objects.get(name="Elke seconde (test)").total_run_count >= 1
    assert f"Sending due task Elke seconde (test) ({TASK})" in log.read_text()

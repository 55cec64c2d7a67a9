import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from municipalities.models import Municipality


@shared_task
def worker_ping() -> dict:
    """Prove a worker is alive and reads the same database as the web process."""
    return {"at": timezone.now().isoformat(), "municipalities": Municipality.objects.count()}


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
)
def run_scheduled(date_iso: str | None = None) -> dict:
    """The nightly jobs (twente.scheduled) for `date_iso`, by default today in
    Europe/Amsterdam, which is what Celery beat sends shortly after midnight. Idempotent per
    date, so a retry or a second delivery changes nothing."""
    from .scheduled import scheduled_run

    on = datetime.date.fromisoformat(date_iso) if date_iso else timezone.localdate()
    return scheduled_run(on=on).as_json()

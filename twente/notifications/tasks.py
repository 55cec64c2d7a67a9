"""Background sending. The hourly task queues what is due; each message is its own task, so a
refused message is retried (with backoff) without holding up or repeating the others."""

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from .services import NotificationSendError, notification_send, notifications_queue


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def send_due_notifications() -> int:
    """Meant to run every hour (celery beat, at minute 0): queue the reminders and digests
    whose time has come and the action reminders of the day. Idempotent through the log, so
    an extra or repeated run sends nothing twice. Returns the number of messages queued."""
    return len(notifications_queue(now=timezone.now()))


@shared_task(
    acks_late=True,
    autoretry_for=(NotificationSendError, DatabaseError),
    # 1, 2, 4, ... 30 minutes: a mail server that is down for a while still gets the message
    # within the hour after it is back. The longest countdown stays below the broker's
    # visibility timeout (settings.TASK_VISIBILITY_TIMEOUT), so no copy is delivered early.
    retry_backoff=60,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=6,
)
def send_notification(log_id: int) -> str:
    """Send one logged message (claimed first, so a second delivery sends nothing)."""
    return notification_send(log_id=log_id)

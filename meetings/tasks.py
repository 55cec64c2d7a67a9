"""Background sending of meeting packs (meetings.pack)."""

from celery import shared_task
from django.db import DatabaseError

from .pack import PackSendError, meeting_pack_deliver


@shared_task(
    acks_late=True,
    autoretry_for=(PackSendError, DatabaseError),
    retry_backoff=60,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=6,
)
def send_meeting_pack(send_id: int) -> str:
    """Send one recorded meeting pack to its recipients."""
    return meeting_pack_deliver(send_id=send_id)

from celery import shared_task
from django.utils import timezone

from municipalities.models import Municipality


@shared_task
def worker_ping() -> dict:
    """Prove a worker is alive and reads the same database as the web process."""
    return {"at": timezone.now().isoformat(), "municipalities": Municipality.objects.count()}

"""Background work of the capacity app: recompute the occupancy aggregates."""

import datetime

from celery import shared_task
from django.db import DatabaseError

from .recompute import run_followups
from .services import occupancy_recompute


@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
)
def recompute_occupancy(municipality_ids: list[int], from_date_iso: str | None = None) -> int:
    """Rebuild the occupancy snapshots of these municipalities from `from_date_iso`, then run
    the registered followups (allocation's realisation). Idempotent, so a retry or a second
    delivery after a lost worker does no harm. Returns the number of snapshot rows written."""
    from_date = datetime.date.fromisoformat(from_date_iso) if from_date_iso else None
    written = occupancy_recompute(municipality_ids=municipality_ids, from_date=from_date)
    run_followups(municipality_ids, from_date)
    return written

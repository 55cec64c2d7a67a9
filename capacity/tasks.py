"""Background work of the capacity app: the one recompute task, with the one retry policy."""

import datetime

from celery import shared_task
from django.db import DatabaseError

from imports.service import import_run_recompute_pending, import_run_recomputed

from .recompute import figures_recompute

# Every recompute task retries the same way: a lost database connection or a deadlock
# (DatabaseError covers OperationalError) is retried with a growing, jittered wait; the task
# is acknowledged only when done, so a worker that dies mid-task leaves it to another.
RETRY_POLICY = {
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**RETRY_POLICY)
def recompute_occupancy(
    municipality_ids: list[int],
    from_date_iso: str | None = None,
    import_run_id: int | None = None,
) -> int:
    """Rebuild the occupancy of these municipalities from `from_date_iso` and run its
    follow-ups (`recompute.figures_recompute`); after an import, then stamp its run.
    Idempotent, so a retry or a second delivery after a lost worker does no harm. Returns the
    number of snapshot rows written (0 for an import run stamped already)."""
    if import_run_id is not None and not import_run_recompute_pending(run_id=import_run_id):
        return 0
    from_date = datetime.date.fromisoformat(from_date_iso) if from_date_iso else None
    written = figures_recompute(municipality_ids=municipality_ids, from_date=from_date)
    if import_run_id is not None:
        import_run_recomputed(run_id=import_run_id)
    return written

from celery import shared_task
from django.db import DatabaseError


@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
)
def recompute_assignments(
    assignment_ids: list[int] | None = None, municipality_ids: list[int] | None = None
) -> dict[str, int]:
    """Recompute shares and realisation of the given assignments (all when None).

    Idempotent and safe to retry: it re-reads everything by id and writes only what changed.
    """
    from .services import assignments_recompute

    return assignments_recompute(assignment_ids=assignment_ids, municipality_ids=municipality_ids)

from celery import shared_task

from capacity.tasks import RETRY_POLICY


@shared_task(**RETRY_POLICY)
def recompute_assignments(
    assignment_ids: list[int] | None = None, municipality_ids: list[int] | None = None
) -> dict[str, int]:
    """Recompute shares and realisation of the given assignments (all when None), after a
    task or the key figures of municipalities changed; the occupancy is not involved.

    Idempotent and safe to retry: it re-reads everything by id and writes only what changed.
    """
    from .services import assignments_recompute

    return assignments_recompute(assignment_ids=assignment_ids, municipality_ids=municipality_ids)

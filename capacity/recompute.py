"""The recompute after figures changed: the occupancy, then what is derived from it.

`figures_recompute` rebuilds the occupancy snapshots of some municipalities
(`services.occupancy_recompute`) and then runs the follow-ups below, in this order. They live
in apps that build on capacity (which therefore may not import them), so they are named by
path and imported when the recompute runs. Each takes `(municipality_ids, from_date)`, where
`from_date` is a `datetime.date`, or None when everything from the first report on changed,
and must be idempotent: a task that fails is retried and runs them again.

The worker runs this through the one task `tasks.recompute_occupancy`, which every write path
enqueues after its commit (`services.recompute_enqueue`).
"""

import datetime
from collections.abc import Iterable

from django.utils.module_loading import import_string

from .services import occupancy_recompute

FOLLOWUPS = (
    # The realisation of the assignments of these municipalities (allocation).
    "allocation.services.realisation_followup",
    # The alert to the coordinators when an occupancy threshold was crossed.
    "twente.notifications.services.threshold_followup",
)


def figures_recompute(
    *, municipality_ids: Iterable[int], from_date: datetime.date | None = None
) -> int:
    """Rebuild the occupancy of these municipalities from `from_date`, then run FOLLOWUPS.
    Returns the number of occupancy snapshot rows written."""
    ids = sorted(set(municipality_ids))
    written = occupancy_recompute(municipality_ids=ids, from_date=from_date)
    for path in FOLLOWUPS:
        import_string(path)(ids, from_date)
    return written

"""A real Celery worker for test_worker_retry.py whose occupancy recompute stops half-way on
its first attempt, so that the test can kill the worker while the task runs.

    RECOMPUTE_PAUSE_DIR=/tmp/x python -m tests.twente.worker_with_pause --pool=prefork ...

Each attempt of the recompute task writes its snapshot rows inside a transaction, records
`attempt-<municipality ids>-<n>` (holding the pool process id) in RECOMPUTE_PAUSE_DIR and, on
the first attempt only, then sleeps before committing: the test sees the marker, checks that
the half-done rows are invisible, and kills the process. Test-only: production code has no
hook for this; the patch lives in this process and the pool processes it forks.
"""

import os
import sys
import time
from pathlib import Path


def main() -> None:
    marker_dir = Path(os.environ["RECOMPUTE_PAUSE_DIR"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twente.settings")
    import django

    django.setup()
    from django.db import transaction

    import capacity.recompute

    recompute = capacity.recompute.occupancy_recompute

    def recompute_pausing_on_the_first_attempt(*, municipality_ids, from_date=None):
        key = "-".join(str(pk) for pk in sorted(municipality_ids))
        attempt = len(list(marker_dir.glob(f"attempt-{key}-*"))) + 1
        with transaction.atomic():
            written = recompute(municipality_ids=municipality_ids, from_date=from_date)
            (marker_dir / f"attempt-{key}-{attempt}").write_text(f"{os.getpid()} {written}")
            if attempt == 1:
                time.sleep(120)  # killed here: rows written, not committed
        return written

    capacity.recompute.occupancy_recompute = recompute_pausing_on_the_first_attempt

    from twente.celery import app

    app.worker_main(["worker", *sys.argv[1:]])


if __name__ == "__main__":
    main()

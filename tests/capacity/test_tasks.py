import datetime

import pytest
from django.core.management import call_command
from django.db import transaction

from capacity.choices import ReportSource
from capacity.models import Location, OccupancySnapshot
from capacity.selectors import realised_places
from capacity.services import report_submit
from capacity.tasks import recompute_occupancy


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_recomputes_after_a_report(celery_worker):
    call_command("load_twente", verbosity=0)
    location = Location.objects.get(code="CNO-ENS-01")
    day = datetime.date(2022, 12, 8)
    with transaction.atomic():
        report_submit(
            location=location,
            date=day,
            capacity=70,
            occupied=60,
            source=ReportSource.API,
            user=None,
        )
    # The task was sent after the commit; wait for the worker to have written the snapshot.
    recompute_occupancy.delay([location.municipality_id], day.isoformat()).get(timeout=30)
    assert realised_places(on=day)[("GM0153", "asylum")] == 70
    assert OccupancySnapshot.objects.filter(municipality=location.municipality, date=day).exists()

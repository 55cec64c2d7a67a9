import pytest

from municipalities.models import SafetyRegion
from municipalities.services import reference_data_load
from twente.seeding import FIXTURES


@pytest.fixture(autouse=True)
def _tasks_in_process(eager_celery):
    """Enqueued recomputes run in-process, also when REDIS_URL points at a real broker."""
    yield


@pytest.fixture
def region(db) -> SafetyRegion:
    """Provinces, the 25 safety regions and Twente's 14 municipalities with their population:
    the reference part of `load_twente`, without the seeds' locations, tasks and meetings."""
    reference_data_load(directory=FIXTURES)
    return SafetyRegion.objects.get(code="VR05")

import pytest

from capacity.recompute import _followups


@pytest.fixture(autouse=True)
def _no_foreign_followups():
    """Run capacity's recompute without what other apps registered (tested there)."""
    saved = list(_followups)
    _followups.clear()
    yield
    _followups[:] = saved


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Enqueued recomputes run in-process, also when REDIS_URL points at a broker; tests
    marked celery_worker use the real worker instead."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    request.getfixturevalue("eager_celery")
    yield

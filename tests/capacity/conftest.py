import pytest

from capacity import recompute


@pytest.fixture(autouse=True)
def _no_foreign_followups(monkeypatch):
    """Run capacity's recompute without the follow-ups of other apps (tested there)."""
    monkeypatch.setattr(recompute, "FOLLOWUPS", ())


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Enqueued recomputes run in-process, also when REDIS_URL points at a broker; tests
    marked celery_worker use the real worker instead."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    request.getfixturevalue("eager_celery")
    yield

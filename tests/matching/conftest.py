import pytest


@pytest.fixture(autouse=True)
def _tasks_in_process(eager_celery):
    """The recompute a placement enqueues runs in-process, also when REDIS_URL is set."""
    yield

"""How long a task of a worker that died stays with it before Redis hands it out again."""

import json

import pytest

from .test_settings import run

PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "from twente.celery import app; "
    "print(json.dumps({'options': settings.CELERY_BROKER_TRANSPORT_OPTIONS, "
    "'celery': app.conf.broker_transport_options, 'acks_late': app.conf.task_acks_late, "
    "'reject': app.conf.task_reject_on_worker_lost, "
    "'prefetch': app.conf.worker_prefetch_multiplier}))"
)


def test_tasks_survive_a_lost_worker_by_default():
    result = run(PROBE)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["options"] == found["celery"] == {"visibility_timeout": 3600}
    assert (found["acks_late"], found["reject"], found["prefetch"]) == (True, True, 1)


def test_the_visibility_timeout_comes_from_the_environment():
    result = run(PROBE, CELERY_VISIBILITY_TIMEOUT="900")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["celery"] == {"visibility_timeout": 900}


@pytest.mark.parametrize("value", ["0", "-5", "an hour"])
def test_a_visibility_timeout_that_is_no_positive_number_is_refused(value):
    result = run(PROBE, CELERY_VISIBILITY_TIMEOUT=value)
    assert result.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT must be" in result.stderr

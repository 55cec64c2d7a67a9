import pytest
from django.core.management import call_command

from twente.tasks import worker_ping


def test_eager_tasks_run_in_process(twente, eager_celery):
    assert worker_ping.delay().get(timeout=1)["municipalities"] == 14


def test_check_worker_command_reports_the_answer(twente, eager_celery, capsys):
    call_command("check_worker")
    assert "14 gemeenten" in capsys.readouterr().out


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_completes_a_task(celery_worker):
    call_command("load_twente", verbosity=0)
    result = worker_ping.delay()
    assert result.get(timeout=30)["municipalities"] == 14
    assert result.successful()

"""`manage.py send_notifications [--dry-run] [--date]` and the hourly task."""

import pytest
from django.core.management import CommandError, call_command

from tests.notifications.conftest import MONDAY, at
from twente.notifications.models import NotificationLog
from twente.notifications.tasks import send_due_notifications

# Committed for real, as when the command runs: the messages go out as their rows commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def command(eager_celery, capsys):
    def call(*args) -> str:
        call_command("send_notifications", *args)
        return capsys.readouterr().out

    return call


def test_a_dry_run_prints_what_it_would_send_and_sends_nothing(world, smtp, command):
    out = command("--dry-run", "--date", "2024-01-15")
    assert (
        "zou versturen: Herinnering weektelling 2024-W03-1 aan pl-enschede "
        "<pl-enschede@example.nl>: Herinnering: weektelling Enschede, week 3"
    ) in out
    assert "pl-hengelo" in out and "pl-zwolle" in out and "pl-borne" not in out
    assert "3 bericht(en) aan de beurt; niets verstuurd." in out
    assert smtp.messages == []
    assert not NotificationLog.objects.exists()


def test_it_sends_what_is_due_on_the_date_once(world, smtp, command):
    out = command("--date", "2024-01-15")
    assert (
        "verstuurd: Herinnering weektelling 2024-W03-1 aan pl-enschede "
        "<pl-enschede@example.nl>: Herinnering: weektelling Enschede, week 3"
    ) in out
    assert "3 bericht(en) verwerkt." in out
    assert len(smtp.messages) == 3
    assert "0 bericht(en) verwerkt." in command("--date", "2024-01-15")
    assert "0 bericht(en) aan de beurt" in command("--dry-run", "--date", "2024-01-15")
    assert len(smtp.messages) == 3


def test_the_whole_day_counts_for_a_date(world, smtp, command):
    """--date takes everything due on that day: Wednesday brings the second reminders and
    the digest (12:00)."""
    out = command("--date", "2024-01-17")
    assert "Tweede herinnering: weektelling Hengelo, week 3" in out
    assert "Weekoverzicht Twente, week 3" in out
    assert "Weekoverzicht IJsselland, week 3" in out


def test_without_a_date_it_runs_for_now(world, smtp, clock, command):
    clock.set(at(MONDAY, 8))
    assert "0 bericht(en) verwerkt." in command()
    clock.set(at(MONDAY, 9))
    assert "3 bericht(en) verwerkt." in command()


def test_a_bad_date_is_refused(transactional_db, command):
    with pytest.raises(CommandError, match="Ongeldige datum"):
        command("--date", "15-01-2024")


def test_the_hourly_task_queues_and_sends_what_is_due(world, smtp, clock, eager_celery):
    clock.set(at(MONDAY, 9))
    assert send_due_notifications.delay().get() == 3
    assert send_due_notifications.delay().get() == 0
    assert len(smtp.messages) == 3

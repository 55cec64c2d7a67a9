"""A mail server that refuses: retried with backoff, then visible in the admin, not lost."""

import pytest
from aiosmtpd.controller import Controller
from celery.exceptions import Retry

from tests.notifications.conftest import MONDAY, Inbox, at
from twente.notifications.models import NotificationLog, NotificationStatus
from twente.notifications.services import notification_send
from twente.notifications.tasks import send_notification

pytestmark = pytest.mark.django_db


def test_a_refused_connection_is_recorded_on_the_row_and_not_queued_again(
    world, mail_settings, run
):
    """No server listens. Embedded (eager) there is no worker to retry: each message is
    tried once, the row keeps the error, and the others are still tried."""
    run(at(MONDAY, 10))
    logs = NotificationLog.objects.all()
    assert logs.count() == 3
    for log in logs:
        assert (log.status, log.attempts) == (NotificationStatus.FAILED, 1)
        assert log.error.startswith("ConnectionRefusedError")
        assert log.sent_at is None
    # A later run does not queue them again: they wait for the admin's "send again".
    assert run(at(MONDAY, 11)) == []


def test_on_a_worker_the_task_retries_with_backoff_then_gives_up(
    world, mail_settings, run, eager_celery
):
    run(at(MONDAY, 10))
    log = NotificationLog.objects.get(recipient=world.pl_enschede)
    # A retry waits: from about a minute for the first to at most half an hour (jitter).
    with pytest.raises(Retry) as retry:
        send_notification.delay(log.pk)
    assert 0 <= retry.value.when <= 1800
    # Without propagating, eager mode runs the retries in-process, as a worker would in turn.
    eager_celery.conf.task_eager_propagates = False
    try:
        result = send_notification.delay(log.pk)
    finally:
        eager_celery.conf.task_eager_propagates = True
    assert result.state == "FAILURE"
    log.refresh_from_db()
    assert log.status == NotificationStatus.FAILED
    assert log.attempts == 2 + send_notification.max_retries + 1


def test_a_failed_message_goes_out_when_sent_again(world, mail_settings, smtp_port, run):
    run(at(MONDAY, 10))
    log = NotificationLog.objects.get(recipient=world.pl_enschede)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert notification_send(log_id=log.pk) == NotificationStatus.SENT
    finally:
        controller.stop()
    [message] = inbox.messages
    assert message.to == ["pl-enschede@example.nl"] and "ENS-CNO" in message.text
    log.refresh_from_db()
    assert (log.status, log.error) == (NotificationStatus.SENT, "")


def test_a_message_is_sent_once_however_often_its_task_is_delivered(world, smtp, run):
    run(at(MONDAY, 10))
    log = NotificationLog.objects.get(recipient=world.pl_enschede)
    assert notification_send(log_id=log.pk) == NotificationStatus.SENT  # already sent
    # A worker that died while sending leaves the row "sending": it may have gone out, so
    # it is not sent again by itself.
    NotificationLog.objects.filter(pk=log.pk).update(status=NotificationStatus.SENDING)
    assert notification_send(log_id=log.pk) == NotificationStatus.SENDING
    assert len(smtp.to("pl-enschede@example.nl")) == 1

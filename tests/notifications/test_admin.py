"""The log in the admin: what was sent and what failed, and sending a failed one again."""

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model

from tests.notifications.conftest import MONDAY, Inbox, at
from twente.notifications.models import NotificationLog, NotificationStatus

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/notifications/notificationlog/"


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("beheer", "beheer@example.nl", "x" * 12)


def test_failures_are_listed_with_the_mail_servers_answer(
    client, admin_user, world, mail_settings, run
):
    run(at(MONDAY, 10))  # no server listens
    client.force_login(admin_user)
    response = client.get(CHANGELIST, {"status__exact": "failed"})
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("ConnectionRefusedError") == 3
    assert "pl-enschede" in content and "2024-W03-1" in content
    detail = client.get(f"{CHANGELIST}{NotificationLog.objects.first().pk}/change/")
    assert detail.status_code == 200 and "ConnectionRefusedError" in detail.content.decode()


def test_the_admin_sends_a_failed_message_again(
    client, admin_user, world, mail_settings, smtp_port, run, django_capture_on_commit_callbacks
):
    run(at(MONDAY, 10))
    log = NotificationLog.objects.get(recipient=world.pl_enschede)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    client.force_login(admin_user)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                CHANGELIST, {"action": "send_again", "_selected_action": [log.pk]}, follow=True
            )
    finally:
        controller.stop()
    assert "1 bericht(en) opnieuw in de wachtrij." in response.content.decode()
    [message] = inbox.messages
    assert message.to == ["pl-enschede@example.nl"]
    log.refresh_from_db()
    assert (log.status, log.attempts) == (NotificationStatus.SENT, 2)


def test_sent_messages_are_not_sent_again_by_the_action(
    client, admin_user, world, smtp, run, django_capture_on_commit_callbacks
):
    run(at(MONDAY, 10))
    client.force_login(admin_user)
    ids = list(NotificationLog.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHANGELIST, {"action": "send_again", "_selected_action": ids})
    assert len(smtp.messages) == 3


def test_the_log_is_read_only_and_not_for_the_secretary(
    client, admin_user, secretary, world, smtp, run
):
    run(at(MONDAY, 10))
    log = NotificationLog.objects.first()
    client.force_login(admin_user)
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.post(f"{CHANGELIST}{log.pk}/delete/", {"post": "yes"}).status_code == 403
    client.force_login(secretary)
    assert client.get(CHANGELIST).status_code == 403


def test_the_owner_account_of_an_action_is_set_in_the_admin(client, admin_user, world):
    from tests.meetings.factories import ActionFactory

    action = ActionFactory()
    client.force_login(admin_user)
    page = client.get(f"/admin/meetings/entry/{action.pk}/change/").content.decode()
    assert 'name="owner_user"' in page and 'name="owner"' in page

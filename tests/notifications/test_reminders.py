"""Weekly-count reminders to project leaders, received by a real SMTP server."""

import datetime

import pytest

from tests.capacity.factories import CapacityReportFactory
from tests.notifications.conftest import MONDAY, SITE, at
from twente.notifications.models import NotificationLog, NotificationSettings, NotificationStatus

pytestmark = pytest.mark.django_db


def test_a_project_leader_gets_one_dutch_reminder_naming_the_missing_location(world, smtp, run):
    run(at(MONDAY, 10))

    [message] = smtp.to("pl-enschede@example.nl")
    assert message.to == ["pl-enschede@example.nl"]
    assert message.mail_from == "noreply@opvang.example.nl"
    assert message.subject == "Herinnering: weektelling Enschede, week 3"
    for body in (message.text, message.html):
        assert "Beste pl-enschede" in body
        assert "Crisisnoodopvang Enschede (ENS-CNO)" in body
        # The location that reported, and the planned one (not asked), are not named.
        assert "ENS-AZC" not in body and "ENS-PLAN" not in body
        assert "15-01-2024 tot en met 21-01-2024" in body
        assert f"{SITE}/counts/?municipality=GM0153" in body
        assert f"{SITE}/notifications/" in body
    assert f'href="{SITE}/counts/?municipality=GM0153"' in message.html
    log = NotificationLog.objects.get(recipient=world.pl_enschede)
    assert (log.status, log.period, log.details["locations"]) == (
        NotificationStatus.SENT,
        "2024-W03-1",
        ["ENS-CNO"],
    )


def test_only_municipalities_with_a_missing_count_are_reminded(world, smtp, run):
    run(at(MONDAY, 10))
    assert sorted(address for message in smtp.messages for address in message.to) == [
        "pl-enschede@example.nl",
        "pl-hengelo@example.nl",
        "pl-zwolle@example.nl",
    ]
    assert smtp.to("pl-borne@example.nl") == []


def test_a_second_run_the_same_day_sends_nothing(world, smtp, run):
    run(at(MONDAY, 10))
    first = len(smtp.messages)
    assert run(at(MONDAY, 11)) == []
    assert run(at(MONDAY, 23, 59)) == []
    assert len(smtp.messages) == first
    assert NotificationLog.objects.count() == first


def test_nothing_is_sent_before_the_chosen_time(world, smtp, run):
    assert run(at(MONDAY, 8, 59)) == []
    NotificationSettings.objects.create(user=world.pl_hengelo, reminder_weekday=1)
    run(at(MONDAY, 9))
    assert smtp.to("pl-hengelo@example.nl") == []  # Tuesday for Hengelo
    assert len(smtp.to("pl-enschede@example.nl")) == 1
    run(at(MONDAY + datetime.timedelta(days=1), 9))
    assert len(smtp.to("pl-hengelo@example.nl")) == 1


def test_a_switched_off_reminder_is_not_sent(world, smtp, run):
    NotificationSettings.objects.create(user=world.pl_hengelo, report_reminder=False)
    run(at(MONDAY, 10))
    assert smtp.to("pl-hengelo@example.nl") == []
    assert not NotificationLog.objects.filter(recipient=world.pl_hengelo).exists()
    assert len(smtp.to("pl-enschede@example.nl")) == 1


def test_a_project_leader_never_hears_of_another_municipality(world, smtp, run):
    run(at(MONDAY, 10))
    others = {
        "pl-enschede@example.nl": ["Hengelo", "HGL-CNO", "Zwolle", "ZWL-CNO", "Borne"],
        "pl-hengelo@example.nl": ["Enschede", "ENS-CNO", "Zwolle", "ZWL-CNO", "Borne"],
        "pl-zwolle@example.nl": ["Enschede", "ENS-CNO", "Hengelo", "HGL-CNO", "Borne"],
    }
    for address, names in others.items():
        [message] = smtp.to(address)
        for name in names:
            assert name not in message.subject + message.text + message.html, (address, name)


def test_a_second_reminder_goes_two_days_later_to_who_still_misses_a_count(world, smtp, run):
    run(at(MONDAY, 10))
    smtp.clear()
    wednesday = MONDAY + datetime.timedelta(days=2)
    # Enschede counted in the meantime; Hengelo did not.
    CapacityReportFactory(location=world.ens_missing, date=MONDAY + datetime.timedelta(days=1))
    assert run(at(wednesday, 8)) == []
    run(at(wednesday, 9))
    assert smtp.to("pl-enschede@example.nl") == []
    [message] = smtp.to("pl-hengelo@example.nl")
    assert message.subject == "Tweede herinnering: weektelling Hengelo, week 3"
    assert "ontbreken nog steeds" in message.text and "HGL-CNO" in message.text
    run(at(wednesday, 15))
    assert len(smtp.to("pl-hengelo@example.nl")) == 1


def test_a_late_run_sends_only_the_latest_reminder(world, smtp, run):
    """A job that was down on Monday does not make up with two messages on Thursday."""
    run(at(MONDAY + datetime.timedelta(days=3), 10))
    [message] = smtp.to("pl-enschede@example.nl")
    assert message.subject.startswith("Tweede herinnering")
    assert run(at(MONDAY + datetime.timedelta(days=3), 11)) == []


def test_a_count_that_arrives_before_sending_cancels_the_reminder(world, smtp, clock, eager_celery):
    from twente.notifications.selection import due_report_reminders
    from twente.notifications.services import notification_send, notifications_log

    [due] = [d for d in due_report_reminders(clock.now) if d.recipient == world.pl_enschede]
    [log] = notifications_log([due])  # on_commit not run: still queued
    CapacityReportFactory(location=world.ens_missing, date=MONDAY)
    assert notification_send(log_id=log.pk) == NotificationStatus.SKIPPED
    assert smtp.messages == []


def test_english_for_a_user_who_chose_english(world, smtp, run):
    NotificationSettings.objects.create(user=world.pl_enschede, language="en")
    run(at(MONDAY, 10))
    [message] = smtp.to("pl-enschede@example.nl")
    assert message.subject == "Reminder: weekly counts Enschede, week 3"
    assert "Dear pl-enschede" in message.text
    assert "has not yet entered counts" in message.text and "ENS-CNO" in message.text
    assert 'lang="en"' in message.html
    [dutch] = smtp.to("pl-hengelo@example.nl")
    assert dutch.subject.startswith("Herinnering")


def test_users_without_address_role_or_activity_get_nothing(world, smtp, run):
    world.pl_enschede.email = ""
    world.pl_enschede.save()
    world.pl_hengelo.is_active = False
    world.pl_hengelo.save()
    world.pl_zwolle.groups.clear()
    run(at(MONDAY, 10))
    assert smtp.messages == []


def test_the_selection_takes_the_same_queries_for_many_users(
    world, clock, django_assert_num_queries
):
    from tests.capacity.factories import LocationFactory
    from tests.factories import MunicipalityFactory
    from twente.notifications.selection import due_notifications

    clock.set(at(MONDAY + datetime.timedelta(days=2), 13))  # reminders, digests and actions
    with django_assert_num_queries(7) as few:
        assert len(due_notifications(clock.now)) == 5
    for n in range(10):
        municipality = MunicipalityFactory(safety_region=world.twente)
        LocationFactory(municipality=municipality)
        world.leader(f"pl-extra-{n}", municipality)
        world.coordinator_of(f"coord-extra-{n}", world.twente)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(due_notifications(clock.now)) == 25

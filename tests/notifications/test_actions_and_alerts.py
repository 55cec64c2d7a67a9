"""Reminders to an action's owner, and the alert when a new count crosses a threshold."""

import datetime

import pytest

from capacity.services import report_submit
from meetings.models import ActionStatus
from tests.capacity.factories import CapacityReportFactory, LocationFactory
from tests.meetings.factories import ActionFactory, AgendaItemFactory, BodyFactory, MeetingFactory
from tests.notifications.conftest import MONDAY, SITE, at
from twente.notifications.models import (
    NotificationKind,
    NotificationLog,
    NotificationSettings,
    OccupancyLevel,
)

pytestmark = pytest.mark.django_db


def kind_of(messages, word):
    return [message for message in messages if word in message.subject]


@pytest.fixture
def action(world):
    body = BodyFactory(code="TRA", safety_region=world.twente)
    item = AgendaItemFactory(meeting=MeetingFactory(body=body, date=datetime.date(2024, 1, 8)))
    return ActionFactory(
        item=item,
        text="Zoek uit of de locatie aan de Hengelosestraat kan worden verlengd",
        owner="Projectleider Oekraïne",
        owner_user=world.pl_enschede,
        due_date=MONDAY + datetime.timedelta(days=3),
    )


def test_the_owner_hears_a_few_days_before_the_due_date_and_once(world, action, smtp, run):
    run(at(MONDAY - datetime.timedelta(days=1), 10))  # four days before: not yet
    assert kind_of(smtp.to("pl-enschede@example.nl"), "Actie") == []
    run(at(MONDAY, 10))
    [message] = kind_of(smtp.to("pl-enschede@example.nl"), "Actie")
    # The action's text, shortened to 60 characters.
    assert message.subject == (
        "Actie met deadline 18-01-2024: "
        "Zoek uit of de locatie aan de Hengelosestraat kan worden ve…"
    )
    assert "Hengelosestraat kan worden verlengd" in message.text
    assert "Uit het overleg Twentse Regietafel Asielinstroom van 08-01-2024." in message.text
    assert f"{SITE}/meetings/{action.item.meeting_id}/list/" in message.text
    assert f'href="{SITE}/notifications/"' in message.html
    run(at(MONDAY + datetime.timedelta(days=1), 10))
    assert len(kind_of(smtp.to("pl-enschede@example.nl"), "Actie")) == 1


def test_the_owner_hears_once_when_the_action_is_overdue(world, action, smtp, run):
    friday = MONDAY + datetime.timedelta(days=4)
    run(at(friday, 8))  # daily messages wait for 09:00
    assert kind_of(smtp.messages, "Actie") == []
    run(at(friday, 9))
    [message] = kind_of(smtp.to("pl-enschede@example.nl"), "Actie")
    assert message.subject.startswith("Actie over de deadline (18-01-2024):")
    assert "is verstreken (18-01-2024)" in message.text
    run(at(friday + datetime.timedelta(days=1), 9))
    assert len(kind_of(smtp.messages, "Actie")) == 1


def test_a_postponed_action_is_reminded_anew(world, action, smtp, run):
    run(at(MONDAY, 10))
    action.due_date = MONDAY + datetime.timedelta(days=5)
    action.save()
    run(at(MONDAY + datetime.timedelta(days=2), 10))
    subjects = [m.subject for m in kind_of(smtp.messages, "Actie")]
    assert [s[:28] for s in subjects] == [
        "Actie met deadline 18-01-202",
        "Actie met deadline 20-01-202",
    ]


def test_no_reminder_for_done_switched_off_or_unreadable_actions(world, action, smtp, run):
    done = ActionFactory(
        item=action.item,
        owner_user=world.coordinator,
        due_date=MONDAY,
        status=ActionStatus.DONE,
    )
    # The owner works in IJsselland: Twente's table is not theirs to read.
    ActionFactory(item=action.item, owner_user=world.pl_zwolle, due_date=MONDAY)
    NotificationSettings.objects.create(user=world.pl_enschede, action_reminder=False)
    run(at(MONDAY, 10))
    assert kind_of(smtp.messages, "Actie") == []
    assert not NotificationLog.objects.filter(kind=NotificationKind.ACTION_REMINDER).exists()
    assert done.status == ActionStatus.DONE


@pytest.fixture
def ukraine(world):
    """A Ukrainian reception location in Enschede, 50 of 60 places taken last week (83%)."""
    location = LocationFactory(
        code="ENS-UKR",
        name="Oekraïneopvang Enschede",
        municipality=world.enschede,
        target_group="ukraine",
        type="ukraine_municipal",
    )
    CapacityReportFactory(
        location=location, date=MONDAY - datetime.timedelta(days=7), capacity=60, occupied=50
    )
    world.recompute()
    return location


def submit(location, date, occupied, *, user, capture):
    with capture(execute=True):
        report_submit(
            location=location, date=date, capacity=60, occupied=occupied, source="form", user=user
        )


def test_a_count_that_crosses_a_threshold_alerts_the_regions_coordinators_at_once(
    world, ukraine, smtp, clock, eager_celery, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    submit(ukraine, MONDAY, 52, user=world.pl_enschede, capture=capture)  # 86.7%: no alert
    assert smtp.messages == []
    submit(ukraine, MONDAY, 56, user=world.pl_enschede, capture=capture)  # 93.3%: warning
    [message] = smtp.messages
    assert message.to == ["coord-twente@example.nl"]
    assert message.subject == "Bezetting Ontheemden uit Oekraïne in Twente boven 92,0%"
    assert "is boven de waarschuwingsgrens van 92,0% gekomen: 93,3%." in message.text
    assert "56 van 60 plaatsen bezet, 4 vrij." in message.text
    assert f"{SITE}/?region=VR05" in message.text
    # Still a warning: nothing new.
    submit(ukraine, MONDAY, 55, user=world.pl_enschede, capture=capture)
    assert len(smtp.messages) == 1
    clock.set(at(MONDAY + datetime.timedelta(days=1), 10))
    submit(ukraine, clock.now.date(), 58, user=world.pl_enschede, capture=capture)  # 96.7%
    assert len(smtp.messages) == 2
    assert "heeft het kantelpunt van 95,0% bereikt: 96,7%." in smtp.messages[1].text
    assert smtp.to("coord-ijsselland@example.nl") == []
    assert OccupancyLevel.objects.get(target_group="ukraine").level == "tipping_point"


def test_a_group_that_falls_back_and_rises_again_is_announced_again(
    world, ukraine, smtp, clock, eager_celery, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    submit(ukraine, MONDAY, 56, user=world.pl_enschede, capture=capture)
    submit(ukraine, MONDAY, 40, user=world.pl_enschede, capture=capture)
    clock.set(at(MONDAY + datetime.timedelta(days=1), 10))
    submit(ukraine, clock.now.date(), 56, user=world.pl_enschede, capture=capture)
    assert [m.subject for m in smtp.messages] == [
        "Bezetting Ontheemden uit Oekraïne in Twente boven 92,0%"
    ] * 2


def test_a_switched_off_alert_is_not_sent(
    world, ukraine, smtp, eager_celery, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.create(user=world.coordinator, threshold_alert=False)
    submit(ukraine, MONDAY, 58, user=world.pl_enschede, capture=django_capture_on_commit_callbacks)
    assert smtp.messages == []


def test_a_group_already_over_the_threshold_yesterday_is_no_news(
    world, smtp, eager_celery, django_capture_on_commit_callbacks
):
    """The first time the alerts look at a region (after an upgrade, say) yesterday's level
    stands for "before": a group that was full already is not announced."""
    location = LocationFactory(
        code="ENS-UKR", municipality=world.enschede, target_group="ukraine", type="cno"
    )
    CapacityReportFactory(
        location=location, date=MONDAY - datetime.timedelta(days=7), capacity=60, occupied=58
    )
    world.recompute()
    submit(location, MONDAY, 59, user=world.pl_enschede, capture=django_capture_on_commit_callbacks)
    assert smtp.messages == []
    assert OccupancyLevel.objects.get(target_group="ukraine").level == "tipping_point"

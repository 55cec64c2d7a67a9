import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import ActionStatus, Entry, EntryKind, Meeting, MeetingStatus
from tests.factories import MunicipalityFactory, UserFactory

from .factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    BodyFactory,
    EntryFactory,
    MeetingFactory,
    assignment_create,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 2, 1)


def test_a_new_action_without_a_status_is_open():
    action = Entry(item=AgendaItemFactory(), kind=EntryKind.ACTION, text="Voorstel maken")
    action.full_clean()
    assert action.status == ActionStatus.OPEN


@pytest.mark.parametrize(
    "field, value",
    [
        ("owner", "Projectleider Oekraïne"),
        ("due_date", datetime.date(2024, 3, 31)),
        ("status", ActionStatus.OPEN),
    ],
)
def test_it_refuses_action_fields_on_a_decision(field, value):
    decision = Entry(item=AgendaItemFactory(), kind=EntryKind.DECISION, text="Besloten")
    setattr(decision, field, value)
    with pytest.raises(ValidationError, match="Alleen een actie"):
        decision.full_clean()


def test_the_database_refuses_a_bottleneck_with_a_due_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryFactory(kind=EntryKind.BOTTLENECK, due_date=datetime.date(2024, 1, 1))


def test_the_database_refuses_an_open_action_closed_in_a_meeting():
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(status=ActionStatus.OPEN, closed_at_meeting=meeting)


def test_only_a_decision_points_at_an_assignment():
    assignment = assignment_create()
    decision = EntryFactory(kind=EntryKind.DECISION, assignment=assignment)
    assert list(assignment.decisions.all()) == [decision]
    action = ActionFactory.build(item=decision.item, assignment=assignment)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "assignment" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(assignment=assignment)


def test_overdue_means_open_and_past_the_due_date():
    late = ActionFactory(due_date=TODAY - datetime.timedelta(days=1))
    ActionFactory(due_date=TODAY)  # due today: not late yet
    ActionFactory(due_date=None)
    ActionFactory(
        due_date=TODAY - datetime.timedelta(days=30), status=ActionStatus.DONE, done_on=TODAY
    )
    assert list(Entry.objects.overdue(on=TODAY)) == [late]
    assert Entry.objects.actions().not_overdue(on=TODAY).count() == 3


def test_is_overdue_follows_today():
    assert ActionFactory(due_date=datetime.date(2000, 1, 1)).is_overdue
    assert not ActionFactory(due_date=datetime.date(2999, 1, 1)).is_overdue
    assert not EntryFactory(kind=EntryKind.DECISION).is_overdue


def test_the_owner_reads_as_in_the_minutes():
    enschede = MunicipalityFactory(code="GM0153", name="Enschede")
    user = UserFactory(first_name="Anna", last_name="de Vries")
    action = ActionFactory(
        owner="Projectleider Oekraïne", owner_user=user, owner_municipality=enschede
    )
    assert action.owner_display == "Projectleider Oekraïne, Anna de Vries, Enschede"
    assert ActionFactory(owner="").owner_display == ""


def test_a_meeting_ends_after_it_starts():
    meeting = MeetingFactory.build(
        body=BodyFactory(), start_time=datetime.time(17), end_time=datetime.time(15, 30)
    )
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "end_time" in error.value.message_dict


def test_one_meeting_per_body_per_day():
    first = MeetingFactory(date=datetime.date(2023, 12, 13))
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(body=first.body, date=first.date)


def test_approved_minutes_name_a_later_meeting_of_the_same_body():
    earlier = MeetingFactory(date=datetime.date(2023, 11, 8))
    meeting = MeetingFactory(body=earlier.body, date=datetime.date(2023, 12, 13))
    other_body = MeetingFactory(body=BodyFactory(code="PRT"), date=datetime.date(2024, 1, 5))

    meeting.status = MeetingStatus.APPROVED
    with pytest.raises(ValidationError, match="in welk overleg"):
        meeting.full_clean()
    meeting.minutes_approved_at = earlier
    with pytest.raises(ValidationError, match="later overleg"):
        meeting.full_clean()
    meeting.minutes_approved_at = other_body
    with pytest.raises(ValidationError, match="hetzelfde overlegorgaan"):
        meeting.full_clean()


def test_the_database_refuses_approved_minutes_without_the_approving_meeting():
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(status=MeetingStatus.APPROVED)


def test_agenda_numbers_are_unique_within_a_meeting():
    item = AgendaItemFactory(number="10.3")
    AgendaItemFactory(number="10.3")  # another meeting
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItemFactory(meeting=item.meeting, number="10.3")


def test_attendance_names_a_municipality_or_an_organisation():
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(organisation="", municipality=None)
    row = AttendanceFactory(organisation="", municipality=MunicipalityFactory(name="Borne"))
    assert row.attendee == "Borne"


def test_open_action_counts_are_annotated_per_meeting():
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting)
    ActionFactory(item=item)
    ActionFactory(item=item)
    ActionFactory(item=item, status=ActionStatus.DONE)
    EntryFactory(item=item)
    counted = Meeting.objects.with_open_action_count().get(pk=meeting.pk)
    assert counted.open_action_count == 2

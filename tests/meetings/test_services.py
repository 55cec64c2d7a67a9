import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from meetings.models import ActionStatus, Attendance, Entry, EntryKind, MeetingStatus
from meetings.selectors import actions_register
from meetings.services import (
    CARRY_OVER_TITLE,
    MeetingError,
    action_mark_done,
    actions_carry_over,
    attendance_prefill,
    meeting_create,
    meetings_mark_held,
    minutes_approve,
)
from municipalities.models import Province
from tests.factories import UserFactory

from .factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    BodyFactory,
    EntryFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tra():
    return BodyFactory(code="TRA")


def test_a_new_meeting_gets_an_attendance_row_for_each_of_the_14_municipalities(fourteen, tra):
    meeting = meeting_create(
        body=tra,
        date=datetime.date(2024, 3, 13),
        start_time=datetime.time(15),
        end_time=datetime.time(16, 30),
        venue="Raadszaal Stadhuis Almelo",
    )
    assert meeting.status == MeetingStatus.PLANNED
    rows = list(meeting.attendance.select_related("municipality"))
    assert len(rows) == 14
    assert [row.municipality.name for row in rows][:2] == ["Almelo", "Borne"]
    assert {row.presence for row in rows} == {""}


def test_prefilling_attendance_twice_adds_nothing_and_keeps_what_was_filled_in(fourteen, tra):
    meeting = MeetingFactory(body=tra)
    AttendanceFactory(
        meeting=meeting, organisation="", municipality_id=_enschede_id(), presence="excused"
    )
    assert attendance_prefill(meeting=meeting) == 13
    assert attendance_prefill(meeting=meeting) == 0
    assert meeting.attendance.count() == 14
    assert meeting.attendance.get(municipality__code="GM0153").presence == "excused"


def test_a_provincial_body_gets_no_municipal_attendance(fourteen):
    overijssel = Province.objects.get(code="PV23")
    prt = BodyFactory(
        code="PRT", safety_region=None, province=overijssel, municipal_attendance=False
    )
    meeting = meeting_create(body=prt, date=datetime.date(2024, 3, 4))
    assert meeting.attendance.count() == 0


def test_meeting_create_refuses_an_end_before_the_start(tra):
    with pytest.raises(ValidationError):
        meeting_create(
            body=tra,
            date=datetime.date(2024, 3, 13),
            start_time=datetime.time(16),
            end_time=datetime.time(15),
        )


def _enschede_id():
    from municipalities.models import Municipality

    return Municipality.objects.get(code="GM0153").pk


def _two_meetings(tra):
    first = MeetingFactory(body=tra, date=datetime.date(2023, 12, 13))
    second = MeetingFactory(body=tra, date=datetime.date(2024, 1, 24), status="planned")
    return first, second


def test_open_actions_are_carried_to_the_next_meeting_of_the_same_body(tra):
    first, second = _two_meetings(tra)
    MeetingFactory(body=BodyFactory(code="PRT"), date=datetime.date(2023, 12, 22))
    MeetingFactory(body=tra, date=datetime.date(2024, 3, 13))
    item = AgendaItemFactory(meeting=first, number="2")
    EntryFactory(item=item, kind=EntryKind.DECISION)
    open_action = ActionFactory(
        item=item, text="Voorstel escalatie", due_date=datetime.date(2024, 3, 31)
    )
    ActionFactory(item=item, status=ActionStatus.DONE)

    copies = actions_carry_over(from_meeting=first)

    assert len(copies) == 1
    copy = Entry.objects.select_related("item__meeting").get(pk=copies[0].pk)
    assert copy.item.meeting == second
    assert copy.item.title == CARRY_OVER_TITLE
    assert copy.carried_from == open_action
    assert (copy.text, copy.owner, copy.due_date, copy.status) == (
        "Voorstel escalatie",
        "Projectleider Oekraïne",
        datetime.date(2024, 3, 31),
        ActionStatus.OPEN,
    )


def test_carrying_over_twice_copies_nothing_the_second_time(tra):
    first, second = _two_meetings(tra)
    ActionFactory(item=AgendaItemFactory(meeting=first))
    ActionFactory(item=AgendaItemFactory(meeting=first))
    assert len(actions_carry_over(from_meeting=first)) == 2
    assert actions_carry_over(from_meeting=first) == []
    assert actions_carry_over(from_meeting=first, to_meeting=second) == []
    assert Entry.objects.filter(item__meeting=second).count() == 2
    assert second.agenda_items.count() == 1


def test_an_action_carried_over_is_listed_once_in_the_register(tra):
    first, second = _two_meetings(tra)
    original = ActionFactory(item=AgendaItemFactory(meeting=first))
    [copy] = actions_carry_over(from_meeting=first)
    assert list(actions_register(region=tra.safety_region)) == [copy]
    assert original.pk not in actions_register(region=tra.safety_region).values_list(
        "pk", flat=True
    )


def test_carrying_over_without_a_next_meeting_says_so(tra):
    first = MeetingFactory(body=tra, date=datetime.date(2023, 12, 13))
    ActionFactory(item=AgendaItemFactory(meeting=first))
    with pytest.raises(MeetingError, match="geen volgend overleg van TRA"):
        actions_carry_over(from_meeting=first)


def test_carrying_over_to_an_earlier_meeting_is_refused(tra):
    first, second = _two_meetings(tra)
    with pytest.raises(MeetingError, match="later overleg"):
        actions_carry_over(from_meeting=second, to_meeting=first)


def test_marking_done_closes_the_action_and_all_its_carried_copies(tra):
    first, second = _two_meetings(tra)
    third = MeetingFactory(body=tra, date=datetime.date(2024, 3, 13), status="planned")
    original = ActionFactory(item=AgendaItemFactory(meeting=first))
    [copy] = actions_carry_over(from_meeting=first)
    [later_copy] = actions_carry_over(from_meeting=second)
    secretary = UserFactory(role="secretary")

    closed = action_mark_done(
        entries=[copy], meeting=third, user=secretary, on=datetime.date(2024, 3, 13)
    )

    assert closed == 3
    for entry in (original, copy, later_copy):
        entry.refresh_from_db()
        assert entry.status == ActionStatus.DONE
        assert entry.closed_at_meeting == third
        assert entry.done_on == datetime.date(2024, 3, 13)
        assert entry.done_by == secretary


def test_marking_done_refuses_decisions(tra):
    decision = EntryFactory(kind=EntryKind.DECISION)
    with pytest.raises(MeetingError, match="Alleen acties"):
        action_mark_done(entries=[decision], user=UserFactory(role="secretary"))


@pytest.mark.parametrize("role", ["coordinator", "project_leader", "provincial_reader"])
def test_only_the_secretary_marks_actions_done(role):
    action = ActionFactory()
    with pytest.raises(PermissionDenied):
        action_mark_done(entries=[action], user=UserFactory(role=role))
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_minutes_are_approved_in_a_later_meeting(tra):
    first, second = _two_meetings(tra)
    approved = minutes_approve(meeting=first, approved_at=second)
    first.refresh_from_db()
    assert approved.status == first.status == MeetingStatus.APPROVED
    assert first.minutes_approved_at == second
    assert list(second.approved_minutes.all()) == [first]


def test_minutes_of_a_planned_meeting_cannot_be_approved(tra):
    first, second = _two_meetings(tra)
    third = MeetingFactory(body=tra, date=datetime.date(2024, 3, 13))
    with pytest.raises(MeetingError, match="nog niet gehouden"):
        minutes_approve(meeting=second, approved_at=third)


def test_minutes_cannot_be_approved_in_an_earlier_meeting(tra):
    first, second = _two_meetings(tra)
    second.status = MeetingStatus.HELD
    second.save()
    with pytest.raises(ValidationError, match="later overleg"):
        minutes_approve(meeting=second, approved_at=first)
    second.refresh_from_db()
    assert second.status == MeetingStatus.HELD


def test_prefill_is_skipped_for_meetings_that_already_list_everyone(fourteen, tra):
    meeting = meeting_create(body=tra, date=datetime.date(2024, 5, 1))
    assert Attendance.objects.filter(meeting=meeting).count() == 14
    assert attendance_prefill(meeting=meeting) == 0


def test_planned_meetings_whose_day_has_passed_are_marked_held(tra):
    past = MeetingFactory(body=tra, date=datetime.date(2024, 1, 24), status=MeetingStatus.PLANNED)
    today = MeetingFactory(body=tra, date=datetime.date(2024, 3, 13), status=MeetingStatus.PLANNED)
    approved = MeetingFactory(body=tra, date=datetime.date(2023, 12, 6), status=MeetingStatus.HELD)
    held = MeetingFactory(body=tra, date=datetime.date(2024, 1, 10), status=MeetingStatus.HELD)
    minutes_approve(meeting=approved, approved_at=held)

    assert meetings_mark_held(before=datetime.date(2024, 3, 13)) == ["TRA 24-01-2024"]
    assert meetings_mark_held(before=datetime.date(2024, 3, 13)) == []  # a rerun changes nothing
    past.refresh_from_db(), today.refresh_from_db(), approved.refresh_from_db()
    assert past.status == MeetingStatus.HELD and past.is_minutes
    assert today.status == MeetingStatus.PLANNED
    assert approved.status == MeetingStatus.APPROVED  # never moved back to held

"""The meetings of seeds 000, 001 and 004 as `load_twente` loads them."""

import datetime

import pytest

from meetings.models import (
    ActionStatus,
    AgendaItem,
    Attachment,
    Attendance,
    Entry,
    Meeting,
    MeetingStatus,
)
from meetings.seed import load
from twente.seeding import FIXTURES

from .factories import assignment_create

pytestmark = pytest.mark.django_db


def meeting(body: str, date: str) -> Meeting:
    return Meeting.objects.get(body__code=body, date=datetime.date.fromisoformat(date))


def snapshot() -> dict:
    return {
        model.__name__: sorted(
            tuple(str(value) for value in row)
            for row in model.objects.values_list(*[f.attname for f in model._meta.concrete_fields])
        )
        for model in (Meeting, AgendaItem, Entry, Attendance, Attachment)
    }


def test_it_loads_the_five_meetings_of_the_seeds(seeded):
    assert seeded == {"meetings": 5, "agenda_items": 39, "meeting_entries": 42, "portfolios": 1}
    assert [str(m) for m in Meeting.objects.order_by("date")] == [
        "BAO 31-03-2022",
        "BAO 07-07-2022",
        "TRA 13-12-2023",
        "PRT 22-12-2023",
        "TRA 24-01-2024",
    ]
    assert meeting("TRA", "2024-01-24").status == MeetingStatus.PLANNED
    assert meeting("TRA", "2023-12-13").status == MeetingStatus.HELD


def test_the_bao_of_july_2022_has_its_decisions_and_attendance(seeded):
    bao = meeting("BAO", "2022-07-07")
    item = bao.agenda_items.get(number="10.3")
    assert item.heading == "Crisisnoodopvang asielzoekers"
    assert item.municipalities.count() == 14
    kinds = "".join(item.entries.order_by("position").values_list("kind", flat=True))
    assert kinds == "BBKBBB"
    assert item.entries.get(position=1).text.startswith(
        "In Twente wordt uitvoering gegeven aan optie3"
    )
    presence = {row.attendee: row.presence for row in bao.attendance.select_related("municipality")}
    assert presence["Twenterand"] == "excused"
    assert presence["Hellendoorn"] == "online"
    assert presence["Provincie"] == "absent"
    assert bao.attendance.filter(municipality__isnull=False).count() == 14


def test_running_text_of_held_meetings_is_the_minutes_and_of_planned_ones_the_annotation(seeded):
    held = meeting("TRA", "2023-12-13").agenda_items.get(number="6")
    assert held.notes.startswith("Nogmaals de oproep op tijdig te denken aan de ISK's")
    assert held.annotation == ""
    planned = meeting("TRA", "2024-01-24").agenda_items.get(number="3")
    assert planned.annotation.startswith("Dit overleg vond op 14 december plaats.")
    assert planned.notes == ""


def test_the_prt_action_list_names_owners_and_the_due_date(seeded):
    prt = meeting("PRT", "2023-12-22")
    actions = Entry.objects.actions().filter(item__meeting=prt).order_by("position")
    assert [a.owner for a in actions] == [
        "Provincie, JenV en programmanagers regio's",
        "JenV en provincie.",
        "JenV en provincie.",
        "JenV",
    ]
    assert actions.last().due_date == datetime.date(2024, 1, 31)
    assert {a.status for a in actions} == {ActionStatus.OPEN}
    assert prt.attendance.count() == 17
    assert not prt.attendance.filter(presence="").exists()


def test_the_planned_tra_has_its_agenda_attachments_and_prefilled_attendance(seeded):
    tra = meeting("TRA", "2024-01-24")
    assert (tra.start_time, tra.end_time) == (datetime.time(15, 45), datetime.time(17, 15))
    assert list(Attachment.objects.filter(item__meeting=tra).values_list("label", flat=True)) == [
        "Bijlage I Voorstel versterking effectiviteit en resultaatgerichtheid TRA",
        "Bijlage II Verslag TRA 13 december 2023",
        "Bijlage III Conceptverslag PRT 22 december 2023",
    ]
    assert tra.attendance.count() == 14
    assert set(tra.attendance.values_list("presence", flat=True)) == {""}


def test_decisions_point_at_the_tasks_they_created_once_these_are_loaded(fourteen):
    cno = assignment_create(code="asylum-cno-2022-10")
    load(directory=FIXTURES)
    decision = meeting("BAO", "2022-07-07").agenda_items.get(number="10.3").entries.get(position=1)
    assert decision.assignment == cno


def test_loading_again_changes_nothing(seeded):
    before = snapshot()
    assert load(directory=FIXTURES) == seeded
    assert snapshot() == before


def test_loading_again_keeps_what_the_secretary_did_since(seeded):
    action = Entry.objects.actions().get(owner="JenV")
    action.status = ActionStatus.DONE
    action.save()
    tra = meeting("TRA", "2024-01-24")
    tra.status = MeetingStatus.HELD
    tra.save()
    extra = AgendaItem.objects.create(meeting=tra, number="8", title="Extra", position=8)

    load(directory=FIXTURES)

    action.refresh_from_db()
    tra.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert tra.status == MeetingStatus.HELD
    assert AgendaItem.objects.filter(pk=extra.pk).exists()


def test_load_twente_loads_the_meetings_after_the_tasks_they_point_at(twente):
    from django.core.management import call_command

    assert Meeting.objects.count() == 5
    linked = Entry.objects.filter(assignment__isnull=False).values_list(
        "assignment__code", flat=True
    )
    assert sorted(linked) == ["asylum-cno-2022-10", "ukraine-2022-12"]
    before = snapshot()
    call_command("load_twente", verbosity=0)
    assert snapshot() == before


def test_the_seed_holds_the_portfolio_the_tra_pack_names(seeded):
    """Seed 004: the facilitating portfolio for the central coordination is Wierden's."""
    from meetings.models import Portfolio

    (portfolio,) = Portfolio.objects.all()
    assert (portfolio.body.code, portfolio.theme, str(portfolio)) == (
        "TRA",
        "coordinatie",
        "Centrale coördinatie",
    )
    assert [m.name for m in portfolio.holders.all()] == ["Wierden"]

import datetime

import factory

from meetings.models import (
    ActionStatus,
    AgendaItem,
    Attendance,
    Body,
    Entry,
    EntryKind,
    Meeting,
    MeetingStatus,
)
from tests.factories import SafetyRegionFactory


class BodyFactory(factory.django.DjangoModelFactory):
    """A body of a safety region (default Twente, VR05); for a provincial one pass
    `safety_region=None, province=...`."""

    class Meta:
        model = Body
        django_get_or_create = ["code", "safety_region", "province"]

    code = "TRA"
    name = "Twentse Regietafel Asielinstroom"
    safety_region = factory.SubFactory(SafetyRegionFactory)
    province = None


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=14 * n))
    status = MeetingStatus.HELD


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Onderwerp {n}")


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    item = factory.SubFactory(AgendaItemFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = EntryKind.DECISION
    text = factory.Sequence(lambda n: f"Besluit {n}")


class ActionFactory(EntryFactory):
    kind = EntryKind.ACTION
    text = factory.Sequence(lambda n: f"Actie {n}")
    owner = "Projectleider Oekraïne"
    status = ActionStatus.OPEN


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    organisation = "VR Twente"


def assignment_create(code: str = "asylum-cno-2022-10", **fields):
    """A task of the allocation app, just enough for a decision to point at."""
    from allocation.models import Assignment
    from tests.factories import SafetyRegionFactory

    defaults = {
        "title": "Crisisnoodopvang 225 asielzoekers gedurende 3 maanden",
        "target_group": "asylum",
        "issuer": "rijk",
        "region": SafetyRegionFactory(),
        "total": 225,
    }
    return Assignment.objects.create(code=code, **(defaults | fields))

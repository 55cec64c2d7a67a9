"""The secretary's admin pages pass axe-core's WCAG 2.1 A/AA rules, as the app's own pages do
(issue 20): the meeting list, adding and changing a meeting (with its inline agenda items,
attachments and attendance; also adopted minutes, read-only), adding and changing an agenda
item, and the register of entries."""

import datetime

import pytest

from tests.browser.axe import axe_violations
from tests.browser.conftest import login
from tests.factories import PASSWORD, MunicipalityFactory, UserFactory
from tests.meetings.factories import (
    ActionFactory,
    AgendaItemFactory,
    BodyFactory,
    EntryFactory,
    MeetingFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def minutes():
    from django.contrib.auth.models import Group, Permission

    from meetings.models import Attachment, Attendance

    hellendoorn = MunicipalityFactory(code="GM0163", name="Hellendoorn")
    region = hellendoorn.safety_region
    secretary = UserFactory(username="secr", role="secretary", scope__region=region)
    secretary.is_staff = True
    secretary.save()
    # An earlier transactional test's flush took the group's permissions of the data
    # migrations (0002 and on); give back what the secretary keeps the minutes with.
    Group.objects.get(name="secretary").permissions.add(
        *Permission.objects.filter(content_type__app_label="meetings").exclude(
            content_type__model="privateannotation"
        )
    )
    meeting = MeetingFactory(
        body=BodyFactory(code="TRA", safety_region=region),
        date=datetime.date(2024, 1, 24),
        venue="Hengelo",
    )
    item = AgendaItemFactory(meeting=meeting, number="3", title="Voorstel effectiviteit TRA")
    EntryFactory(item=item, text="De TRA stemt in met het voorstel.")
    ActionFactory(item=item, text="Voorstel escalatie overlast")
    Attendance.objects.create(meeting=meeting, municipality=hellendoorn, person="A. de Vries")
    Attachment.objects.create(item=item, number=2, label="Voorstel effectiviteit TRA")
    Attachment.objects.create(meeting=meeting, number=1, label="Verslag TRA 13 december 2023")
    earlier = MeetingFactory(
        body=meeting.body,
        date=datetime.date(2023, 12, 13),
        status="approved",
        minutes_approved_at=meeting,
    )
    AgendaItemFactory(meeting=earlier, number="1", title="Opening")
    return {"meeting": meeting, "item": item, "adopted": earlier}


ADMIN_PAGES = [
    ("meeting list", lambda m: "/admin/meetings/meeting/"),
    ("add meeting", lambda m: "/admin/meetings/meeting/add/"),
    ("change meeting", lambda m: f"/admin/meetings/meeting/{m['meeting'].pk}/change/"),
    ("adopted meeting", lambda m: f"/admin/meetings/meeting/{m['adopted'].pk}/change/"),
    ("add agenda item", lambda m: f"/admin/meetings/agendaitem/add/?meeting={m['meeting'].pk}"),
    ("change agenda item", lambda m: f"/admin/meetings/agendaitem/{m['item'].pk}/change/"),
    ("entry list", lambda m: "/admin/meetings/entry/"),
]


def test_the_secretarys_admin_pages_pass_axe(page, minutes):
    login(page, "secr", PASSWORD)
    found = {}
    for name, path in ADMIN_PAGES:
        response = page.goto(f"{page.base_url}{path(minutes)}")
        assert response.status == 200, name
        violations = axe_violations(page)
        if violations:
            found[name] = violations
    assert found == {}
    # Not asserted here, unlike the app's pages: Django's own admin scripts set inline styles
    # that the CSP blocks (and report on the console), which is not an accessibility matter.

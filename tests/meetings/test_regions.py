"""Bodies belong to a safety region or a province, and everything of the meetings app is read
and kept per region: the TRA of IJsselland is not Twente's business, the PRT of Overijssel is
read by both its regions, and a secretary keeps the minutes of their own region only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.authtoken.models import Token

from meetings.models import ActionStatus, Body, Entry, Meeting
from meetings.selectors import actions_register
from meetings.services import action_mark_done, attendance_prefill, meeting_create
from tests.factories import MunicipalityFactory, UserFactory

from .factories import BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def visible_keys(region) -> set[str]:
    texts = actions_register(region=region).values_list("text", flat=True)
    return {text.removeprefix("Actie van ") for text in texts}


# The model -------------------------------------------------------------------------------------


def test_a_body_is_in_a_region_or_a_province_not_both_and_not_neither(area):
    both = Body(code="X", name="X", safety_region=area["twente"], province=area["overijssel"])
    neither = Body(code="Y", name="Y")
    for body in (both, neither):
        with pytest.raises(ValidationError, match="veiligheidsregio"):
            body.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            body.save()


def test_two_regions_may_each_have_a_tra_but_one_region_only_one(area):
    assert Body.objects.filter(code="TRA").count() == 2
    duplicate = Body(code="TRA", name="Nog een TRA", safety_region=area["twente"])
    with pytest.raises(ValidationError, match="al een overlegorgaan"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    provincial = Body(code="PRT", name="Nog een PRT", province=area["overijssel"])
    with pytest.raises(ValidationError, match="al een overlegorgaan"):
        provincial.full_clean()


def test_a_region_reads_its_own_bodies_and_its_provinces(area):
    assert visible_keys(area["twente"]) == {"tra_twente", "prt_overijssel"}
    assert visible_keys(area["ijsselland"]) == {"tra_ijsselland", "prt_overijssel"}
    assert visible_keys(None) == set()
    assert set(Meeting.objects.for_region(area["ijsselland"])) == {
        area["meetings"]["tra_ijsselland"],
        area["meetings"]["prt_overijssel"],
    }
    assert set(Body.objects.of_region(area["ijsselland"])) == {area["bodies"]["tra_ijsselland"]}


# Services --------------------------------------------------------------------------------------


def test_attendance_is_prefilled_with_the_bodys_own_municipalities(area):
    deventer = MunicipalityFactory(code="GM0150", name="Deventer", safety_region=area["ijsselland"])
    enschede = MunicipalityFactory(code="GM0153", name="Enschede", safety_region=area["twente"])
    meeting = meeting_create(body=area["bodies"]["tra_ijsselland"], date=datetime.date(2024, 5, 1))
    assert [row.municipality for row in meeting.attendance.all()] == [deventer]

    provincial = BodyFactory(
        code="PO", safety_region=None, province=area["overijssel"], municipal_attendance=True
    )
    plenary = MeetingFactory(body=provincial)
    assert attendance_prefill(meeting=plenary) == 2
    assert {row.municipality for row in plenary.attendance.all()} == {deventer, enschede}


def test_a_secretary_cannot_mark_another_regions_actions_done(area):
    secretary = UserFactory(role="secretary", scope__region=area["ijsselland"])
    twentes = Entry.objects.get(text="Actie van tra_twente")
    provincial = Entry.objects.get(text="Actie van prt_overijssel")
    for entry in (twentes, provincial):
        with pytest.raises(PermissionDenied):
            action_mark_done(entries=[entry], user=secretary)
        entry.refresh_from_db()
        assert entry.status == ActionStatus.OPEN
    own = Entry.objects.get(text="Actie van tra_ijsselland")
    assert action_mark_done(entries=[own], user=secretary) == 1


# Pages and API ---------------------------------------------------------------------------------


@pytest.fixture
def ijsselland_coordinator(area):
    return UserFactory(username="coord-vr04", role="coordinator", scope__region=area["ijsselland"])


def test_the_meeting_pages_list_the_regions_and_the_provinces_meetings_only(
    client, area, ijsselland_coordinator
):
    client.force_login(ijsselland_coordinator)
    listed = client.get(reverse("meetings:list")).context["page"]
    assert set(listed) == {area["meetings"]["tra_ijsselland"], area["meetings"]["prt_overijssel"]}
    actions = client.get(reverse("meetings:actions"))
    assert {entry.text for entry in actions.context["page"]} == {
        "Actie van tra_ijsselland",
        "Actie van prt_overijssel",
    }
    csv = client.get(reverse("meetings:actions") + "?format=csv").content.decode("utf-8-sig")
    assert "Actie van tra_ijsselland" in csv and "tra_twente" not in csv


@pytest.mark.parametrize("name", ["meetings:detail", "meetings:entries"])
def test_another_regions_meeting_page_is_403(client, area, ijsselland_coordinator, name):
    client.force_login(ijsselland_coordinator)
    for key in ("tra_twente", "prt_gelderland"):
        response = client.get(reverse(name, args=[area["meetings"][key].pk]))
        assert response.status_code == 403
        assert "Actie van" not in response.content.decode()
    own = client.get(reverse(name, args=[area["meetings"]["prt_overijssel"].pk]))
    assert own.status_code == 200


def test_the_body_filter_offers_only_the_bodies_read_in_the_region(
    client, area, ijsselland_coordinator
):
    client.force_login(ijsselland_coordinator)
    form = client.get(reverse("meetings:list")).context["form"]
    assert [code for code, _ in form.fields["body"].choices] == ["", "PRT", "TRA"]
    response = client.get(reverse("meetings:list") + "?body=TRA")
    assert list(response.context["page"]) == [area["meetings"]["tra_ijsselland"]]
    refused = client.get(reverse("meetings:list") + "?body=RT")
    assert "RT" not in [code for code, _ in refused.context["form"].fields["body"].choices]
    assert not refused.context["filter"].is_valid()


@pytest.fixture
def api(api_client, area):
    user = UserFactory(username="pl-vr04", role="project_leader", scope__region=area["ijsselland"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api_client


def test_the_api_lists_the_regions_meetings_and_actions_only(api, area):
    meetings = api.get("/api/v1/meetings").json()["results"]
    assert {row["id"] for row in meetings} == {
        area["meetings"]["tra_ijsselland"].pk,
        area["meetings"]["prt_overijssel"].pk,
    }
    actions = api.get("/api/v1/actions").json()["results"]
    assert {row["text"] for row in actions} == {
        "Actie van tra_ijsselland",
        "Actie van prt_overijssel",
    }
    tra = api.get("/api/v1/meetings?body=TRA").json()["results"]
    assert [row["id"] for row in tra] == [area["meetings"]["tra_ijsselland"].pk]
    assert api.get("/api/v1/actions?body=RT").status_code == 400


def test_another_regions_meeting_and_action_are_403_in_the_api(api, area):
    meeting = area["meetings"]["tra_twente"]
    action = Entry.objects.get(text="Actie van tra_twente")
    for path in (f"/api/v1/meetings/{meeting.pk}", f"/api/v1/actions/{action.pk}"):
        response = api.get(path)
        assert response.status_code == 403
        assert "tra_twente" not in response.content.decode()
    assert api.get("/api/v1/meetings/999999").status_code == 404
    assert api.get("/api/v1/meetings/abc").status_code == 404
    provincial = area["meetings"]["prt_overijssel"]
    assert api.get(f"/api/v1/meetings/{provincial.pk}").status_code == 200


# The secretary's admin -------------------------------------------------------------------------


@pytest.fixture
def ijsselland_secretary(client, area):
    user = UserFactory(username="secr-vr04", role="secretary", scope__region=area["ijsselland"])
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("model", "own"),
    [
        ("body", lambda area: {area["bodies"]["tra_ijsselland"]}),
        ("meeting", lambda area: {area["meetings"]["tra_ijsselland"]}),
        ("agendaitem", lambda area: {area["meetings"]["tra_ijsselland"].agenda_items.get()}),
        ("entry", lambda area: {Entry.objects.get(text="Actie van tra_ijsselland")}),
    ],
)
def test_the_secretary_sees_only_the_own_regions_rows_in_the_admin(
    ijsselland_secretary, area, model, own
):
    response = ijsselland_secretary.get(reverse(f"admin:meetings_{model}_changelist"))
    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == own(area)
    content = response.content.decode()
    assert "tra_twente" not in content and "prt_overijssel" not in content


def test_another_regions_meeting_cannot_be_opened_or_changed_in_the_admin(
    ijsselland_secretary, area
):
    meeting = area["meetings"]["tra_twente"]
    for view in ("change", "history", "delete"):
        response = ijsselland_secretary.get(
            reverse(f"admin:meetings_meeting_{view}", args=[meeting.pk])
        )
        assert response.status_code == 302  # the admin's "does not exist", back to the index
    response = ijsselland_secretary.post(
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        {"body": area["bodies"]["tra_ijsselland"].pk, "date": "2024-01-10", "venue": "Deventer"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.venue == "" and meeting.body == area["bodies"]["tra_twente"]


def test_the_admins_selects_offer_only_the_own_regions_choices(ijsselland_secretary, area):
    from allocation.models import Assignment
    from tests.capacity.factories import LocationFactory

    twente_person = UserFactory(username="twente-pl", last_name="Twentenaar", role="project_leader")
    own_person = UserFactory(
        username="vr04-pl",
        last_name="IJssellander",
        role="project_leader",
        scope__region=area["ijsselland"],
    )
    deventer = MunicipalityFactory(code="GM0150", name="Deventer", safety_region=area["ijsselland"])
    enschede = MunicipalityFactory(code="GM0153", name="Enschede", safety_region=area["twente"])
    own_location = LocationFactory(code="LOC-DEV", name="Opvang Deventer", municipality=deventer)
    LocationFactory(code="LOC-ENS", name="Opvang Enschede", municipality=enschede)
    own_task = Assignment.objects.create(
        code="vr04-task",
        title="Taak IJsselland",
        target_group="asylum",
        issuer="rijk",
        region=area["ijsselland"],
        total=10,
    )
    Assignment.objects.create(
        code="vr05-task",
        title="Taak Twente",
        target_group="asylum",
        issuer="rijk",
        region=area["twente"],
        total=10,
    )
    item = area["meetings"]["tra_ijsselland"].agenda_items.get()

    page = ijsselland_secretary.get(reverse("admin:meetings_agendaitem_change", args=[item.pk]))
    form = page.context["adminform"].form
    assert list(form.fields["locations"].queryset) == [own_location]
    entry_form = page.context["inline_admin_formsets"][0].formset.forms[0]
    people = set(entry_form.fields["owner_user"].queryset)
    assert own_person in people and twente_person not in people
    assert list(entry_form.fields["assignment"].queryset) == [own_task]
    assert set(entry_form.fields["closed_at_meeting"].queryset) == {
        area["meetings"]["tra_ijsselland"]
    }
    assert twente_person.last_name not in page.content.decode()

    add = ijsselland_secretary.get(reverse("admin:meetings_meeting_add"))
    assert list(add.context["adminform"].form.fields["body"].queryset) == [
        area["bodies"]["tra_ijsselland"]
    ]


def test_a_secretary_adds_a_body_to_the_own_region(ijsselland_secretary, area):
    response = ijsselland_secretary.post(
        reverse("admin:meetings_body_add"),
        {
            "code": "BO",
            "name": "Bestuurlijk overleg IJsselland",
            # A forged region is ignored: the field is fixed to the secretary's region.
            "safety_region": area["twente"].pk,
            "municipal_attendance": "on",
        },
    )
    assert response.status_code == 302
    body = Body.objects.get(code="BO")
    assert body.safety_region == area["ijsselland"] and body.province is None
    duplicate = ijsselland_secretary.post(
        reverse("admin:meetings_body_add"),
        {"code": "TRA", "name": "Nog een TRA", "municipal_attendance": "on"},
    )
    assert duplicate.status_code == 200
    assert "al een overlegorgaan" in duplicate.content.decode()
    assert Body.objects.filter(code="TRA", safety_region=area["ijsselland"]).count() == 1


def test_the_minutes_page_links_to_the_admin_only_for_the_own_regions_meetings(
    ijsselland_secretary, area
):
    own = area["meetings"]["tra_ijsselland"]
    provincial = area["meetings"]["prt_overijssel"]
    own_page = ijsselland_secretary.get(reverse("meetings:detail", args=[own.pk]))
    assert reverse("admin:meetings_meeting_change", args=[own.pk]) in own_page.content.decode()
    read_only = ijsselland_secretary.get(reverse("meetings:detail", args=[provincial.pk]))
    assert read_only.status_code == 200
    assert "/admin/meetings/meeting/" not in read_only.content.decode()


def test_a_superuser_keeps_the_provincial_bodies(client, area):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    assert set(response.context["cl"].result_list) == set(Meeting.objects.all())


# Reference data and the migration --------------------------------------------------------------


def test_the_seed_puts_tra_and_bao_in_twente_and_the_prt_in_overijssel(seeded):
    from meetings.seed import load
    from twente.seeding import FIXTURES

    areas = {
        body.code: body.safety_region.code if body.safety_region else body.province.code
        for body in Body.objects.select_related("safety_region", "province")
    }
    assert areas == {"TRA": "VR05", "BAO": "VR05", "PRT": "PV23"}
    load(directory=FIXTURES)
    assert Body.objects.count() == 3


MIGRATED = ("meetings", "0006_body_region_rules")
BEFORE = ("meetings", "0004_body_region_or_province")


@pytest.mark.django_db(transaction=True)
def test_the_migration_puts_the_existing_bodies_in_twente_and_overijssel():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    # Every app's latest, not only meetings': going back also unapplied the apps that depend
    # on meetings' migrations (notifications), and later tests need their tables.
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([BEFORE])
        old = executor.loader.project_state([BEFORE]).apps
        OldBody = old.get_model("meetings", "Body")
        for code in ("TRA", "BAO", "PRT", "EXTRA"):
            OldBody.objects.create(code=code, name=code)

        # No region or province rows yet: the migration makes them from the fixtures.
        executor = MigrationExecutor(connection)
        executor.migrate([MIGRATED])
        new = executor.loader.project_state([MIGRATED]).apps
        bodies = {
            body.code: (
                body.safety_region.code if body.safety_region_id else None,
                body.province.code if body.province_id else None,
            )
            for body in new.get_model("meetings", "Body").objects.all()
        }
        assert bodies == {
            "TRA": ("VR05", None),
            "BAO": ("VR05", None),
            "EXTRA": ("VR05", None),
            "PRT": (None, "PV23"),
        }
        region = new.get_model("municipalities", "SafetyRegion").objects.get(code="VR05")
        assert (region.name, region.province.name) == ("Twente", "Overijssel")
    finally:
        MigrationExecutor(connection).migrate(latest)

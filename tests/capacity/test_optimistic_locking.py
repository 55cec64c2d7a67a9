"""No lost data: a change someone else saved after an editor read a location or a report is
refused with a clear message instead of silently overwritten (issue 9). Every save path
raises the version; the edit paths (weekly grid, API, admin) send the version they showed.

The races themselves (two editors at the same moment) are in test_locking_concurrency.py,
on PostgreSQL."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from capacity.choices import ReportSource
from capacity.models import CapacityReport, Location
from capacity.services import (
    SeenReport,
    StaleVersionError,
    WeeklyCountsConflict,
    WeeklyRow,
    location_update,
    report_confirm_unchanged,
    report_flag_clear,
    report_submit,
    report_update,
    weekly_counts_submit,
)
from imports.service import import_file
from tests.factories import MunicipalityFactory, UserFactory
from tests.imports.files import write_csv
from tests.problems import field_errors, problem

from .factories import CapacityReportFactory, LocationFactory

TODAY = timezone.localdate()
LAST_WEEK = TODAY - datetime.timedelta(days=7)
DAY = datetime.date(2023, 3, 6)


@pytest.fixture
def enschede(project_leader):
    return project_leader.membership.municipality


@pytest.fixture
def hengelo(db):
    return MunicipalityFactory(code="GM0164", name="Hengelo")


@pytest.fixture
def es(enschede):
    location = LocationFactory(code="CNO-ENS-01", name="CNO De Es", municipality=enschede)
    CapacityReportFactory(location=location, date=LAST_WEEK, capacity=60, occupied=50)
    return location


@pytest.fixture
def zuid(enschede):
    location = LocationFactory(code="CNO-ENS-02", name="CNO Zuid", municipality=enschede)
    CapacityReportFactory(location=location, date=LAST_WEEK, capacity=20, occupied=10)
    return location


@pytest.fixture
def colleague(enschede):
    return UserFactory(
        username="pl-enschede-2", role="project_leader", scope__municipality=enschede
    )


def latest(location) -> CapacityReport:
    return CapacityReport.objects.filter(location=location).order_by("-date").first()


# Every save path raises the version ---------------------------------------------------------


def test_a_new_report_starts_at_version_1_and_each_replacement_raises_it(es, project_leader):
    report = report_submit(
        location=es, date=DAY, capacity=60, occupied=51, source=ReportSource.API, user=None
    )
    assert report.version == 1
    report = report_submit(
        location=es, date=DAY, capacity=60, occupied=52, source=ReportSource.API, user=None
    )
    assert report.version == 2
    assert CapacityReport.objects.get(pk=report.pk).version == 2


def test_clearing_a_flag_raises_the_version(es, coordinator):
    report = CapacityReportFactory(location=es, date=DAY, flagged=True, flag_reason="x")
    report_flag_clear(report=report, user=coordinator)
    assert CapacityReport.objects.get(pk=report.pk).version == 2
    # Clearing a flag that is not there changes nothing, so the version stays.
    report_flag_clear(report=report, user=coordinator)
    assert CapacityReport.objects.get(pk=report.pk).version == 2


def test_a_placement_raises_the_version_of_todays_report(es, coordinator):
    from matching.services import placement_create

    CapacityReportFactory(location=es, date=TODAY, capacity=60, occupied=50)
    placement = placement_create(location=es, people=2, target_group="asylum", user=coordinator)
    assert placement.report.version == 2
    assert CapacityReport.objects.get(location=es, date=TODAY).occupied == 52


def test_an_import_raises_the_version_of_the_reports_it_changes(tmp_path, es, zuid):
    changed = CapacityReportFactory(location=es, date=DAY, capacity=60, occupied=50)
    same = CapacityReportFactory(location=zuid, date=DAY, capacity=20, occupied=10)
    path = write_csv(
        tmp_path,
        "reports.csv",
        [
            ["location", "date", "capacity", "occupied"],
            ["CNO-ENS-01", DAY.isoformat(), 60, 55],
            ["CNO-ENS-02", DAY.isoformat(), 20, 10],
        ],
    )
    result = import_file(kind="capacity-reports", path=path, user=None, dry_run=False)
    assert result.errors == []
    changed.refresh_from_db()
    same.refresh_from_db()
    assert (changed.occupied, changed.version) == (55, 2)
    assert same.version == 1  # unchanged rows are not written
    assert changed.history.first().version == 2


def test_a_location_import_raises_the_location_version(tmp_path, es):
    path = write_csv(
        tmp_path,
        "locations.csv",
        [
            [
                "code",
                "name",
                "municipality",
                "place",
                "type",
                "target_group",
                "status",
                "opened_on",
                "contract_end",
                "latitude",
                "longitude",
            ],
            ["CNO-ENS-01", "CNO De Es (nieuw)", "GM0153", es.place, "cno", "asylum"]
            + ["operational", "", "", "", ""],
        ],
    )
    result = import_file(kind="locations", path=path, user=None, dry_run=False)
    assert result.errors == []
    es.refresh_from_db()
    assert (es.name, es.version) == ("CNO De Es (nieuw)", 2)


def test_reloading_changed_seed_figures_raises_the_version_and_a_rerun_does_not(twente):
    report = CapacityReport.objects.filter(source=ReportSource.SEED).order_by("pk").first()
    original = report.occupied
    CapacityReport.objects.filter(pk=report.pk).update(occupied=original - 1)
    call_command("load_twente", verbosity=0)
    report.refresh_from_db()
    assert (report.occupied, report.version) == (original, 2)
    call_command("load_twente", verbosity=0)
    report.refresh_from_db()
    assert report.version == 2


# Services: the version check -------------------------------------------------------------------


def test_report_update_changes_the_counts_and_raises_the_version(es, project_leader):
    report = latest(es)
    saved = report_update(report=report, expected_version=1, user=project_leader, occupied=55)
    assert (saved.capacity, saved.occupied, saved.version) == (60, 55, 2)
    assert saved.reported_by == project_leader and saved.source == ReportSource.API
    assert report.history.first().version == 2


def test_report_update_refuses_a_stale_version_and_changes_nothing(es, project_leader):
    report = latest(es)
    report_update(report=report, expected_version=1, user=project_leader, occupied=55)
    with pytest.raises(StaleVersionError) as raised:
        report_update(report=report, expected_version=1, user=project_leader, occupied=40)
    assert raised.value.messages == [
        "Iemand anders heeft deze melding intussen gewijzigd. Haal de melding opnieuw op en "
        "voer uw wijziging nog eens in."
    ]
    report.refresh_from_db()
    assert (report.occupied, report.version) == (55, 2)
    assert report.history.count() == 2  # the factory's and the first update


def test_report_update_with_impossible_figures_keeps_the_version(es, project_leader):
    report = latest(es)
    with pytest.raises(ValidationError) as raised:
        report_update(report=report, expected_version=1, user=project_leader, occupied=61)
    assert not isinstance(raised.value, StaleVersionError)
    assert "occupied" in raised.value.message_dict
    report.refresh_from_db()
    assert (report.occupied, report.version) == (50, 1)


def test_report_update_takes_only_counts(es, project_leader):
    with pytest.raises(TypeError):
        report_update(report=latest(es), expected_version=1, user=project_leader, date=DAY)


def test_location_update_refuses_a_stale_version_with_its_own_error(es, project_leader):
    location_update(location=es, user=project_leader, expected_version=1, name="Nieuw")
    with pytest.raises(StaleVersionError):
        location_update(location=es, user=project_leader, expected_version=1, name="Ouder")
    es.refresh_from_db()
    assert (es.name, es.version) == ("Nieuw", 2)


def test_location_update_without_a_version_still_raises_it(es, project_leader):
    saved = location_update(location=es, user=project_leader, name="Nieuw")
    assert saved.version == 2
    assert Location.objects.get(pk=es.pk).version == 2


def seen_now(*locations, on=TODAY) -> dict:
    seen = {}
    for location in locations:
        report = CapacityReport.objects.filter(location=location, date__lte=on).order_by("-date")
        report = report.first()
        seen[location.pk] = SeenReport(report.pk, report.version) if report else None
    return seen


def test_the_grid_service_refuses_all_rows_when_one_changed_since(es, zuid, enschede, colleague):
    seen = seen_now(es, zuid)
    report_update(report=latest(zuid), expected_version=1, user=colleague, occupied=11)
    with pytest.raises(WeeklyCountsConflict) as raised:
        weekly_counts_submit(
            municipality=enschede,
            date=TODAY,
            rows=[WeeklyRow(es, 60, 49), WeeklyRow(zuid, 20, 12)],
            user=None,
            seen=seen,
        )
    assert raised.value.locations == [zuid]
    assert "CNO Zuid" in raised.value.summary and "laad de pagina opnieuw" in raised.value.summary
    assert not CapacityReport.objects.filter(date=TODAY).exists()
    assert latest(zuid).occupied == 11


def test_the_grid_service_saves_when_nobody_changed_the_submitted_rows(
    es, zuid, enschede, hengelo, colleague
):
    seen = seen_now(es, zuid)
    elsewhere = LocationFactory(municipality=hengelo)
    report_submit(
        location=elsewhere, date=TODAY, capacity=5, occupied=1, source="api", user=colleague
    )
    # Zuid changed too, but its row is left empty: nothing of it would be overwritten.
    report_update(report=latest(zuid), expected_version=1, user=colleague, occupied=11)
    reports = weekly_counts_submit(
        municipality=enschede, date=TODAY, rows=[WeeklyRow(es, 60, 49)], user=None, seen=seen
    )
    assert [(report.location, report.occupied) for report in reports] == [(es, 49)]


def test_the_grid_service_sees_a_report_made_since_for_the_same_date(es, enschede, colleague):
    seen = seen_now(es)  # last week's report
    report_submit(location=es, date=TODAY, capacity=60, occupied=53, source="api", user=colleague)
    with pytest.raises(WeeklyCountsConflict):
        weekly_counts_submit(
            municipality=enschede, date=TODAY, rows=[WeeklyRow(es, 60, 49)], user=None, seen=seen
        )
    assert CapacityReport.objects.get(location=es, date=TODAY).occupied == 53


def test_the_grid_service_sees_a_first_report_made_since(enschede, colleague):
    new = LocationFactory(municipality=enschede, name="Nieuw")
    seen = seen_now(new)
    assert seen == {new.pk: None}
    report_submit(location=new, date=LAST_WEEK, capacity=9, occupied=3, source="api", user=None)
    with pytest.raises(WeeklyCountsConflict):
        weekly_counts_submit(
            municipality=enschede, date=TODAY, rows=[WeeklyRow(new, 9, 4)], user=None, seen=seen
        )


def test_confirming_unchanged_refuses_figures_changed_since(es, colleague):
    seen = seen_now(es)
    report_update(report=latest(es), expected_version=1, user=colleague, occupied=51)
    with pytest.raises(StaleVersionError) as raised:
        report_confirm_unchanged(location=es, date=TODAY, user=None, seen=seen)
    assert "CNO De Es" in raised.value.messages[0]
    assert not CapacityReport.objects.filter(date=TODAY).exists()
    report = report_confirm_unchanged(location=es, date=TODAY, user=None, seen=seen_now(es))
    assert report.occupied == 51


# The weekly grid page ----------------------------------------------------------------------


def shown_grid(client) -> dict:
    """GET the grid and return what the browser would post back unchanged."""
    response = client.get("/counts/")
    assert response.status_code == 200
    form = response.context["form"]
    data = {"date": TODAY.isoformat()}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


def test_the_grid_carries_the_report_and_version_of_each_row(client, project_leader, es):
    client.force_login(project_leader)
    report = latest(es)
    content = client.get("/counts/").content.decode()
    assert f'name="CNO-ENS-01__seen" value="{report.pk}.1"' in content


def test_a_grid_saved_after_someone_else_changed_a_row_is_refused_entirely(
    client, project_leader, colleague, es, zuid
):
    client.force_login(project_leader)
    data = shown_grid(client)
    data.update({"CNO-ENS-01__occupied": 49, "CNO-ENS-02__occupied": 12})
    report_update(report=latest(zuid), expected_version=1, user=colleague, occupied=11)

    response = client.post("/counts/", data)

    assert response.status_code == 200
    assert not CapacityReport.objects.filter(date=TODAY).exists()
    assert latest(zuid).occupied == 11  # the colleague's change stands
    content = response.content.decode()
    assert "Iemand anders heeft intussen de cijfers van CNO Zuid gewijzigd" in content
    assert "laad de pagina opnieuw" in content
    assert 'data-testid="counts-reload"' in content
    assert response.context["form"].row_errors == {
        "CNO-ENS-02": ["Iemand anders heeft deze cijfers intussen gewijzigd."]
    }
    # Posting the same page again is refused again; after a reload it saves.
    assert client.post("/counts/", data).status_code == 200
    data = shown_grid(client)
    assert data["CNO-ENS-02__occupied"] == 11
    data.update({"CNO-ENS-01__occupied": 49})
    assert client.post("/counts/", data).status_code == 302
    assert CapacityReport.objects.get(location=es, date=TODAY).occupied == 49


def test_a_grid_is_refused_when_someone_reported_the_same_date_meanwhile(
    client, project_leader, colleague, es
):
    client.force_login(project_leader)
    data = shown_grid(client)
    report_submit(location=es, date=TODAY, capacity=60, occupied=53, source="api", user=colleague)
    response = client.post("/counts/", {**data, "CNO-ENS-01__occupied": 49})
    assert response.status_code == 200
    assert CapacityReport.objects.get(location=es, date=TODAY).occupied == 53


def test_a_grid_saves_when_nobody_changed_anything_in_between(
    client, project_leader, es, zuid, hengelo
):
    client.force_login(project_leader)
    data = shown_grid(client)
    other = LocationFactory(municipality=hengelo)
    CapacityReportFactory(location=other, date=TODAY)
    response = client.post("/counts/", {**data, "CNO-ENS-01__occupied": 49})
    assert response.status_code == 302
    assert sorted(
        CapacityReport.objects.filter(
            date=TODAY, location__municipality__code="GM0153"
        ).values_list("location__code", "occupied", "version")
    ) == [("CNO-ENS-01", 49, 1), ("CNO-ENS-02", 10, 1)]


def test_a_hand_made_post_without_the_versions_cannot_overwrite(client, project_leader, es):
    client.force_login(project_leader)
    data = shown_grid(client)
    del data["CNO-ENS-01__seen"]
    response = client.post("/counts/", {**data, "CNO-ENS-01__occupied": 49})
    assert response.status_code == 200
    assert not CapacityReport.objects.filter(date=TODAY).exists()
    response = client.post("/counts/", {**data, "CNO-ENS-01__seen": "garbage"})
    assert response.status_code == 200
    assert not CapacityReport.objects.filter(date=TODAY).exists()


def test_unchanged_after_someone_else_changed_the_figures_confirms_nothing(
    client, project_leader, colleague, es
):
    client.force_login(project_leader)
    data = shown_grid(client)
    report_update(report=latest(es), expected_version=1, user=colleague, occupied=51)
    response = client.post("/counts/", {**data, "unchanged": "CNO-ENS-01"}, follow=True)
    assert not CapacityReport.objects.filter(date=TODAY).exists()
    content = response.content.decode()
    assert "Iemand anders heeft intussen de cijfers van CNO De Es gewijzigd" in content
    assert "bevestig opnieuw" in content


def test_the_location_form_refuses_a_stale_version(client, project_leader, colleague, es):
    client.force_login(project_leader)
    form = client.get(f"/locations/{es.code}/edit/").context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    location_update(location=es, user=colleague, expected_version=1, place="Glanerbrug")
    data["municipality"] = es.municipality_id
    data["name"] = "Mijn naam"
    response = client.post(f"/locations/{es.code}/edit/", data)
    assert response.status_code == 200
    assert "Iemand anders heeft deze locatie intussen gewijzigd" in response.content.decode()
    es.refresh_from_db()
    assert (es.name, es.place, es.version) == ("CNO De Es", "Glanerbrug", 2)


# The API -----------------------------------------------------------------------------------


def url(report) -> str:
    return f"/api/v1/capacity-reports/{report.pk}"


def test_reports_show_their_version(api_client, project_leader, es):
    api_client.force_authenticate(project_leader)
    report = latest(es)
    assert api_client.get(url(report)).json()["version"] == 1
    listed = api_client.get("/api/v1/capacity-reports").json()["results"]
    assert [row["version"] for row in listed] == [1]


def test_a_patch_with_the_version_read_saves_and_returns_the_new_version(
    api_client, project_leader, es, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(project_leader)
    report = latest(es)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api_client.patch(url(report), {"occupied": 55, "version": 1}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["capacity"], body["occupied"], body["version"], body["source"]) == (
        60,
        55,
        2,
        "api",
    )
    assert body["reported_by"] == project_leader.username
    assert len(callbacks) == 1  # the occupancy recompute


def test_a_stale_patch_gets_409_and_changes_nothing(api_client, project_leader, colleague, es):
    report = latest(es)
    report_update(report=report, expected_version=1, user=colleague, occupied=52)
    api_client.force_authenticate(project_leader)
    response = api_client.patch(url(report), {"occupied": 55, "version": 1}, format="json")
    assert problem(response, 409)["detail"] == (
        "Iemand anders heeft deze melding intussen gewijzigd. Haal de melding opnieuw op en "
        "voer uw wijziging nog eens in."
    )
    report.refresh_from_db()
    assert (report.occupied, report.version) == (52, 2)


@pytest.mark.parametrize("method", ["patch", "put"])
def test_an_update_without_a_version_gets_400(api_client, project_leader, es, method):
    report = latest(es)
    api_client.force_authenticate(project_leader)
    response = getattr(api_client, method)(
        url(report), {"capacity": 60, "occupied": 55}, format="json"
    )
    assert response.status_code == 400
    assert field_errors(response) == {
        "version": [
            "Geef de versie mee die u het laatst heeft opgehaald (veld version), zodat een "
            "wijziging van iemand anders niet ongemerkt wordt overschreven."
        ]
    }
    response = getattr(api_client, method)(
        url(report), {"capacity": 60, "occupied": 55, "version": None}, format="json"
    )
    assert "version" in field_errors(response)
    assert latest(es).occupied == 50


def test_a_put_replaces_the_counts_and_keeps_location_and_date(api_client, coordinator, es):
    report = latest(es)
    api_client.force_authenticate(coordinator)
    body = api_client.get(url(report)).json()
    body.update({"capacity": 70, "occupied": 60, "reserved": 5})
    response = api_client.put(url(report), body, format="json")
    assert response.status_code == 200, response.json()
    report.refresh_from_db()
    assert (report.capacity, report.occupied, report.reserved, report.version) == (70, 60, 5, 2)
    response = api_client.put(
        url(report),
        {**body, "version": 2, "location": "CNO-HGL-01", "date": DAY.isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert set(field_errors(response)) == {"location", "date"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"occupied": 61, "version": 1}, "occupied"),
        ({"occupied": -1, "version": 1}, "occupied"),
        ({"reserved": 11, "version": 1}, "reserved"),
        ({"occupied": 1, "version": 0}, "version"),
        ({"occupied": "veel", "version": 1}, "occupied"),
    ],
)
def test_impossible_updates_get_400_and_keep_the_version(
    api_client, project_leader, es, body, field
):
    report = latest(es)
    api_client.force_authenticate(project_leader)
    response = api_client.patch(url(report), body, format="json")
    assert response.status_code == 400
    assert field in field_errors(response)
    report.refresh_from_db()
    assert (report.occupied, report.version) == (50, 1)


def test_only_writers_of_the_municipality_change_a_report(
    api_client, project_leader, provincial_reader, hengelo
):
    foreign = CapacityReportFactory(location=LocationFactory(municipality=hengelo), date=DAY)
    api_client.force_authenticate(project_leader)
    body = {"occupied": 1, "version": 1}
    assert api_client.patch(url(foreign), body, format="json").status_code == 403
    assert api_client.patch(url(foreign), {}, format="json").status_code == 403
    assert api_client.patch("/api/v1/capacity-reports/999999", body).status_code == 404
    api_client.force_authenticate(provincial_reader)
    assert api_client.patch(url(foreign), body, format="json").status_code == 403
    foreign.refresh_from_db()
    assert (foreign.occupied, foreign.version) == (50, 1)


def test_a_stale_location_patch_gets_409(api_client, project_leader, colleague, es):
    location_update(location=es, user=colleague, expected_version=1, place="Glanerbrug")
    api_client.force_authenticate(project_leader)
    response = api_client.patch(
        f"/api/v1/locations/{es.code}", {"name": "Mijn naam", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Iemand anders heeft deze locatie intussen")
    es.refresh_from_db()
    assert (es.name, es.version) == ("CNO De Es", 2)
    response = api_client.patch(
        f"/api/v1/locations/{es.code}", {"name": "Mijn naam", "version": 2}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["version"] == 3


@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_location_update_without_a_version_gets_400(api_client, project_leader, es, method):
    api_client.force_authenticate(project_leader)
    body = api_client.get(f"/api/v1/locations/{es.code}").json()
    assert body["version"] == 1
    del body["version"]
    response = getattr(api_client, method)(f"/api/v1/locations/{es.code}", body, format="json")
    assert response.status_code == 400
    assert list(field_errors(response)) == ["version"]
    assert Location.objects.get(pk=es.pk).version == 1


def test_a_location_created_through_the_api_ignores_a_version_sent(api_client, coordinator, es):
    api_client.force_authenticate(coordinator)
    body = api_client.get(f"/api/v1/locations/{es.code}").json()
    body.update({"code": "CNO-ENS-09", "version": 7})
    response = api_client.post("/api/v1/locations", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["version"] == 1


def test_the_schema_documents_the_version_and_409_on_every_update(api_client, coordinator):
    api_client.force_authenticate(coordinator)
    schema = api_client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    for path in ("/capacity-reports/{id}", "/locations/{code}"):
        for method in ("put", "patch"):
            operation = schema["paths"][path][method]
            assert "409" in operation["responses"], (path, method)
            ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            request = components[ref.rsplit("/", 1)[1]]
            assert "version" in request["properties"], (path, method)
            if method == "put":
                assert "version" in request["required"], path
    assert components["CapacityReport"]["properties"]["version"]["readOnly"] is True


# The admin ---------------------------------------------------------------------------------


def test_the_admin_refuses_a_report_changed_since_the_page_was_shown(client, es, colleague):
    admin = get_user_model().objects.create_superuser("beheer", "b@example.org", "x" * 12)
    report = latest(es)
    client.force_login(admin)
    page = client.get(f"/admin/capacity/capacityreport/{report.pk}/change/").content.decode()
    assert 'name="seen_version"' in page
    report_update(report=report, expected_version=1, user=colleague, occupied=52)
    data = {
        "location": es.pk,
        "date": LAST_WEEK.isoformat(),
        "capacity": 60,
        "occupied": 40,
        "reserved": 0,
        "source": "form",
        "reported_by": "",
        "flag_reason": "",
        "seen_version": 1,
    }
    response = client.post(f"/admin/capacity/capacityreport/{report.pk}/change/", data)
    assert response.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in response.content.decode()
    report.refresh_from_db()
    assert (report.occupied, report.version) == (52, 2)
    response = client.post(
        f"/admin/capacity/capacityreport/{report.pk}/change/", {**data, "seen_version": 2}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.occupied, report.version) == (40, 3)


def test_the_admin_refuses_a_location_changed_since_the_page_was_shown(client, es, colleague):
    admin = get_user_model().objects.create_superuser("beheer", "b@example.org", "x" * 12)
    client.force_login(admin)
    location_update(location=es, user=colleague, expected_version=1, place="Glanerbrug")
    data = {
        "code": es.code,
        "name": "Beheernaam",
        "municipality": es.municipality_id,
        "place": "Enschede",
        "type": "cno",
        "target_group": "asylum",
        "status": "operational",
        "seen_version": 1,
    }
    response = client.post(f"/admin/capacity/location/{es.pk}/change/", data)
    assert response.status_code == 200
    es.refresh_from_db()
    assert (es.name, es.place, es.version) == ("CNO De Es", "Glanerbrug", 2)
    response = client.post(f"/admin/capacity/location/{es.pk}/change/", {**data, "seen_version": 2})
    assert response.status_code == 302
    es.refresh_from_db()
    assert (es.name, es.version) == ("Beheernaam", 3)

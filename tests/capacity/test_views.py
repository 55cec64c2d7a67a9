import datetime

import pytest
from django.utils import timezone

from capacity.choices import LocationStatus
from capacity.models import CapacityReport, Location, OccupancyThreshold
from capacity.selectors import realised_places
from capacity.services import report_update
from tests.factories import MunicipalityFactory, UserFactory

from .factories import CapacityReportFactory, LocationFactory

TODAY = timezone.localdate()
LAST_WEEK = TODAY - datetime.timedelta(days=7)


@pytest.fixture
def enschede(project_leader):
    return project_leader.membership.municipality


@pytest.fixture
def hengelo(db):
    return MunicipalityFactory(code="GM0164", name="Hengelo")


@pytest.fixture
def own(enschede):
    location = LocationFactory(code="CNO-ENS-01", name="CNO Enschede", municipality=enschede)
    CapacityReportFactory(location=location, date=LAST_WEEK, capacity=59, occupied=56)
    return location


@pytest.fixture
def foreign(hengelo):
    location = LocationFactory(code="CNO-HGL-01", name="CNO Hengelo", municipality=hengelo)
    CapacityReportFactory(location=location, date=LAST_WEEK, capacity=30, occupied=29)
    return location


LOCATION_FORM = {
    "name": "Opvang De Es",
    "place": "Enschede",
    "type": "cno",
    "target_group": "asylum",
    "status": "operational",
    "opened_on": "2023-01-09",
    "contract_end": "2023-07-31",
    "notes": "",
}


# Locations ----------------------------------------------------------------------------------


def test_a_project_leader_lists_only_their_own_locations(client, project_leader, own, foreign):
    client.force_login(project_leader)
    response = client.get("/locations/")
    assert response.status_code == 200
    codes = [location.code for location in response.context["page"]]
    assert codes == ["CNO-ENS-01"]
    content = response.content.decode()
    assert "CNO Hengelo" not in content and "56" in content


def test_a_coordinator_lists_and_filters_the_region(client, coordinator, own, foreign):
    client.force_login(coordinator)
    response = client.get("/locations/")
    assert [loc.code for loc in response.context["page"]] == ["CNO-ENS-01", "CNO-HGL-01"]
    response = client.get("/locations/", {"municipality": "GM0164", "status": "operational"})
    assert [loc.code for loc in response.context["page"]] == ["CNO-HGL-01"]
    response = client.get("/locations/", {"type": "azc"})
    assert list(response.context["page"]) == []


def test_the_list_uses_a_constant_number_of_queries(
    client, coordinator, enschede, django_assert_max_num_queries
):
    for _ in range(40):
        CapacityReportFactory(location=LocationFactory(municipality=enschede), date=LAST_WEEK)
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get("/locations/").status_code == 200


@pytest.mark.parametrize("path", ["/locations/CNO-HGL-01/", "/locations/CNO-HGL-01/edit/"])
def test_a_project_leader_gets_403_on_another_municipalitys_pages(
    client, project_leader, foreign, path
):
    client.force_login(project_leader)
    assert client.get(path).status_code == 403
    assert (
        client.post(path, {**LOCATION_FORM, "municipality": foreign.municipality_id}).status_code
        == 403
    )


def test_an_unknown_location_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/locations/NOPE/").status_code == 404


def test_a_project_leader_adds_a_location_for_their_municipality(client, project_leader, enschede):
    client.force_login(project_leader)
    assert client.get("/locations/new/").status_code == 200
    response = client.post(
        "/locations/new/", {**LOCATION_FORM, "code": "CNO-ENS-02", "municipality": enschede.pk}
    )
    assert response.status_code == 302
    location = Location.objects.get(code="CNO-ENS-02")
    assert location.municipality == enschede
    assert location.history.get().history_user == project_leader


def test_a_project_leader_cannot_add_a_location_elsewhere(client, project_leader, hengelo):
    client.force_login(project_leader)
    response = client.post(
        "/locations/new/", {**LOCATION_FORM, "code": "X-1", "municipality": hengelo.pk}
    )
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert not Location.objects.filter(code="X-1").exists()


def test_invalid_location_input_shows_dutch_messages(client, project_leader, enschede):
    client.force_login(project_leader)
    response = client.post(
        "/locations/new/",
        {
            **LOCATION_FORM,
            "code": "CNO-ENS-03",
            "municipality": enschede.pk,
            "opened_on": "2023-08-01",
        },
    )
    assert response.status_code == 200
    assert "De einddatum kan niet voor de openingsdatum liggen." in response.content.decode()
    assert not Location.objects.filter(code="CNO-ENS-03").exists()


def test_editing_keeps_the_code_and_refuses_a_stale_form(client, project_leader, own):
    client.force_login(project_leader)
    data = {**LOCATION_FORM, "code": "HACKED", "municipality": own.municipality_id, "version": 1}
    response = client.post("/locations/CNO-ENS-01/edit/", data)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "Opvang De Es" and own.code == "CNO-ENS-01" and own.version == 2
    response = client.post("/locations/CNO-ENS-01/edit/", {**data, "name": "Oud"})
    assert response.status_code == 200
    assert "intussen gewijzigd" in response.content.decode()


@pytest.mark.parametrize("role", ["secretary", "provincial_reader"])
def test_read_only_roles_cannot_add_or_edit(client, role, own):
    client.force_login(UserFactory(role=role))
    assert client.get("/locations/").status_code == 200
    assert client.get("/locations/new/").status_code == 403
    assert client.get("/locations/CNO-ENS-01/edit/").status_code == 403
    assert client.get("/counts/").status_code == 403


def test_the_detail_page_shows_reports_and_to_coordinators_the_history(
    client, coordinator, project_leader, own
):
    client.force_login(project_leader)
    client.post(
        "/locations/CNO-ENS-01/edit/",
        {**LOCATION_FORM, "municipality": own.municipality_id, "version": 1, "name": "De Es"},
    )
    response = client.get("/locations/CNO-ENS-01/")
    assert response.status_code == 200
    assert response.context["history"] is None
    assert len(response.context["reports"]) == 1

    client.force_login(coordinator)
    response = client.get("/locations/CNO-ENS-01/")
    history = response.context["history"]
    changed = next(entry for entry in history if entry.action == "gewijzigd")
    assert changed.who == "pl-enschede"
    assert any(
        c.field == "naam" and c.old == "CNO Enschede" and c.new == "De Es" for c in changed.changes
    )
    assert "CNO Enschede → De Es" in response.content.decode()


# Weekly counts ------------------------------------------------------------------------------


def seen_token(location, on=TODAY) -> str:
    """What the grid's hidden `<code>__seen` field holds: the report it was prefilled from."""
    report = (
        CapacityReport.objects.filter(location=location, date__lte=on).order_by("-date").first()
    )
    return f"{report.pk}.{report.version}" if report else ""


def grid_data(location, capacity, occupied, reserved="", **extra):
    return {
        f"{location.code}__capacity": capacity,
        f"{location.code}__occupied": occupied,
        f"{location.code}__reserved": reserved,
        f"{location.code}__seen": seen_token(location),
        "date": TODAY.isoformat(),
        **extra,
    }


def test_the_grid_is_prefilled_with_last_weeks_figures(client, project_leader, own):
    client.force_login(project_leader)
    response = client.get("/counts/")
    assert response.status_code == 200
    form = response.context["form"]
    assert form[f"{own.code}__capacity"].value() == 59
    assert form[f"{own.code}__occupied"].value() == 56


def test_saving_the_grid_reports_every_location_at_once(
    client, project_leader, own, django_capture_on_commit_callbacks
):
    second = LocationFactory(municipality=own.municipality, name="Tweede")
    client.force_login(project_leader)
    data = {**grid_data(own, 59, 50), **grid_data(second, 20, 10, 2)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/counts/", data)
    assert response.status_code == 302
    assert CapacityReport.objects.filter(date=TODAY).count() == 2
    report = CapacityReport.objects.get(location=second, date=TODAY)
    assert (report.capacity, report.occupied, report.reserved) == (20, 10, 2)
    assert report.reported_by == project_leader and report.source == "form"
    assert realised_places(on=TODAY)[("GM0153", "asylum")] == 79


def test_one_bad_row_saves_nothing_and_shows_the_message_on_its_row(client, project_leader, own):
    second = LocationFactory(municipality=own.municipality, name="Tweede")
    client.force_login(project_leader)
    data = {**grid_data(own, 59, 50), **grid_data(second, 20, 25)}
    response = client.post("/counts/", data)
    assert response.status_code == 200
    assert not CapacityReport.objects.filter(date=TODAY).exists()
    form = response.context["form"]
    assert form.errors[f"{second.code}__occupied"] == [
        "Bezet (25) kan niet hoger zijn dan de capaciteit (20)."
    ]
    assert "Er is niets opgeslagen" in response.content.decode()


def test_a_half_filled_row_is_refused(client, project_leader, own):
    client.force_login(project_leader)
    response = client.post("/counts/", grid_data(own, 59, ""))
    assert response.status_code == 200
    assert response.context["form"].row_errors[own.code]
    assert not CapacityReport.objects.filter(date=TODAY).exists()


def test_a_negative_count_is_refused(client, project_leader, own):
    client.force_login(project_leader)
    response = client.post("/counts/", grid_data(own, 59, -3))
    assert response.context["form"].errors[f"{own.code}__occupied"] == [
        "Een aantal kan niet negatief zijn."
    ]


def test_a_future_date_is_refused(client, project_leader, own):
    client.force_login(project_leader)
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    response = client.post("/counts/", {**grid_data(own, 59, 50), "date": tomorrow})
    assert response.status_code == 200
    assert not CapacityReport.objects.filter(location=own, date__gt=LAST_WEEK).exists()


def test_unchanged_confirms_one_location_in_one_click(client, project_leader, own):
    second = LocationFactory(municipality=own.municipality, name="Tweede")
    CapacityReportFactory(location=second, date=LAST_WEEK, capacity=10, occupied=1)
    client.force_login(project_leader)
    # The other row as it was shown: nothing typed there, so back to the grid at once.
    data = {**grid_data(own, 1, 1), **grid_data(second, 10, 1, 0), "unchanged": own.code}
    response = client.post("/counts/", data, follow=True)
    assert response.redirect_chain[0][1] == 302
    report = CapacityReport.objects.get(date=TODAY)
    assert (report.location, report.capacity, report.occupied) == (own, 59, 56)
    # What was typed in the confirmed row itself is not silently dropped.
    assert "De cijfers die u in deze regel had ingevuld, zijn niet gebruikt." in (
        response.content.decode()
    )


NOT_SAVED = (
    "Uw ingevulde cijfers in de andere rijen zijn nog niet opgeslagen: controleer ze en klik "
    "op Alles opslaan."
)


@pytest.fixture
def second(own):
    location = LocationFactory(code="CNO-ENS-02", name="CNO Zuid", municipality=own.municipality)
    CapacityReportFactory(location=location, date=LAST_WEEK, capacity=10, occupied=1, reserved=0)
    return location


def test_unchanged_on_one_row_keeps_what_was_typed_in_the_others(
    client, project_leader, own, second
):
    client.force_login(project_leader)
    data = {**grid_data(own, 59, 56, 0), **grid_data(second, 12, 7, 1), "unchanged": own.code}
    response = client.post("/counts/", data)

    assert response.status_code == 200
    # The confirmed row is saved; the typed row is not, but is shown again as typed.
    report = CapacityReport.objects.get(date=TODAY)
    assert (report.location, report.capacity, report.occupied) == (own, 59, 56)
    content = response.content.decode()
    assert f"CNO Enschede is bevestigd als ongewijzigd. {NOT_SAVED}" in content
    form = response.context["form"]
    assert [form[f"CNO-ENS-02__{figure}"].value() for figure in form.FIGURES] == ["12", "7", "1"]
    unsaved = {row["location"].code: row["unsaved"] for row in response.context["grid"]}
    assert unsaved == {"CNO-ENS-01": False, "CNO-ENS-02": True}
    assert 'data-warn-unsaved="pending"' in content
    # The confirmed row now carries its new report, so "Alles opslaan" on this page saves
    # both rows instead of calling the confirmed one changed by someone else.
    assert form["CNO-ENS-01__seen"].value() == f"{report.pk}.{report.version}"
    assert form["CNO-ENS-02__seen"].value() == seen_token(second)
    again = {name: form[name].value() for name in form.fields}
    assert client.post("/counts/", {**again, "date": TODAY.isoformat()}).status_code == 302
    assert sorted(
        CapacityReport.objects.filter(date=TODAY).values_list("location__code", "occupied")
    ) == [("CNO-ENS-01", 56), ("CNO-ENS-02", 7)]


def test_typed_figures_that_are_wrong_are_kept_with_their_message(
    client, project_leader, own, second
):
    client.force_login(project_leader)
    data = {**grid_data(own, 59, 56), **grid_data(second, 12, -3), "unchanged": own.code}
    response = client.post("/counts/", data)
    assert response.status_code == 200
    assert CapacityReport.objects.filter(date=TODAY).count() == 1
    form = response.context["form"]
    assert form["CNO-ENS-02__occupied"].value() == "-3"
    assert form.errors["CNO-ENS-02__occupied"] == ["Een aantal kan niet negatief zijn."]
    assert NOT_SAVED in response.content.decode()


def test_unchanged_refused_as_stale_still_keeps_the_typed_rows(client, project_leader, own, second):
    client.force_login(project_leader)
    data = {**grid_data(own, 59, 56), **grid_data(second, 12, 7), "unchanged": own.code}
    colleague = UserFactory(username="collega", role="coordinator")
    report_update(report=own.reports.get(), expected_version=1, user=colleague, occupied=50)

    response = client.post("/counts/", data)

    assert response.status_code == 200
    assert not CapacityReport.objects.filter(date=TODAY).exists()
    content = response.content.decode()
    assert "Iemand anders heeft intussen de cijfers van CNO Enschede gewijzigd" in content
    assert NOT_SAVED in content and "is bevestigd als ongewijzigd" not in content
    form = response.context["form"]
    # The refused row shows the colleague's figures, ready to be confirmed again.
    assert form["CNO-ENS-01__occupied"].value() == "50"
    assert form["CNO-ENS-02__occupied"].value() == "7"
    again = {name: form[name].value() for name in form.fields}
    response = client.post("/counts/", {**again, "date": TODAY.isoformat(), "unchanged": own.code})
    assert CapacityReport.objects.get(location=own, date=TODAY).occupied == 50
    assert response.status_code == 200  # the typed row is still kept, still not saved
    assert not CapacityReport.objects.filter(location=second, date=TODAY).exists()


def test_unchanged_for_another_municipalitys_location_saves_nothing(
    client, project_leader, own, second, foreign
):
    client.force_login(project_leader)
    data = {**grid_data(second, 12, 7), **grid_data(foreign, 30, 29)}
    response = client.post("/counts/", {**data, "unchanged": foreign.code})
    assert response.status_code == 404
    response = client.post(
        "/counts/", {**data, "unchanged": foreign.code, "municipality": "GM0164"}
    )
    assert response.status_code == 403
    assert not CapacityReport.objects.filter(date=TODAY).exists()


@pytest.mark.parametrize("role", ["secretary", "provincial_reader"])
def test_read_only_roles_cannot_confirm_unchanged(client, role, own, second):
    client.force_login(UserFactory(username="lezer", role=role))
    data = {**grid_data(own, 59, 56), **grid_data(second, 12, 7), "unchanged": own.code}
    assert client.post("/counts/", data).status_code == 403
    assert not CapacityReport.objects.filter(date=TODAY).exists()


def test_a_project_leader_cannot_count_for_another_municipality(client, project_leader, foreign):
    client.force_login(project_leader)
    assert client.get("/counts/", {"municipality": "GM0164"}).status_code == 403
    response = client.post("/counts/", {**grid_data(foreign, 30, 1), "municipality": "GM0164"})
    assert response.status_code == 403
    # Posting another municipality's rows on the own grid does nothing either.
    client.post("/counts/", grid_data(foreign, 30, 1))
    assert not CapacityReport.objects.filter(location=foreign, date=TODAY).exists()


def test_a_coordinator_picks_a_municipality(client, coordinator, own, foreign):
    client.force_login(coordinator)
    response = client.get("/counts/")
    assert [m.code for m in response.context["choices"]] == ["GM0153", "GM0164"]
    response = client.get("/counts/", {"municipality": "GM0164"})
    assert [row["location"].code for row in response.context["grid"]] == ["CNO-HGL-01"]
    response = client.post("/counts/", {**grid_data(foreign, 30, 28), "municipality": "GM0164"})
    assert response.status_code == 302
    assert CapacityReport.objects.get(location=foreign, date=TODAY).occupied == 28


def test_closed_and_planned_locations_are_not_in_the_grid(client, project_leader, own):
    LocationFactory(
        municipality=own.municipality, status=LocationStatus.CLOSED, contract_end=LAST_WEEK
    )
    LocationFactory(municipality=own.municipality, status=LocationStatus.PLANNED)
    client.force_login(project_leader)
    response = client.get("/counts/")
    assert [row["location"].code for row in response.context["grid"]] == [own.code]


# Reporting status and thresholds ------------------------------------------------------------


def test_coordinators_see_who_reported_this_week(client, coordinator, own, foreign):
    CapacityReportFactory(location=own, date=TODAY)
    client.force_login(coordinator)
    response = client.get("/counts/status/")
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.context["rows"]}
    assert rows["GM0153"]["complete"] is True
    assert rows["GM0164"]["complete"] is False


def test_only_coordinators_see_the_reporting_status(client, project_leader):
    client.force_login(project_leader)
    assert client.get("/counts/status/").status_code == 403
    assert client.get("/thresholds/").status_code == 403


def test_a_coordinator_clears_a_flag(client, coordinator, own):
    report = CapacityReportFactory(location=own, date=TODAY, flagged=True, flag_reason="raar")
    client.force_login(coordinator)
    assert report in client.get("/counts/status/").context["flagged"]
    response = client.post(f"/counts/reports/{report.pk}/checked/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.flagged is False


def test_a_project_leader_cannot_clear_a_flag(client, project_leader, own):
    report = CapacityReportFactory(location=own, date=TODAY, flagged=True)
    client.force_login(project_leader)
    assert client.post(f"/counts/reports/{report.pk}/checked/").status_code == 403


def test_coordinators_set_the_thresholds(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/thresholds/")
    formset = response.context["formset"]
    data = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "3",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, form in enumerate(formset.forms):
        data[f"form-{index}-id"] = form.instance.pk
        data[f"form-{index}-warning"] = "0.900"
        data[f"form-{index}-tipping_point"] = "0.970"
    assert client.post("/thresholds/", data).status_code == 302
    threshold = OccupancyThreshold.objects.get(target_group="ukraine")
    assert (str(threshold.warning), str(threshold.tipping_point)) == ("0.900", "0.970")
    data["form-0-warning"] = "0.990"
    response = client.post("/thresholds/", data)
    assert response.status_code == 200
    assert OccupancyThreshold.objects.get(target_group="asylum").warning != 0.99


def test_the_nav_shows_the_capacity_links_by_role(client, coordinator, project_leader):
    client.force_login(project_leader)
    content = client.get("/locations/").content.decode()
    assert 'href="/counts/"' in content and 'href="/counts/status/"' not in content
    client.force_login(coordinator)
    content = client.get("/locations/").content.decode()
    assert 'href="/counts/status/"' in content


def test_an_unknown_filter_value_shows_an_error_not_a_crash(client, coordinator, own):
    client.force_login(coordinator)
    response = client.get("/locations/", {"municipality": "GM9999", "status": "bogus"})
    assert response.status_code == 200
    assert response.context["filter"].errors
